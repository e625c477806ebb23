package locus

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// maxDecodeDepth bounds nesting of unknown values we skip.
const maxDecodeDepth = 64

// scanner is a minimal JSON tokenizer over a byte slice.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\n', '\r', '\t':
			s.i++
		default:
			return
		}
	}
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
	} else {
		if v, ok := s.fastNumber(); ok {
			return v, false, nil
		}
		start := s.i
		for s.i < len(s.b) {
			c := s.b[s.i]
			if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
				s.i++
				continue
			}
			break
		}
		tok = s.b[start:s.i]
		if !isJSONNumber(tok) {
			if len(tok) == 0 {
				return 0, false, s.fail("expected a number or null")
			}
			return 0, false, fmt.Errorf("value %q is not a number", tok)
		}
	}
	v, err = strconv.ParseFloat(string(tok), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("number %q is out of range", tok)
	}
	return v, false, nil
}

// pow10 holds the powers of ten that are exact in a float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastNumber parses the common plain decimal (-?\d+(\.\d+)? with at most
// 15 significant digits) in one pass: mantissa and power of ten are both
// exact in a float64, so one division gives the correctly rounded value
// (Clinger's fast path). Anything else is left to the general path, with
// the scanner untouched.
func (s *scanner) fastNumber() (float64, bool) {
	b := s.b
	i := s.i
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	if i >= len(b) || b[i] < '0' || b[i] > '9' || (b[i] == '0' && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '9') {
		return 0, false
	}
	var mant uint64
	digits, frac := 0, 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		mant = mant*10 + uint64(b[i]-'0')
		digits++
		i++
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			mant = mant*10 + uint64(b[i]-'0')
			digits++
			i++
		}
		frac = i - start
		if frac == 0 {
			return 0, false
		}
	}
	if digits > 15 || (i < len(b) && (b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-' || b[i] == '.')) {
		return 0, false
	}
	v := float64(mant) / pow10[frac]
	if neg {
		v = -v
	}
	s.i = i
	return v, true
}

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
		_, _, err := s.number()
		return err
	}
}
