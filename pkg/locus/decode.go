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
	d := dataDecoder{s: scanner{b: body}, fields: fields, needIDs: needIDs, ts: tsReader{loc: loc}}
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
	order   []int // field index by key position in the previous row
	ts      tsReader
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

func (d *dataDecoder) alloc(n int) {
	n = max(n, 0)
	if d.needIDs {
		d.t.ids = make([]int64, 0, n)
	}
	d.t.times = make([]time.Time, 0, n)
	d.t.cols = make([]Column, len(d.fields))
	d.setRow = make([]int, len(d.fields))
	for i := range d.fields {
		d.t.cols[i].Values = make([]float64, 0, n)
		d.setRow[i] = -1
	}
}

func (d *dataDecoder) row() error {
	s := &d.s
	t := &d.t
	rowNum := len(t.times)
	for i := range t.cols {
		t.cols[i].Values = append(t.cols[i].Values, 0)
	}
	var id int64
	haveID, haveTS := false, false
	var ts time.Time
	var tsFlag uint8
	pos := 0
	err := s.object(func(key []byte) error {
		fi := -1
		if pos < len(d.order) && d.order[pos] >= 0 && string(key) == d.fields[d.order[pos]] {
			fi = d.order[pos]
		} else {
			switch string(key) {
			case "ts":
				fi = -2
			case "id":
				fi = -3
			default:
				if k, ok := d.index[string(key)]; ok {
					fi = k
				}
			}
			if pos < len(d.order) {
				d.order[pos] = max(fi, -1)
			} else if pos < 64 {
				d.order = append(d.order, max(fi, -1))
			}
		}
		pos++
		switch {
		case fi >= 0:
			v, null, err := s.number()
			if err != nil {
				return fmt.Errorf("data row %d, field %q: %w", rowNum, d.fields[fi], err)
			}
			if !null {
				d.set(fi, rowNum, v)
			}
		case fi == -2:
			raw, err := s.stringValue()
			if err != nil {
				return fmt.Errorf("data row %d, ts: %w", rowNum, err)
			}
			if ts, tsFlag, err = d.ts.read(raw); err != nil {
				return fmt.Errorf("data row %d, ts %q: %w", rowNum, raw, err)
			}
			if tsFlag != 0 && t.tsExample == "" {
				t.tsExample = string(raw)
			}
			haveTS = true
		case fi == -3:
			v, null, err := s.number()
			if err != nil || null || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
				return fmt.Errorf("data row %d: id must be an integer", rowNum)
			}
			id, haveID = int64(v), true
		default:
			return s.skip(0)
		}
		return nil
	})
	if err != nil {
		return err
	}
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
	for fi, r := range d.setRow {
		c := &t.cols[fi]
		switch {
		case r != rowNum && c.Valid == nil:
			// The first null of the column: every earlier row had a value.
			c.Valid = make([]bool, rowNum+1, cap(c.Values))
			for j := range rowNum {
				c.Valid[j] = true
			}
		case c.Valid != nil:
			c.Valid = append(c.Valid, r == rowNum)
		}
	}
	return nil
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

// set stores v for field fi in the current row (a duplicate key: the last
// value wins).
func (d *dataDecoder) set(fi, rowNum int, v float64) {
	d.t.cols[fi].Values[rowNum] = v
	d.setRow[fi] = rowNum
}
