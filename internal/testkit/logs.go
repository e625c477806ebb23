package testkit

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// Logs records every log line, for checks that no secret is logged. It is
// an SDK log.Logger (and so the client's and the engine's Logger too); the
// loggers With returns write to the same record.
type Logs struct {
	rec  *record
	args []any
}

type record struct {
	mu    sync.Mutex
	lines []string
}

// NewLogs returns an empty record.
func NewLogs() *Logs { return &Logs{rec: &record{}} }

func (l *Logs) add(level, msg string, args ...any) {
	line := fmt.Sprintf("%s %s %v %v", level, msg, l.args, args)
	l.rec.mu.Lock()
	l.rec.lines = append(l.rec.lines, line)
	l.rec.mu.Unlock()
}

// Debug records a debug line.
func (l *Logs) Debug(msg string, args ...any) { l.add("debug", msg, args...) }

// Info records an info line.
func (l *Logs) Info(msg string, args ...any) { l.add("info", msg, args...) }

// Warn records a warning line.
func (l *Logs) Warn(msg string, args ...any) { l.add("warn", msg, args...) }

// Error records an error line.
func (l *Logs) Error(msg string, args ...any) { l.add("error", msg, args...) }

// With returns a logger adding args to every line, recording here.
func (l *Logs) With(args ...any) log.Logger {
	return &Logs{rec: l.rec, args: append(append([]any{}, l.args...), args...)}
}

// Level is log.Debug: everything is recorded.
func (l *Logs) Level() log.Level { return log.Debug }

// FromContext returns l.
func (l *Logs) FromContext(context.Context) log.Logger { return l }

// String is every line recorded so far, one a line.
func (l *Logs) String() string {
	l.rec.mu.Lock()
	defer l.rec.mu.Unlock()
	return strings.Join(l.rec.lines, "\n")
}

// AssertNoSecrets fails the test if any non-empty secret appears in text
// (where names the text in the failure, which shows only a secret's start).
func AssertNoSecrets(t testing.TB, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s contains a secret (%.4s…)", where, s)
		}
	}
}
