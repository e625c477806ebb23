package plugin

import (
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// redactingLogger adapts the SDK logger to the client's and engine's Logger
// interfaces and, as a second line of defence behind the client's own care,
// masks any configured secret that appears in a message or argument.
type redactingLogger struct {
	inner   log.Logger
	secrets []string
}

func newRedactingLogger(inner log.Logger, secrets ...string) *redactingLogger {
	l := &redactingLogger{inner: inner}
	for _, s := range secrets {
		if len(s) >= locus.MinRedactLen {
			l.secrets = append(l.secrets, s)
		}
	}
	return l
}

// Debug logs at debug level.
func (l *redactingLogger) Debug(msg string, args ...any) {
	l.inner.Debug(l.redact(msg), l.redactArgs(args)...)
}

// Info logs at info level.
func (l *redactingLogger) Info(msg string, args ...any) {
	l.inner.Info(l.redact(msg), l.redactArgs(args)...)
}

// Warn logs at warning level.
func (l *redactingLogger) Warn(msg string, args ...any) {
	l.inner.Warn(l.redact(msg), l.redactArgs(args)...)
}

// Error logs at error level.
func (l *redactingLogger) Error(msg string, args ...any) {
	l.inner.Error(l.redact(msg), l.redactArgs(args)...)
}

func (l *redactingLogger) redact(s string) string { return locus.Redact(s, l.secrets...) }

func (l *redactingLogger) redactArgs(args []any) []any {
	if len(l.secrets) == 0 {
		return args
	}
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = l.redact(v)
		case error:
			out[i] = l.redact(v.Error())
		case fmt.Stringer:
			out[i] = l.redact(v.String())
		default:
			out[i] = a
		}
	}
	return out
}
