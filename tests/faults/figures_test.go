package faults

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// figures are the run's totals, printed by TestMain and read by scripts/faults.sh.
var figures struct {
	scenarios, faults, completed, errors, compared atomic.Int64
}

// scenario counts one fault or bad-input scenario.
func scenario(t *testing.T) {
	t.Helper()
	figures.scenarios.Add(1)
}

// surface collects everything the plugin showed the outside world over the
// whole run (every log line at every level, every error, frame meta,
// resource response and health message); secrets collects every credential
// and every token seen on the wire. TestMain checks one against the other.
var (
	surface = &lockedText{}
	secrets = &secretSet{seen: map[string]bool{}}
)

// lockedText is a concurrency-safe text accumulator.
type lockedText struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedText) add(parts ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range parts {
		l.b.WriteString(p)
		l.b.WriteByte('\n')
	}
}

func (l *lockedText) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// secretSet is the set of secret strings the run must never surface.
type secretSet struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (s *secretSet) add(v string) {
	if len(v) < 6 { // the simulator's other account uses "other": too common a word to grep for
		return
	}
	s.mu.Lock()
	s.seen[v] = true
	s.mu.Unlock()
}

func (s *secretSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.seen))
	for v := range s.seen {
		out = append(out, v)
	}
	return out
}

// leaks returns the secrets found in text, masked to their first 4 characters.
func leaks(text string, secrets []string) []string {
	var found []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			found = append(found, s[:4]+"…")
		}
	}
	return found
}

func TestMain(m *testing.M) {
	// Every log line of the plugin, at every level, goes to the capture:
	// the SDK's default logger (what the instances log to) and backend.Logger.
	capture := newCaptureLogger(surface)
	backend.Logger = capture
	log.DefaultLogger = capture
	code := m.Run()
	all := secrets.list()
	if found := leaks(surface.String(), all); len(found) > 0 {
		fmt.Printf("FAIL: secrets surfaced in logs, errors, meta, resources or health: %v\n", found)
		code = 1
	}
	fmt.Printf("faults figures: scenarios=%d faults_injected=%d queries_completed=%d errors_surfaced=%d values_compared=%d secrets_checked=%d surface_bytes=%d\n",
		figures.scenarios.Load(), figures.faults.Load(), figures.completed.Load(), figures.errors.Load(), figures.compared.Load(), len(all), len(surface.String()))
	os.Exit(code)
}
