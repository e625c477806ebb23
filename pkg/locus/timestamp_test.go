package locus

import (
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2014-04-01T12:00:00-07:00", time.Date(2014, 4, 1, 19, 0, 0, 0, time.UTC)},
		{"2014-04-01T12:00:00+05:30", time.Date(2014, 4, 1, 6, 30, 0, 0, time.UTC)},
		{"2014-04-01T12:00:00+00:00", time.Date(2014, 4, 1, 12, 0, 0, 0, time.UTC)},
		{"2015-11-01T12:00:00-00:00", time.Date(2015, 11, 1, 12, 0, 0, 0, time.UTC)},
		{"2014-04-01T12:00:00Z", time.Date(2014, 4, 1, 12, 0, 0, 0, time.UTC)},
		{"2014-04-01T12:00:00", time.Date(2014, 4, 1, 12, 0, 0, 0, time.UTC)},
		{"2014-04-01 12:00:00+0545", time.Date(2014, 4, 1, 6, 15, 0, 0, time.UTC)},
		{"2014-04-01T12:00:00-03", time.Date(2014, 4, 1, 15, 0, 0, 0, time.UTC)},
		{"2014-04-01T12:00:00.250Z", time.Date(2014, 4, 1, 12, 0, 0, 250e6, time.UTC)},
		{"2016-02-29T23:59:59+14:00", time.Date(2016, 2, 29, 9, 59, 59, 0, time.UTC)},
		{"1969-12-31T23:59:59Z", time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"0001-01-01T00:00:00Z", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := ParseTimestamp([]byte(c.in), nil)
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v UTC", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "2014-04-01", "2014-04-01T12:00", "2014-13-01T00:00:00Z", "2015-02-29T00:00:00Z",
		"2014-04-31T00:00:00Z", "2014-04-01T24:00:00Z", "2014-04-01T12:60:00Z", "2014-04-01T12:00:60Z", "2014-04-01T12:00:00+7",
		"2014-04-01T12:00:00+07:0", "2014-04-01T12:00:00+25:00", "2014-04-01T12:00:00 UTC", "2014/04/01T12:00:00Z", "2014-04-01T12:00:00.Z",
		"２014-04-01T12:00:00Z", "2014-04-01T12:00:00+07-00"} {
		if got, err := ParseTimestamp([]byte(bad), nil); err == nil {
			t.Errorf("ParseTimestamp(%q) = %v, want an error", bad, got)
		}
	}
}

func TestParseTimestampDoesNotAllocate(t *testing.T) {
	b := []byte("2014-04-01T12:00:00-07:00")
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseTimestamp(b, nil) }); n != 0 {
		t.Fatalf("ParseTimestamp allocates %v times per call", n)
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2014-04-01T12:00:00-07:00", "2014-04-01T12:00:00+05:30", "2015-11-01T12:00:00-00:00",
		"2014-04-01T12:00:00Z", "2016-02-29T00:00:00.123456789+14:00", "9999-12-31T23:59:59-23:59", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTimestamp([]byte(s), nil)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("%q parsed to a non-UTC time", s)
		}
		// Whatever RFC 3339 also accepts must mean the same instant.
		if ref, rerr := time.Parse(time.RFC3339Nano, s); rerr == nil && !ref.Equal(got) {
			t.Fatalf("%q: got %v, time.Parse says %v", s, got, ref)
		}
		// Round trip: formatting the instant in UTC parses back to it.
		if got.Year() < 1 || got.Year() > 9999 {
			return // offsets can push a valid wall time out of four-digit years
		}
		back, err := ParseTimestamp([]byte(got.Format(time.RFC3339Nano)), nil)
		if err != nil || !back.Equal(got) {
			t.Fatalf("%q: round trip of %v gave %v, %v", s, got, back, err)
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// An offset-less ts is a wall-clock time in the request's zone (expected
// instants are hand-computed from the zones' offsets).
func TestParseTimestampWithoutOffsetReadsTheZone(t *testing.T) {
	hnl, ny := mustZone(t, "Pacific/Honolulu"), mustZone(t, "America/New_York")
	cases := []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"2025-06-01T00:00:00", hnl, time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)},      // HST = UTC-10
		{"2025-06-01T00:00:00", ny, time.Date(2025, 6, 1, 4, 0, 0, 0, time.UTC)},        // EDT = UTC-4
		{"2025-01-01T00:00:00", ny, time.Date(2025, 1, 1, 5, 0, 0, 0, time.UTC)},        // EST = UTC-5
		{"2025-11-02T01:30:00", ny, time.Date(2025, 11, 2, 5, 30, 0, 0, time.UTC)},      // repeated: the earlier (EDT)
		{"2025-03-09T02:30:00", ny, time.Date(2025, 3, 9, 7, 30, 0, 0, time.UTC)},       // in the gap: EST, as the clocks showed
		{"2025-06-01T00:00:00-07:00", hnl, time.Date(2025, 6, 1, 7, 0, 0, 0, time.UTC)}, // an offset wins
		{"2025-06-01T00:00:00.5", hnl, time.Date(2025, 6, 1, 10, 0, 0, 5e8, time.UTC)},  // fraction kept
		{"2025-06-01T00:00:00", nil, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},       // nil is UTC
		{"2025-06-01T00:00:00", time.UTC, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},  // UTC
		{"2025-06-01T05:45:00Z", mustZone(t, "Asia/Kathmandu"), time.Date(2025, 6, 1, 5, 45, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := ParseTimestamp([]byte(c.in), c.loc)
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q, %v) = %v, %v; want %v UTC", c.in, c.loc, got, err, c.want)
		}
	}
}

// Rows in order resolve a repeated wall time (DST fall-back) from the
// previous row, and every ts lacking the zone's offset is flagged.
func TestTSReaderFlagsAndFallBack(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	type row struct {
		in   string
		want time.Time
		flag uint8
	}
	utc := func(h, m int) time.Time { return time.Date(2025, 11, 2, h, m, 0, 0, time.UTC) }
	seqs := [][]row{
		{ // hourly, offset-less, over the fall-back night: 01:00 twice
			{"2025-11-02T00:00:00", utc(4, 0), tsNoOffset},
			{"2025-11-02T01:00:00", utc(5, 0), tsNoOffset},
			{"2025-11-02T01:00:00", utc(6, 0), tsNoOffset},
			{"2025-11-02T02:00:00", utc(7, 0), tsNoOffset},
		},
		{ // 15-minute, offset-less: 01:45 EDT then 01:00 EST
			{"2025-11-02T01:30:00", utc(5, 30), tsNoOffset},
			{"2025-11-02T01:45:00", utc(5, 45), tsNoOffset},
			{"2025-11-02T01:00:00", utc(6, 0), tsNoOffset},
			{"2025-11-02T01:15:00", utc(6, 15), tsNoOffset},
		},
		{ // as the API sends them: nothing flagged
			{"2025-11-02T01:00:00-04:00", utc(5, 0), 0},
			{"2025-11-02T01:00:00-05:00", utc(6, 0), 0},
			{"2025-11-02T02:00:00-05:00", utc(7, 0), 0},
		},
		{ // UTC instants labelled +00:00 in a New York request: right instants, flagged
			{"2025-11-02T05:00:00+00:00", utc(5, 0), tsOtherOffset},
			{"2025-11-02T06:00:00Z", utc(6, 0), tsOtherOffset},
			{"2025-11-02T02:00:00-04:00", utc(6, 0), tsOtherOffset}, // EDT offset after the change
		},
	}
	for i, seq := range seqs {
		r := tsReader{loc: ny}
		for _, w := range seq {
			got, flag, err := r.read([]byte(w.in))
			if err != nil || !got.Equal(w.want) || flag != w.flag {
				t.Errorf("sequence %d: read(%q) = %v flag %d, %v; want %v flag %d", i, w.in, got, flag, err, w.want, w.flag)
			}
		}
	}
}

// decodeData keeps every row and reports the ones without the zone's offset.
func TestDecodeDataReportsTimestampsWithoutTheZonesOffset(t *testing.T) {
	hnl := mustZone(t, "Pacific/Honolulu")
	body := `{"data":[{"ts":"2025-06-01T00:00:00","W":1},{"ts":"2025-06-01T01:00:00-10:00","W":2},` +
		`{"ts":"2025-06-01T12:00:00+00:00","W":3},{"ts":"2025-06-01T03:00:00","W":4}]}`
	tab, err := decodeData([]byte(body), []string{"W"}, false, hnl)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 11, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC),
	}
	if len(tab.times) != len(want) {
		t.Fatalf("got %d rows, want %d", len(tab.times), len(want))
	}
	for i := range want {
		if !tab.times[i].Equal(want[i]) {
			t.Errorf("row %d at %v, want %v", i, tab.times[i], want[i])
		}
	}
	rep := tab.tsReport(0, len(tab.times))
	if rep.NoOffset != 2 || rep.OtherOffset != 1 || rep.Example != "2025-06-01T00:00:00" {
		t.Errorf("report %+v, want 2 without offset, 1 with another offset, example the first row", rep)
	}
	// Rows as the API sends them leave no flags (and no allocation for them).
	tab, err = decodeData([]byte(`{"data":[{"ts":"2025-06-01T00:00:00-10:00","W":1}]}`), []string{"W"}, false, hnl)
	if err != nil || tab.tsFlags != nil || tab.tsReport(0, 1) != (TimestampReport{}) {
		t.Errorf("a ts with the zone's offset was flagged: %v %+v", err, tab.tsFlags)
	}
}
