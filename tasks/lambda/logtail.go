package lambda

import (
	"bytes"
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
