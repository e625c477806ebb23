package locus

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"time"
)

// rowTable is a decoded data envelope: one row per data object, one
// column per requested field (one allocation per column, none per value;
// a validity column only once a null is seen). ids only when needIDs.
type rowTable struct {
	ids   []int64
	times []time.Time
	cols  []Column
	// tsFlags holds each row's TimestampReport flag, nil while every ts
	// carried the zone's offset; tsExample is the first flagged ts.
	tsFlags   []uint8
	tsExample string
}

// minRowBytes is the size of the smallest valid row, {"ts":"YYYY-MM-DDThh:mm:ss"}.
const minRowBytes = len(`{"ts":"2006-01-02T15:04:05"}`)

// decodeData decodes {"data":[{"id":..,"ts":..,"<field>":<number|null>},..],..}.
// Unknown keys at any level are skipped; missing fields and explicit nulls
// become nulls; numbers may be in any JSON form (or quoted). needIDs requires
// an "id" in every row (bulk data). loc is the request's tz: a ts without
// offset is read in it, and a ts without its offset is flagged (nil: UTC).
func decodeData(body []byte, fields []string, needIDs bool, loc *time.Location) (*rowTable, error) {
	d := dataDecoder{s: scanner{b: body}, fields: fields, needIDs: needIDs, ts: tsReader{loc: loc}, seen: map[string]keyText{}}
	d.index = make(map[string]int, len(fields))
	for i, f := range fields {
		d.index[f] = i
	}
	if err := d.envelope(); err != nil {
		return nil, err
	}
	return &d.t, nil
}

type dataDecoder struct {
	s       scanner
	fields  []string
	index   map[string]int
	needIDs bool
	t       rowTable
	setRow  []int // the last row each field got a value in
	// keys[pos] is the key the previous row had at position pos, as it
	// appeared in the body; seen holds every key text met (bounded).
	keys  []keyText
	seen  map[string]keyText
	nulls bool // some column has had a null
	ts    tsReader
}

func (d *dataDecoder) envelope() error {
	s := &d.s
	s.ws()
	if !s.eat('{') {
		return s.fail("expected a JSON object")
	}
	found := false
	if err := s.object(func(key []byte) error {
		if string(key) == "data" {
			found = true
			return d.rows()
		}
		return s.skip(0)
	}); err != nil {
		return err
	}
	s.ws()
	if s.i != len(s.b) {
		return s.fail("unexpected data after the JSON object")
	}
	if !found {
		return errors.New(`the JSON has no "data" list`)
	}
	return nil
}

func (d *dataDecoder) rows() error {
	s := &d.s
	s.ws()
	if s.lit("null") {
		d.alloc(0)
		return nil
	}
	if !s.eat('[') {
		return s.fail(`"data" must be a list`)
	}
	// Every row is an object: counting '{' (a fast single-byte count) sizes
	// the columns, exactly for Locus's flat rows. A row takes at least
	// minRowBytes, which bounds what a hostile body could make us allocate.
	rest := s.b[s.i:]
	d.alloc(min(bytes.Count(rest, []byte{'{'}), len(rest)/minRowBytes+1))
	defer d.cut()
	s.ws()
	if s.eat(']') {
		return nil
	}
	for {
		s.ws()
		if !s.eat('{') {
			return s.fail("each data entry must be an object")
		}
		if err := d.row(); err != nil {
			return err
		}
		s.ws()
		if s.eat(',') {
			continue
		}
		if s.eat(']') {
			return nil
		}
		return s.fail(`expected "," or "]" in the data list`)
	}
}

// cut shortens the value columns, allocated for the most rows the body can
// hold, to the rows read.
func (d *dataDecoder) cut() {
	for i := range d.t.cols {
		c := &d.t.cols[i]
		c.Values = c.Values[:len(d.t.times)]
	}
}

// grow makes room for one more row in every value column (never needed for
// a body alloc sized; kept so no count can make a row overflow).
func (d *dataDecoder) grow() {
	for i := range d.t.cols {
		c := &d.t.cols[i]
		c.Values = append(c.Values, 0)
		c.Values = c.Values[:cap(c.Values)]
	}
}

// alloc sizes the table for n rows and starts it afresh (a body that
// repeats "data" keeps the last list, as a JSON object's last key wins).
func (d *dataDecoder) alloc(n int) {
	n = max(n, 0)
	d.t = rowTable{}
	d.ts = tsReader{loc: d.ts.loc}
	d.nulls = false
	if d.needIDs {
		d.t.ids = make([]int64, 0, n)
	}
	d.t.times = make([]time.Time, 0, n)
	d.t.cols = make([]Column, len(d.fields))
	d.setRow = make([]int, len(d.fields))
	for i := range d.fields {
		d.t.cols[i].Values = make([]float64, n) // cut to the rows read by rows()
		d.setRow[i] = -1
	}
}

// rowKey is what a key of a data row holds: a field's index (>= 0), the
// ts, the id, or something to skip.
const (
	keyTS   = -2
	keyID   = -3
	keySkip = -1
)

// keyText is a key as it appears in the body, from its opening quote to
// its colon (`"W_avg":`), and what it holds.
type keyText struct {
	text string
	kind int
}

// maxRowKeys bounds the key positions remembered from the previous row.
const maxRowKeys = 64

// row reads one data object, whose '{' was consumed, into row len(t.times)
// of the table. Its fast path expects the previous row's keys in the same
// order (one comparison of `"W_avg":` per key) and plain decimals (read
// by plainNumber); anything else (another order, a missing, unknown or
// escaped key, whitespace, null, a quoted or exponent number) goes through
// key, scanner.number and scanner.skip, with the same result.
func (d *dataDecoder) row() error {
	s := &d.s
	b := s.b
	t := &d.t
	rowNum := len(t.times)
	if len(t.cols) > 0 && rowNum == len(t.cols[0].Values) {
		d.grow()
	}
	var id int64
	haveID, haveTS := false, false
	var ts time.Time
	var tsFlag uint8
	set := 0 // fields of the row given a value (each counted once)
	i := s.i
	for pos := 0; ; pos++ {
		i = wsEnd(b, i)
		if pos == 0 && i < len(b) && b[i] == '}' {
			i++
			break
		}
		// The key: most rows repeat the previous row's keys in the same
		// order, so one comparison of `"name":` usually settles it.
		kind, known := keySkip, false
		if pos < len(d.keys) {
			if k := d.keys[pos]; len(b)-i >= len(k.text) && string(b[i:i+len(k.text)]) == k.text {
				i += len(k.text)
				kind, known = k.kind, true
			}
		}
		if !known {
			var err error
			if kind, i, err = d.key(i, pos); err != nil {
				return err
			}
		}
		i = wsEnd(b, i)
		switch {
		case kind >= 0:
			s.i = i
			v, null, err := s.number()
			if err != nil {
				return fmt.Errorf("data row %d, field %q: %w", rowNum, d.fields[kind], err)
			}
			i = s.i
			switch {
			case !null:
				t.cols[kind].Values[rowNum] = v
				if d.setRow[kind] != rowNum {
					d.setRow[kind] = rowNum
					set++
				}
			case d.setRow[kind] == rowNum:
				// A duplicate key: the last value wins, a null too.
				t.cols[kind].Values[rowNum] = 0
				d.setRow[kind] = rowNum - 1
				set--
			}
		case kind == keyTS:
			s.i = i
			raw, err := s.stringValue()
			if err != nil {
				return fmt.Errorf("data row %d, ts: %w", rowNum, err)
			}
			i = s.i
			if ts, tsFlag, err = d.ts.read(raw); err != nil {
				return fmt.Errorf("data row %d, ts %q: %w", rowNum, raw, err)
			}
			if tsFlag != 0 && t.tsExample == "" {
				t.tsExample = string(raw)
			}
			haveTS = true
		case kind == keyID:
			s.i = i
			v, null, err := s.number()
			if err != nil || null || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
				return fmt.Errorf("data row %d: id must be an integer", rowNum)
			}
			i = s.i
			id, haveID = int64(v), true
		default:
			s.i = i
			if err := s.skip(0); err != nil {
				return err
			}
			i = s.i
		}
		i = wsEnd(b, i)
		if i < len(b) && b[i] == ',' {
			i++
			continue
		}
		if i < len(b) && b[i] == '}' {
			i++
			break
		}
		s.i = i
		return s.fail(`expected "," or "}" in an object`)
	}
	s.i = i
	if !haveTS {
		return fmt.Errorf("data row %d has no ts", rowNum)
	}
	if d.needIDs && !haveID {
		return fmt.Errorf("data row %d has no id", rowNum)
	}
	if tsFlag != 0 && t.tsFlags == nil {
		t.tsFlags = make([]uint8, rowNum, cap(t.times))
	}
	if t.tsFlags != nil {
		t.tsFlags = append(t.tsFlags, tsFlag)
	}
	t.times = append(t.times, ts)
	if d.needIDs {
		t.ids = append(t.ids, id)
	}
	if set == len(t.cols) && !d.nulls {
		return nil // every field has a value, as in every row so far
	}
	for fi, r := range d.setRow {
		c := &t.cols[fi]
		switch {
		case r != rowNum && c.Valid == nil:
			// The first null of the column: every earlier row had a value.
			c.Valid = make([]bool, rowNum+1, cap(c.Values))
			for j := range rowNum {
				c.Valid[j] = true
			}
			d.nulls = true
		case c.Valid != nil:
			c.Valid = append(c.Valid, r == rowNum)
		}
	}
	return nil
}

// key reads the key at b[i:] the slow way, remembers how it appeared at
// key position pos, and returns what it holds and where its value starts.
func (d *dataDecoder) key(i, pos int) (kind, next int, err error) {
	s := &d.s
	s.i = i
	key, err := s.stringValue()
	if err != nil {
		return 0, 0, err
	}
	s.ws()
	if !s.eat(':') {
		return 0, 0, s.fail(`expected ":" after an object key`)
	}
	switch string(key) {
	case "ts":
		kind = keyTS
	case "id":
		kind = keyID
	default:
		kind = keySkip
		if k, ok := d.index[string(key)]; ok {
			kind = k
		}
	}
	if pos < maxRowKeys {
		raw := s.b[i:s.i]
		k, ok := d.seen[string(raw)]
		if !ok {
			k = keyText{text: string(raw), kind: kind}
			if len(d.seen) < maxRowKeys {
				d.seen[k.text] = k
			}
		}
		if pos < len(d.keys) {
			d.keys[pos] = k
		} else {
			d.keys = append(d.keys, k)
		}
	}
	return kind, s.i, nil
}

// tsReport counts the flagged rows of [from, to).
func (t *rowTable) tsReport(from, to int) TimestampReport {
	var r TimestampReport
	if t.tsFlags == nil {
		return r
	}
	for _, f := range t.tsFlags[from:to] {
		switch f {
		case tsNoOffset:
			r.NoOffset++
		case tsOtherOffset:
			r.OtherOffset++
		}
	}
	if r.NoOffset+r.OtherOffset > 0 {
		r.Example = t.tsExample
	}
	return r
}
