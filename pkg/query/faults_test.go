package query

import (
	"fmt"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

func TestRateLimitAndServerErrorStormsGiveTheSameSeries(t *testing.T) {
	clean := newEnv(t, nil, nil)
	stormy := newEnvWith(t, func(c *locussim.Config) {
		c.Faults = locussim.Faults{Rate429: 0.25, Rate5xx: 0.1}
	}, nil, func(c *locus.Config) { c.MaxRetries = 10 })
	s := clean.site(t, "", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), "INVERTER")
	inv := s.ComponentsOfType("INVERTER")[0]
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, s.Location())
	qs := []tq{
		{ref: "A", js: fmt.Sprintf(`{"componentId":"%d","fields":["W_avg","Wh_sum"],"granularity":"5min"}`, inv.ID), from: from, to: from.AddDate(0, 0, 70), interval: time.Minute, maxDP: 100000},
		{ref: "B", js: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"daily"}`, s.ID), from: from, to: from.AddDate(0, 3, 0), interval: time.Hour, maxDP: 1000},
	}
	want, got := clean.run(t, nil, qs...), stormy.run(t, nil, qs...)
	if st := stormy.sim.Stats(); st.Faults["429"]+st.Faults["5xx"] == 0 {
		t.Fatal("no fault was injected")
	}
	compared, retries := 0, int64(0)
	for _, q := range qs {
		wf, gf := ok(t, want, q.ref), ok(t, got, q.ref)
		if len(wf) != len(gf) {
			t.Fatalf("%s: %d frames under faults, %d without", q.ref, len(gf), len(wf))
		}
		for i := range wf {
			wt, gt := times(t, wf[i]), times(t, gf[i])
			wv, gv := column(t, wf[i]), column(t, gf[i])
			if len(wt) != len(gt) {
				t.Fatalf("%s frame %d: %d buckets under faults, %d without", q.ref, i, len(gt), len(wt))
			}
			for j := range wt {
				if !wt[j].Equal(gt[j]) || deref(wv[j]) != deref(gv[j]) {
					t.Fatalf("%s frame %d bucket %d: %s=%s under faults, %s=%s without", q.ref, i, j, gt[j], deref(gv[j]), wt[j], deref(wv[j]))
				}
				compared++
			}
		}
		retries += custom(t, gf[0]).Retries
	}
	if compared == 0 {
		t.Fatal("no values compared")
	}
	if retries == 0 {
		t.Error("faults were injected but the frames' meta reports no retry")
	}
}
