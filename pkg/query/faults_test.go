package query

import (
	"fmt"
	"testing"
	"time"

	"github.com/sunfleet/locus-datasource/internal/testkit"
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
	qs := []testkit.Query{
		{Ref: "A", JSON: fmt.Sprintf(`{"componentId":"%d","fields":["W_avg","Wh_sum"],"granularity":"5min"}`, inv.ID), From: from, To: from.AddDate(0, 0, 70), Interval: time.Minute, MaxDP: 100000},
		{Ref: "B", JSON: fmt.Sprintf(`{"siteId":"%d","fields":["Wh_sum"],"granularity":"daily"}`, s.ID), From: from, To: from.AddDate(0, 3, 0), Interval: time.Hour, MaxDP: 1000},
	}
	want, got := testkit.Run(t, clean.eng, nil, qs...), testkit.Run(t, stormy.eng, nil, qs...)
	if st := stormy.sim.Stats(); st.Faults["429"]+st.Faults["5xx"] == 0 {
		t.Fatal("no fault was injected")
	}
	compared, retries := 0, int64(0)
	for _, q := range qs {
		wf, gf := testkit.Frames(t, want, q.Ref), testkit.Frames(t, got, q.Ref)
		if len(wf) != len(gf) {
			t.Fatalf("%s: %d frames under faults, %d without", q.Ref, len(gf), len(wf))
		}
		for i := range wf {
			wt, gt := testkit.Times(t, wf[i]), testkit.Times(t, gf[i])
			wv, gv := testkit.Values(t, wf[i]), testkit.Values(t, gf[i])
			if len(wt) != len(gt) {
				t.Fatalf("%s frame %d: %d buckets under faults, %d without", q.Ref, i, len(gt), len(wt))
			}
			for j := range wt {
				if !wt[j].Equal(gt[j]) || deref(wv[j]) != deref(gv[j]) {
					t.Fatalf("%s frame %d bucket %d: %s=%s under faults, %s=%s without", q.Ref, i, j, gt[j], deref(gv[j]), wt[j], deref(wv[j]))
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
