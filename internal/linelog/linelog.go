// Package linelog logs what a child process writes, line by line: the
// stderr of Lambda command functions and the output of local jobs.
package linelog

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
)

// MaxLine is the most bytes of one line that are logged; the rest of a
// longer line is cut and the record says so.
const MaxLine = 4096

// Writer is an io.Writer that logs each line written to it at the info
// level as msg with attrs and a "line" attribute. Call Flush after the
// last write to log an unfinished last line. It is not safe for
// concurrent use: exec.Cmd writes each stream from one goroutine.
type Writer struct {
	log   *slog.Logger
	msg   string
	attrs []any
	line  []byte // the current line, up to MaxLine bytes
	cut   bool   // the current line was longer than MaxLine
}

// New returns a Writer logging to log.
func New(log *slog.Logger, msg string, attrs ...any) *Writer {
	return &Writer{log: log, msg: msg, attrs: attrs}
}

// Write implements io.Writer; it never fails.
func (w *Writer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := MaxLine - len(w.line); len(chunk) > room {
			chunk, w.cut = chunk[:room], true
		}
		w.line = append(w.line, chunk...)
		if i < 0 {
			break
		}
		w.emit()
		p = p[i+1:]
	}
	return n, nil
}

// Flush logs the last line if it had no newline.
func (w *Writer) Flush() {
	if len(w.line) > 0 || w.cut {
		w.emit()
	}
}

func (w *Writer) emit() {
	// Check first: a chatty process must cost nothing per line when the
	// level is off.
	if w.log.Enabled(context.Background(), slog.LevelInfo) {
		line := strings.TrimSuffix(strings.ToValidUTF8(string(w.line), "\uFFFD"), "\r")
		if w.cut {
			line += " [line cut at " + strconv.Itoa(MaxLine) + " bytes]"
		}
		w.log.Info(w.msg, append(w.attrs, "line", line)...)
	}
	w.line, w.cut = w.line[:0], false
}
