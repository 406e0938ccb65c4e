package app

import (
	"context"
	"io"
	"log/slog"

	"gopkg.in/natefinch/lumberjack.v2"
)

// newLogger logs to a size-rotated file (10 MB, 5 old files kept) and, when stderr is not nil, to
// stderr at stderrLevel and above.
func newLogger(file string, stderr io.Writer, stderrLevel slog.Level) (*slog.Logger, io.Closer) {
	rot := &lumberjack.Logger{Filename: file, MaxSize: 10, MaxBackups: 5, Compress: false}
	handlers := []slog.Handler{slog.NewJSONHandler(rot, &slog.HandlerOptions{Level: slog.LevelInfo})}
	if stderr != nil {
		handlers = append(handlers, slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: stderrLevel}))
	}
	return slog.New(fanout(handlers)), rot
}

// fanout is a slog.Handler that passes each record to several handlers.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var first error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}
