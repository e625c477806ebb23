package locus

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// maxDecodeDepth bounds nesting of unknown values we skip.
const maxDecodeDepth = 64

// scanner is a minimal JSON tokenizer over a byte slice.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() { s.i = wsEnd(s.b, s.i) }

// wsEnd is the index of the first byte at or after i that is not JSON
// whitespace.
func wsEnd(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) lit(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

func (s *scanner) fail(msg string) error {
	if s.i >= len(s.b) {
		return errors.New("the JSON ends early (truncated response)")
	}
	return fmt.Errorf("malformed JSON at byte %d: %s", s.i, msg)
}

// object iterates the members of an object whose '{' was consumed, calling
// member with each key (unescaped) with the scanner before the value.
func (s *scanner) object(member func(key []byte) error) error {
	s.ws()
	if s.eat('}') {
		return nil
	}
	for {
		s.ws()
		key, err := s.stringValue()
		if err != nil {
			return err
		}
		s.ws()
		if !s.eat(':') {
			return s.fail(`expected ":" after an object key`)
		}
		s.ws()
		if err := member(key); err != nil {
			return err
		}
		if more, err := s.next('}', "an object"); !more {
			return err
		}
	}
}

// next reads what follows a member of an object or an element of a list:
// true after ",", false (and no error) after close, and otherwise false and
// an error naming what was expected where ("an object", "a list").
func (s *scanner) next(close byte, where string) (bool, error) {
	s.ws()
	if s.eat(',') {
		return true, nil
	}
	if s.eat(close) {
		return false, nil
	}
	return false, s.fail(`expected "," or "` + string(close) + `" in ` + where)
}

// stringValue reads a JSON string and returns its content, unescaped (the
// escape-free common case returns a sub-slice of the input).
func (s *scanner) stringValue() ([]byte, error) {
	if !s.eat('"') {
		return nil, s.fail("expected a string")
	}
	start := s.i
	// Fast path: no escape before the closing quote (keys, ts, most strings).
	for i, b := start, s.b; i < len(b); i++ {
		if c := b[i]; c == '"' {
			s.i = i + 1
			return b[start:i], nil
		} else if c == '\\' || c < 0x20 {
			break
		}
	}
	escaped := false
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			raw := s.b[start:s.i]
			s.i++
			if !escaped {
				return raw, nil
			}
			var out string
			if err := json.Unmarshal(s.b[start-1:s.i], &out); err != nil {
				return nil, fmt.Errorf("malformed JSON string at byte %d", start)
			}
			return []byte(out), nil
		case c == '\\':
			escaped = true
			s.i += 2
		case c < 0x20:
			return nil, s.fail("control character in a string")
		default:
			s.i++
		}
	}
	s.i = len(s.b)
	return nil, s.fail("unterminated string")
}

// number reads a number, a quoted number or null.
func (s *scanner) number() (v float64, null bool, err error) {
	// The plain decimal first: nearly every value of a data row is one.
	if v, next, ok := plainNumber(s.b, s.i); ok {
		s.i = next
		return v, false, nil
	}
	if s.lit("null") {
		return 0, true, nil
	}
	var tok []byte
	if s.i < len(s.b) && s.b[s.i] == '"' {
		if tok, err = s.stringValue(); err != nil {
			return 0, false, err
		}
		if !isJSONNumber(tok) {
			return 0, false, fmt.Errorf("value %q is not a number", tok)
		}
	} else if tok, err = s.numberToken("expected a number or null"); err != nil {
		return 0, false, err
	}
	v, err = strconv.ParseFloat(string(tok), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("number %q is out of range", tok)
	}
	return v, false, nil
}

// numberToken reads an unquoted JSON number's text (any size), failing
// with missing when there is none.
func (s *scanner) numberToken(missing string) ([]byte, error) {
	start := s.i
	for s.i < len(s.b) {
		if c := s.b[s.i]; (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	tok := s.b[start:s.i]
	if !isJSONNumber(tok) {
		if len(tok) == 0 {
			return nil, s.fail(missing)
		}
		return nil, fmt.Errorf("value %q is not a number", tok)
	}
	return tok, nil
}

// pow10 holds the powers of ten that are exact in a float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// plainNumber parses the common plain decimal at b[i:] (-?\d+(\.\d+)?
// with at most 15 significant digits) in one pass: mantissa and power of
// ten are both exact in a float64, so one division gives the correctly
// rounded value (Clinger's fast path). It returns the value and the index
// after it, or ok false for anything else (left to scanner.number).
func plainNumber(b []byte, i int) (v float64, next int, ok bool) {
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	start := i
	mant, i := digitRun(b, i, 0)
	n := i - start
	if n == 0 || (n > 1 && b[start] == '0') {
		return 0, 0, false
	}
	frac := 0
	if i < len(b) && b[i] == '.' {
		fs := i + 1
		mant, i = digitRun(b, fs, mant)
		frac = i - fs
		if frac == 0 {
			return 0, 0, false
		}
	}
	if n+frac > 15 || (i < len(b) && (b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-' || b[i] == '.')) {
		return 0, 0, false
	}
	v = float64(mant) / pow10[frac]
	if neg {
		v = -v
	}
	return v, i, true
}

// digitRun reads the run of ASCII digits at b[i:] into mant (mant*10 +
// digit for each; the caller bounds the count, so it may wrap only for
// runs it then refuses) and returns the index after the run. Runs of up
// to 7 digits with 8 bytes to read take one 8-byte load and a
// multiply-and-shift conversion (the SWAR method of fast_float and
// simdjson, Lemire, "Number parsing at a gigabyte per second", 2021).
func digitRun(b []byte, i int, mant uint64) (uint64, int) {
	if len(b)-i >= 8 {
		x := binary.LittleEndian.Uint64(b[i:]) ^ 0x3030303030303030 // a digit byte becomes 0..9
		// A byte is not a digit if its high nibble is set, or adding 6
		// sets it (10..15); a carry can only disturb bytes after the first
		// non-digit, which are not looked at.
		nd := (x | (x + 0x0606060606060606)) & 0xF0F0F0F0F0F0F0F0
		k := bits.TrailingZeros64(nd) / 8 // digits before the first non-digit
		if k < 8 {
			if k == 0 {
				return mant, i
			}
			// Shift the k digits to the top bytes: the bytes below are
			// leading zeros. Then add neighbouring digits pairwise,
			// pairs into fours, fours into eight.
			x <<= 8 * (8 - k)
			x = (x * 10) + (x >> 8)
			x = (((x & 0x000000FF000000FF) * (100 + (1000000 << 32))) +
				(((x >> 16) & 0x000000FF000000FF) * (1 + (10000 << 32)))) >> 32
			return mant*pow10u[k] + x, i + k
		}
	}
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
	}
	return mant, i
}

// pow10u holds 10^k for k <= 8.
var pow10u = [...]uint64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// isJSONNumber checks the JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		if i = digitsEnd(b, i+1); i < 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i = digitsEnd(b, i); i < 0 {
			return false
		}
	}
	return i == len(b)
}

// digitsEnd returns the index just after the run of ASCII digits of b that
// starts at i, or -1 when there is no digit at i (a fraction or exponent
// needs at least one).
func digitsEnd(b []byte, i int) int {
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// skip skips any JSON value.
func (s *scanner) skip(depth int) error {
	if depth > maxDecodeDepth {
		return s.fail("JSON nested too deeply")
	}
	s.ws()
	if s.i >= len(s.b) {
		return s.fail("expected a value")
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, err := s.stringValue()
		return err
	case c == '{':
		s.i++
		return s.object(func([]byte) error { return s.skip(depth + 1) })
	case c == '[':
		s.i++
		s.ws()
		if s.eat(']') {
			return nil
		}
		for {
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			if more, err := s.next(']', "a list"); !more {
				return err
			}
		}
	case s.lit("true"), s.lit("false"), s.lit("null"):
		return nil
	default:
		// Any JSON number, however large: a value nobody asked for is
		// never converted, so it cannot be out of range.
		_, err := s.numberToken("expected a value")
		return err
	}
}
