package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// simOrigin serves a simulator over HTTP on 127.0.0.1 for one test.
func simOrigin(t testing.TB, cfg locussim.Config) (*locussim.Server, string) {
	t.Helper()
	sim := locussim.New(cfg)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL
}

// simSettings are data source settings for the simulator's main account.
func simSettings(baseURL string, overrides map[string]any, secrets map[string]string) backend.DataSourceInstanceSettings {
	js := map[string]any{
		"baseUrl":   baseURL,
		"partnerId": locussim.DefaultPartnerID,
		"username":  locussim.DefaultUsername,
		"clientId":  locussim.DefaultClientID,
	}
	for k, v := range overrides {
		if v == nil {
			delete(js, k)
			continue
		}
		js[k] = v
	}
	raw, _ := json.Marshal(js)
	sec := map[string]string{"password": locussim.DefaultPassword, "clientSecret": locussim.DefaultClientSecret}
	for k, v := range secrets {
		sec[k] = v
	}
	return backend.DataSourceInstanceSettings{UID: "test", JSONData: raw, DecryptedSecureJSONData: sec, Updated: time.Now()}
}

// captureLogger records every log line so tests can assert no secret leaks.
type captureLogger struct {
	lines *lockedBuilder
	args  []any
}

// lockedBuilder is a strings.Builder safe for concurrent loggers.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) add(s string) {
	l.mu.Lock()
	l.b.WriteString(s)
	l.mu.Unlock()
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newCaptureLogger() *captureLogger { return &captureLogger{lines: &lockedBuilder{}} }

func (c *captureLogger) log(level, msg string, args ...any) {
	c.lines.add(fmt.Sprintf("%s %s %v %v\n", level, msg, c.args, args))
}
func (c *captureLogger) Debug(msg string, args ...any) { c.log("debug", msg, args...) }
func (c *captureLogger) Info(msg string, args ...any)  { c.log("info", msg, args...) }
func (c *captureLogger) Warn(msg string, args ...any)  { c.log("warn", msg, args...) }
func (c *captureLogger) Error(msg string, args ...any) { c.log("error", msg, args...) }
func (c *captureLogger) With(args ...any) log.Logger {
	return &captureLogger{lines: c.lines, args: append(append([]any{}, c.args...), args...)}
}
func (c *captureLogger) Level() log.Level                         { return log.Debug }
func (c *captureLogger) FromContext(_ context.Context) log.Logger { return c }

// newTestDatasource builds an instance with fast retries and a log capture.
func newTestDatasource(t testing.TB, s backend.DataSourceInstanceSettings) (*Datasource, *captureLogger) {
	t.Helper()
	logs := newCaptureLogger()
	d := newDatasource(s, Options{Logger: logs, Tune: func(c *locus.Config) {
		c.RetryBaseDelay = time.Millisecond
		c.RetryMaxDelay = 5 * time.Millisecond
		c.MaxRetries = 2
		c.Timeout = 10 * time.Second
	}})
	t.Cleanup(d.Dispose)
	return d, logs
}

// assertNoSecrets fails if any configured secret appears in text.
func assertNoSecrets(t testing.TB, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s leaks a secret (%q): %s", where, s, text)
		}
	}
}
