package query

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/internal/testkit"
	"github.com/sunfleet/locus-datasource/pkg/fanout"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestCancelledQueryStopsUpstreamWorkAndTheQueueMovesOn(t *testing.T) {
	e := newEnv(t, func(c *locussim.Config) { c.Latency = 100 * time.Millisecond }, nil)
	_, inv := e.inverter(t, "", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: json.RawMessage(fmt.Sprintf(`{"componentId":"%d","fields":["W_avg"],"granularity":"5min"}`, inv.ID)),
		Interval: time.Minute, MaxDataPoints: 100000, TimeRange: backend.TimeRange{From: from, To: from.AddDate(0, 0, 90)},
	}}}
	// Planning needs the site list, the component and its dataavailable
	// (100 ms each, one at a time) before any of the 3 data requests:
	// cancelling after 150 ms must stop the query before its data requests.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	resp, err := e.eng.QueryData(ctx, req)
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	r := resp.Responses["A"]
	if r.Error == nil {
		t.Fatal("a query cancelled while its requests were queued succeeded")
	}
	if r.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("cancelled query error source %q, want downstream", r.ErrorSource)
	}
	if n := e.dataCalls(); n != 0 {
		t.Errorf("%d data requests reached Locus after the cancellation, want 0", n)
	}
	// The queue moves on: the next query of the same account succeeds.
	// Locus counts the abandoned request until its handler notices the
	// closed connection; the next query is sent after that (else it may
	// meet 429s, retried with the test's millisecond delays until the
	// retry budget is spent on a loaded machine).
	if err := e.sim.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	fresh := testkit.Run(t, e.eng, nil, testkit.Query{Ref: "B", JSON: fmt.Sprintf(`{"componentId":"%d","fields":["W_avg"]}`, inv.ID),
		From: from, To: from.Add(6 * time.Hour), Interval: time.Minute, MaxDP: 1000})
	if fs := testkit.Frames(t, fresh, "B"); len(fs) != 1 || !strings.Contains(fs[0].Meta.ExecutedQueryString, "/data?") {
		t.Errorf("query after the cancellation returned %d frames", len(fs))
	}
}

func TestAPanicInTheEngineIsAnInternalErrorNamingItsWork(t *testing.T) {
	log := &panicLog{}
	e := NewEngine(nil, Options{Logger: log})
	errs, err := e.each(context.Background(), 3, fanout.Options{KeepGoing: true},
		func(i int) string { return fmt.Sprintf("reading site %d", i) },
		func(_ context.Context, i int) error {
			if i == 1 {
				panic("boom")
			}
			return nil
		})
	if err == nil || errs[1] != err || errs[0] != nil || errs[2] != nil || !strings.Contains(err.Error(), "internal error while reading site 1") {
		t.Fatalf("each = %v %v, want item 1's panic as an error naming it", errs, err)
	}
	if st, src := classify(err); st != backend.StatusInternal || src != backend.ErrorSourcePlugin {
		t.Errorf("internal error classified %d %q, want 500 plugin", st, src)
	}
	if len(log.lines) != 1 || !strings.Contains(log.lines[0], "boom") || !strings.Contains(log.lines[0], "cancel_test.go") {
		t.Errorf("logged %q, want the panic once with its value and stack", log.lines)
	}
}

// panicLog records the engine's error lines.
type panicLog struct{ lines []string }

func (l *panicLog) Debug(string, ...any) {}
func (l *panicLog) Info(string, ...any)  {}
func (l *panicLog) Warn(string, ...any)  {}
func (l *panicLog) Error(msg string, args ...any) {
	l.lines = append(l.lines, fmt.Sprint(append([]any{msg}, args...)...))
}
