package faults

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// captureLogger is a log.Logger writing every line, at every level, with its
// context arguments, into a lockedText.
type captureLogger struct {
	out  *lockedText
	with []any
}

func newCaptureLogger(out *lockedText) *captureLogger { return &captureLogger{out: out} }

func (c *captureLogger) line(level, msg string, args []any) {
	c.out.add(fmt.Sprintf("%s %s %v %v", level, msg, c.with, args))
}

// Debug implements log.Logger.
func (c *captureLogger) Debug(msg string, args ...any) { c.line("debug", msg, args) }

// Info implements log.Logger.
func (c *captureLogger) Info(msg string, args ...any) { c.line("info", msg, args) }

// Warn implements log.Logger.
func (c *captureLogger) Warn(msg string, args ...any) { c.line("warn", msg, args) }

// Error implements log.Logger.
func (c *captureLogger) Error(msg string, args ...any) { c.line("error", msg, args) }

// With implements log.Logger.
func (c *captureLogger) With(args ...any) log.Logger {
	return &captureLogger{out: c.out, with: append(append([]any{}, c.with...), args...)}
}

// Level implements log.Logger: debug, so nothing is filtered out.
func (c *captureLogger) Level() log.Level { return log.Debug }

// FromContext implements log.Logger.
func (c *captureLogger) FromContext(context.Context) log.Logger { return c }
