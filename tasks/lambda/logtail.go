package lambda

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
)

// A command's stderr is its log, as a Lambda function's stderr goes to
// CloudWatch Logs. Its volume is the command's choice, so what Stepwise
// keeps of it is bounded: the last logTailBytes bytes (AWS's LogResult is
// "the last 4 KB of the execution log"), of which a failure's cause shows
// the last logTailLines lines; each line is logged as it comes, cut at
// maxLogLine bytes.
const (
	logTailBytes = 4096
	logTailLines = 20
	maxLogLine   = 4096
)

// ring is an io.Writer that keeps the last len(buf) bytes written to it.
// It is not safe for concurrent use (exec.Cmd writes a stream from one
// goroutine).
type ring struct {
	buf []byte
	n   int64 // bytes written in all
}

func newRing(size int) *ring { return &ring{buf: make([]byte, size)} }

func (r *ring) Write(p []byte) (int, error) {
	written := len(p)
	size := int64(len(r.buf))
	if int64(len(p)) > size {
		// Only the end of p can survive; skip the rest.
		r.n += int64(len(p)) - size
		p = p[int64(len(p))-size:]
	}
	for len(p) > 0 {
		c := copy(r.buf[r.n%size:], p)
		p = p[c:]
		r.n += int64(c)
	}
	return written, nil
}

// Bytes returns a copy of what the ring holds, oldest byte first, and
// whether earlier bytes were dropped.
func (r *ring) Bytes() ([]byte, bool) {
	size := int64(len(r.buf))
	if r.n <= size {
		return slices.Clone(r.buf[:r.n]), false
	}
	pos := r.n % size
	return append(slices.Clone(r.buf[pos:]), r.buf[:pos]...), true
}

// tailLines returns the last lines of a log tail kept by a ring, at most
// max of them, without their line ends. When the start of the tail was
// dropped, its first, partial line is dropped too, unless it is the only
// one. Bytes that are not UTF-8 (a rune cut by the ring, binary output)
// become U+FFFD so that the lines encode as JSON strings.
func tailLines(tail []byte, dropped bool, max int) []string {
	if dropped {
		if i := bytes.IndexByte(tail, '\n'); i >= 0 && i < len(tail)-1 {
			tail = tail[i+1:]
		}
	}
	s := strings.TrimRight(strings.ToValidUTF8(string(tail), "\uFFFD"), "\r\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if len(lines) > max {
		lines = lines[len(lines)-max:]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// lineLogger is an io.Writer that logs each line written to it, cut at
// maxLogLine bytes, with attrs. Call flush after the last write to log an
// unfinished last line. It is not safe for concurrent use.
type lineLogger struct {
	log   *slog.Logger
	attrs []any
	line  []byte // the current line, up to maxLogLine bytes
	cut   bool   // the current line was longer than maxLogLine
}

func (l *lineLogger) Write(p []byte) (int, error) {
	written := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := maxLogLine - len(l.line); len(chunk) > room {
			chunk, l.cut = chunk[:room], true
		}
		l.line = append(l.line, chunk...)
		if i < 0 {
			break
		}
		l.emit()
		p = p[i+1:]
	}
	return written, nil
}

func (l *lineLogger) flush() {
	if len(l.line) > 0 || l.cut {
		l.emit()
	}
}

func (l *lineLogger) emit() {
	// Check first: a chatty command must cost nothing per line when its
	// level is off.
	if l.log.Enabled(context.Background(), slog.LevelInfo) {
		line := strings.TrimSuffix(strings.ToValidUTF8(string(l.line), "\uFFFD"), "\r")
		if l.cut {
			line += " [line cut at 4096 bytes]"
		}
		l.log.Info("lambda function log", append(l.attrs, "line", line)...)
	}
	l.line, l.cut = l.line[:0], false
}
