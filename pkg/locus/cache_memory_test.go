package locus

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// sparseBody is a data response of rows each carrying one of nFields
// fields (what a component list with many fields returns for a fleet whose
// devices report at different times).
func sparseBody(rows, nFields int, seed int) ([]byte, []string) {
	fields := make([]string, nFields)
	for i := range fields {
		fields[i] = fmt.Sprintf("F%02d_avg", i)
	}
	var b strings.Builder
	b.WriteString(`{"data":[`)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"ts":"%s","%s":%d.5}`, start.Add(time.Duration(r)*time.Minute).Format(time.RFC3339), fields[(r+seed)%nFields], r)
	}
	b.WriteString(`]}`)
	return []byte(b.String()), fields
}

func TestCacheBudgetBoundsTheDecodedMemoryOfSparseRows(t *testing.T) {
	const budget = 8 << 20
	const rows = 2000
	c := newCache(budget, 1<<20)
	base := liveHeap()
	var jsonBytes int64
	for i := range 60 {
		body, fields := sparseBody(rows, 30, i)
		jsonBytes += int64(len(body))
		tab, err := decodeData(body, fields, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := decodedSeries(int64(i), fields, tab)
		c.put(fmt.Sprint("k", i), s, seriesSize(s, body), testNow, time.Hour)
	}
	held := liveHeap() - base
	entries, counted := c.usage()
	t.Logf("60 responses of %d sparse 30-field rows: %.1f MiB of JSON; cache keeps %d entries, counts %.1f MiB, heap holds %.1f MiB (budget %d MiB)",
		rows, float64(jsonBytes)/(1<<20), entries, float64(counted)/(1<<20), float64(held)/(1<<20), budget>>20)
	if entries == 60 {
		t.Fatalf("nothing was evicted: the test did not fill the budget")
	}
	// The cache's own structures add a little; the budget must bound the rest.
	if limit := int64(budget) * 5 / 4; held > limit {
		t.Fatalf("the cache holds %.1f MiB of heap for a %d MiB budget (counted %.1f MiB): the budget does not bound memory",
			float64(held)/(1<<20), budget>>20, float64(counted)/(1<<20))
	}
}
