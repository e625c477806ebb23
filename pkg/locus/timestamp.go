package locus

import (
	"errors"
	"time"
)

// wallLayout is the API's request time format: wall-clock time in the
// request's tz, without offset.
const wallLayout = "2006-01-02T15:04:05"

var errTimestamp = errors.New(`timestamp is not "YYYY-MM-DDThh:mm:ss" with an optional fraction and a Z or ±hh:mm offset`)

// ParseTimestamp parses a response timestamp such as
// 2014-04-01T12:00:00-07:00, +05:30, +00:00, -00:00 or Z (also ±hhmm, ±hh,
// a space instead of T, and fractional seconds) into a UTC instant. A
// timestamp without offset is taken as UTC. It is allocation-free.
func ParseTimestamp(b []byte) (time.Time, error) {
	// YYYY-MM-DDThh:mm:ss is 19 bytes.
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, errTimestamp
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, errTimestamp
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errTimestamp
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
			return time.Time{}, errTimestamp
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case len(rest) == 0:
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
			return time.Time{}, errTimestamp
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, errTimestamp
	}
	unix := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec) - int64(offset)
	return time.Unix(unix, int64(nsec)).UTC(), nil
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
