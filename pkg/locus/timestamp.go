package locus

import (
	"errors"
	"time"
)

// wallLayout is the API's request time format: wall-clock time in the
// request's tz, without offset.
const wallLayout = "2006-01-02T15:04:05"

var errTimestamp = errors.New(`timestamp is not "YYYY-MM-DDThh:mm:ss" with an optional fraction and an optional Z or ±hh:mm offset`)

// ParseTimestamp parses a response timestamp such as
// 2014-04-01T12:00:00-07:00, +05:30, +00:00, -00:00 or Z (also ±hhmm, ±hh,
// a space instead of T, and fractional seconds) into a UTC instant. A
// timestamp without offset is a wall-clock time in loc, the request's tz
// (FACTS: response times are in the request's tz); nil loc means UTC. An
// offset-less wall time a DST fall-back repeats is read as its earlier
// instant (decodeData, which sees the rows in order, resolves it from the
// previous row instead). With an offset it is allocation-free.
func ParseTimestamp(b []byte, loc *time.Location) (time.Time, error) {
	p, err := parseStamp(b)
	if err != nil {
		return time.Time{}, err
	}
	if p.hasOffset || loc == nil || loc == time.UTC {
		return p.instant(), nil
	}
	return p.inZone(loc, time.Time{}), nil
}

// stamp is a parsed timestamp: its wall-clock time counted as if it were
// UTC, and its offset when it has one.
type stamp struct {
	wall      int64 // seconds since 1970-01-01T00:00:00 of the wall-clock time
	nsec      int
	offset    int // seconds east of UTC
	hasOffset bool
}

// instant is the stamp read at its own offset (UTC when it has none).
func (p stamp) instant() time.Time {
	return time.Unix(p.wall-int64(p.offset), int64(p.nsec)).UTC()
}

// inZone reads an offset-less stamp as a wall-clock time in loc. A wall
// time that occurs twice (DST fall-back) is the earlier instant unless only
// the later one is after prev (the previous row of a response in ts order);
// a wall time that does not occur (spring-forward gap) is read with the
// offset in force before the change, as the clocks showed it.
func (p stamp) inZone(loc *time.Location, prev time.Time) time.Time {
	var cands [2]time.Time
	n := 0
	// A zone changes its offset at most once within a day in practice: the
	// offsets a day before and a day after are the only candidates.
	for _, probe := range [2]int64{p.wall - 86400, p.wall + 86400} {
		_, off := time.Unix(probe, 0).In(loc).Zone()
		u := time.Unix(p.wall-int64(off), int64(p.nsec)).UTC()
		if _, o := u.In(loc).Zone(); o != off || (n == 1 && cands[0].Equal(u)) {
			continue
		}
		cands[n] = u
		n++
	}
	switch {
	case n == 0: // in a gap
		_, off := time.Unix(p.wall-86400, 0).In(loc).Zone()
		return time.Unix(p.wall-int64(off), int64(p.nsec)).UTC()
	case n == 2:
		early, late := cands[0], cands[1]
		if late.Before(early) {
			early, late = late, early
		}
		if !prev.IsZero() && !early.After(prev) && late.After(prev) {
			return late
		}
		return early
	}
	return cands[0]
}

// parseStamp parses the layout ParseTimestamp accepts.
func parseStamp(b []byte) (stamp, error) {
	// YYYY-MM-DDThh:mm:ss is 19 bytes.
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return stamp{}, errTimestamp
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return stamp{}, errTimestamp
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return stamp{}, errTimestamp
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		i := 1
		scale := 100000000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			nsec += int(rest[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == 1 {
			return stamp{}, errTimestamp
		}
		rest = rest[i:]
	}
	offset := 0
	hasOffset := true
	switch {
	case len(rest) == 0:
		hasOffset = false
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case rest[0] == '+' || rest[0] == '-':
		var oh, om int
		var ok bool
		switch len(rest) {
		case 3: // ±hh
			oh, ok = digits(rest[1:3])
		case 5: // ±hhmm
			var ok2 bool
			oh, ok = digits(rest[1:3])
			om, ok2 = digits(rest[3:5])
			ok = ok && ok2
		case 6: // ±hh:mm
			var ok2 bool
			oh, ok = digits(rest[1:3])
			om, ok2 = digits(rest[4:6])
			ok = ok && ok2 && rest[3] == ':'
		}
		if !ok || oh > 23 || om > 59 {
			return stamp{}, errTimestamp
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return stamp{}, errTimestamp
	}
	wall := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return stamp{wall: wall, nsec: nsec, offset: offset, hasOffset: hasOffset}, nil
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to the given
// proleptic Gregorian date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// TimestampReport counts the rows of a data response whose ts did not carry
// the UTC offset of the request's zone, which the API always sends
// (2014-04-01T12:00:00-07:00). Such rows are kept, never dropped: the query
// layer turns a report with counts into a notice.
type TimestampReport struct {
	// NoOffset counts ts without offset, read as wall-clock times in the
	// request's tz.
	NoOffset int
	// OtherOffset counts ts whose offset is not the offset of the request's
	// zone at the instant the ts names. They are read at their own offset:
	// a wall time with an offset names one instant whatever the zone.
	OtherOffset int
	// Example is the first such ts as sent.
	Example string
}

// Add adds o's counts to r (r keeps its example if it has one).
func (r *TimestampReport) Add(o TimestampReport) {
	r.NoOffset += o.NoOffset
	r.OtherOffset += o.OtherOffset
	if r.Example == "" {
		r.Example = o.Example
	}
}

// Row flags of a TimestampReport.
const (
	tsNoOffset uint8 = 1 + iota
	tsOtherOffset
)

// tsReader reads the ts of a data response's rows in order: offset-less
// ones in the request's zone, and it flags any ts without the zone's
// offset. It caches the zone period of the previous row, so rows that
// follow the API cost one parse and no zone lookup.
type tsReader struct {
	loc  *time.Location // the request's zone; nil means UTC
	prev time.Time
	// [zStart, zEnd) is a period in which loc's offset is zOff (zEnd zero:
	// no later change).
	zStart, zEnd time.Time
	zOff         int
	zValid       bool
	// last is the previous ts parsed with its stamp: a ts with the same
	// date and offset (the next row's, nearly always) only needs its time
	// of day read.
	last      [len("2006-01-02T15:04:05-07:00")]byte
	lastStamp stamp
	lastOK    bool
}

// read parses one ts and returns its instant and its flag (0, tsNoOffset
// or tsOtherOffset).
func (r *tsReader) read(b []byte) (time.Time, uint8, error) {
	p, ok := r.sameDay(b)
	if !ok {
		var err error
		if p, err = parseStamp(b); err != nil {
			return time.Time{}, 0, err
		}
		if r.lastOK = len(b) == len(r.last) && p.nsec == 0; r.lastOK {
			copy(r.last[:], b)
			r.lastStamp = p
		}
	}
	var t time.Time
	var flag uint8
	switch {
	case !p.hasOffset && (r.loc == nil || r.loc == time.UTC):
		t, flag = p.instant(), tsNoOffset
	case !p.hasOffset:
		t, flag = p.inZone(r.loc, r.prev), tsNoOffset
	default:
		t = p.instant()
		if p.offset != r.zoneOffset(t) {
			flag = tsOtherOffset
		}
	}
	r.prev = t
	return t, flag, nil
}

// sameDay reads b when it is "YYYY-MM-DDThh:mm:ss±hh:mm" with the date
// and offset of the previous full-length ts read, so only the time of day
// is new: the stamp parseStamp would give, without parsing the rest again.
func (r *tsReader) sameDay(b []byte) (stamp, bool) {
	const dateEnd, timeEnd = len("2006-01-02T"), len("2006-01-02T15:04:05")
	if !r.lastOK || len(b) != len(r.last) || string(b[:dateEnd]) != string(r.last[:dateEnd]) ||
		string(b[timeEnd:]) != string(r.last[timeEnd:]) || b[13] != ':' || b[16] != ':' {
		return stamp{}, false
	}
	h1, h2, m1, m2, s1, s2 := b[11]-'0', b[12]-'0', b[14]-'0', b[15]-'0', b[17]-'0', b[18]-'0'
	if h1 > 2 || h2 > 9 || m1 > 5 || m2 > 9 || s1 > 5 || s2 > 9 {
		return stamp{}, false
	}
	hour := int(h1)*10 + int(h2)
	if hour > 23 {
		return stamp{}, false
	}
	p := r.lastStamp
	day := p.wall - (p.wall%86400+86400)%86400 // the date's midnight, before 1970 too
	p.wall = day + int64((hour*60+int(m1)*10+int(m2))*60+int(s1)*10+int(s2))
	return p, true
}

// zoneOffset is loc's offset at t in seconds east of UTC.
func (r *tsReader) zoneOffset(t time.Time) int {
	if r.loc == nil || r.loc == time.UTC {
		return 0
	}
	if r.zValid && !t.Before(r.zStart) && (r.zEnd.IsZero() || t.Before(r.zEnd)) {
		return r.zOff
	}
	lt := t.In(r.loc)
	_, r.zOff = lt.Zone()
	r.zStart, r.zEnd = lt.ZoneBounds()
	r.zValid = true
	return r.zOff
}
