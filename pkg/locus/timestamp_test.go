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
		got, err := ParseTimestamp([]byte(c.in))
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v UTC", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "2014-04-01", "2014-04-01T12:00", "2014-13-01T00:00:00Z", "2015-02-29T00:00:00Z",
		"2014-04-31T00:00:00Z", "2014-04-01T24:00:00Z", "2014-04-01T12:60:00Z", "2014-04-01T12:00:60Z", "2014-04-01T12:00:00+7",
		"2014-04-01T12:00:00+07:0", "2014-04-01T12:00:00+25:00", "2014-04-01T12:00:00 UTC", "2014/04/01T12:00:00Z", "2014-04-01T12:00:00.Z",
		"２014-04-01T12:00:00Z", "2014-04-01T12:00:00+07-00"} {
		if got, err := ParseTimestamp([]byte(bad)); err == nil {
			t.Errorf("ParseTimestamp(%q) = %v, want an error", bad, got)
		}
	}
}

func TestParseTimestampDoesNotAllocate(t *testing.T) {
	b := []byte("2014-04-01T12:00:00-07:00")
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseTimestamp(b) }); n != 0 {
		t.Fatalf("ParseTimestamp allocates %v times per call", n)
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2014-04-01T12:00:00-07:00", "2014-04-01T12:00:00+05:30", "2015-11-01T12:00:00-00:00",
		"2014-04-01T12:00:00Z", "2016-02-29T00:00:00.123456789+14:00", "9999-12-31T23:59:59-23:59", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTimestamp([]byte(s))
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
		back, err := ParseTimestamp([]byte(got.Format(time.RFC3339Nano)))
		if err != nil || !back.Equal(got) {
			t.Fatalf("%q: round trip of %v gave %v, %v", s, got, back, err)
		}
	})
}
