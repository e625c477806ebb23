package query

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// echoModel is the JSON model of a test-only query type.
type echoModel struct {
	Base
	Text   string `json:"text"`
	Repeat int    `json:"repeat,omitempty"`
}

// echoQuery is echoModel resolved: the words to answer.
type echoQuery struct{ words []string }

// TestNewQueryTypeIsOneTableEntry registers a query type with one entry in
// queryTypes (decode, handle) and runs it through Engine.QueryData: it is
// decoded, validated, dispatched and answered, its bad input is refused
// naming the key, it is listed among the valid types of an unknown one, the
// model schema describes it, and /plan refuses it as a type without a plan.
func TestNewQueryTypeIsOneTableEntry(t *testing.T) {
	saved := queryTypes
	t.Cleanup(func() { queryTypes = saved })
	queryTypes = append(append([]queryType(nil), saved...), queryType{
		name: "echo", model: echoModel{}, anyRange: true,
		decode: decodeAs(func(m *echoModel) (*echoQuery, error) {
			if strings.TrimSpace(m.Text) == "" {
				return nil, badInput("text is empty: give the words to echo")
			}
			q := &echoQuery{}
			for range max(m.Repeat, 1) {
				q.words = append(q.words, m.Text)
			}
			return q, nil
		}),
		handle: eachQuery(func(_ context.Context, _ *Engine, r *request, q *echoQuery) (backend.DataResponse, error) {
			return backend.DataResponse{Frames: data.Frames{data.NewFrame(r.RefID, data.NewField("word", nil, q.words))}}, nil
		}),
	})

	en := newEnv(t, nil, nil)
	resp, err := en.eng.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "A", QueryType: "echo", JSON: []byte(`{"text":"hello","repeat":2}`)},
		{RefID: "B", JSON: []byte(`{"queryType":"echo","text":" "}`)},
		{RefID: "C", JSON: []byte(`{"queryType":"echo","text":7}`)},
		{RefID: "D", JSON: []byte(`{"queryType":"nope"}`)},
	}})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	a := resp.Responses["A"]
	if a.Error != nil || len(a.Frames) != 1 || a.Frames[0].Rows() != 2 {
		t.Fatalf("echo A = %+v, want one frame of 2 rows", a)
	}
	if w, _ := a.Frames[0].Fields[0].ConcreteAt(1); w != "hello" {
		t.Errorf("echo A row 1 = %v, want hello", w)
	}
	for ref, want := range map[string]string{
		"B": "text is empty",
		"C": "text must be a string, not a number",
		"D": `valid values are "timeseries", "latest", "bulk", "alerts", "metadata", "ranking", "echo"`,
	} {
		r := resp.Responses[ref]
		if r.Error == nil || r.Status != backend.StatusBadRequest || !strings.Contains(r.Error.Error(), want) {
			t.Errorf("%s = %v (status %d), want a 400 containing %q", ref, r.Error, r.Status, want)
		}
	}
	if keys := ModelSchema()["echo"]; keys["text"] != KindString || keys["repeat"] != KindNumber || keys["refId"] != KindString {
		t.Errorf("ModelSchema()[echo] = %v, want text string, repeat number and Base's keys", keys)
	}
	now := time.Now()
	plans := en.eng.PlanTimeSeries(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "A", QueryType: "echo", JSON: []byte(`{"text":"hello"}`), TimeRange: backend.TimeRange{From: now.Add(-time.Hour), To: now}},
	}})
	if p := plans["A"]; p.Status != 400 || !strings.Contains(p.Error, `query type "echo" has no plan`) {
		t.Errorf("plan of echo = %+v, want a 400 saying it has no plan", p)
	}
}

// A panic in a query type's handler answers that query with a 500 plugin
// error naming it; the request's other queries are answered and the process
// does not crash.
func TestPanickingHandlerIsItsQuerysInternalError(t *testing.T) {
	saved := queryTypes
	t.Cleanup(func() { queryTypes = saved })
	queryTypes = append(append([]queryType(nil), saved...), queryType{
		name: "crash", model: Base{}, anyRange: true,
		decode: decodeAs(func(m *Base) (*Base, error) { return m, nil }),
		handle: eachQuery(func(_ context.Context, _ *Engine, r *request, _ *Base) (backend.DataResponse, error) {
			if r.RefID == "A" {
				var frames data.Frames
				_ = frames[3] // index out of range: a runtime panic
			}
			return backend.DataResponse{Frames: data.Frames{data.NewFrame(r.RefID)}}, nil
		}),
	})
	en := newEnv(t, nil, nil)
	resp, err := en.eng.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "A", QueryType: "crash", JSON: []byte(`{}`)},
		{RefID: "B", QueryType: "crash", JSON: []byte(`{}`)},
	}})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	a := resp.Responses["A"]
	if a.Status != backend.StatusInternal || a.ErrorSource != backend.ErrorSourcePlugin || a.Error == nil ||
		!strings.Contains(a.Error.Error(), "internal error while answering query A") {
		t.Errorf("A = %v (status %d, source %q), want a 500 plugin error naming query A", a.Error, a.Status, a.ErrorSource)
	}
	if b := resp.Responses["B"]; b.Error != nil || len(b.Frames) != 1 {
		t.Errorf("B = %+v, want its frame", b)
	}
}
