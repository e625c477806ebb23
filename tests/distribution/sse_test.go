package distribution

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// This file is a small stand-in for the part of Grafana's server-side
// expressions (SSE) the provisioned alert rules use: reduce, math and
// threshold over numbers keyed by their label set. Grafana is not available
// here; the point is to evaluate the rule's logic on the plugin's real
// output, including that math joins series only when their labels match.

// numbers are one value per label set (the key is data.Labels.String()).
type numbers map[string]float64

// reduceSettings are a reduce expression's settings.
type reduceSettings struct {
	Mode             string  // "", "dropNN" or "replaceNN"
	ReplaceWithValue float64 // for replaceNN
}

// reduceSeries reduces each series with reducer (max, min, mean, sum, last).
// Mode dropNN skips nulls (an all-null series gives NaN), replaceNN replaces
// each null with ReplaceWithValue, and the default (strict) gives NaN for a
// series with any null.
func reduceSeries(series map[string][]*float64, reducer string, set reduceSettings) (numbers, error) {
	out := numbers{}
	for key, vals := range series {
		var xs []float64
		strictNull := false
		for _, v := range vals {
			switch {
			case v != nil && !math.IsNaN(*v):
				xs = append(xs, *v)
			case set.Mode == "replaceNN":
				xs = append(xs, set.ReplaceWithValue)
			case set.Mode != "dropNN":
				strictNull = true
			}
		}
		if strictNull {
			out[key] = math.NaN()
			continue
		}
		if len(xs) == 0 {
			out[key] = math.NaN()
			continue
		}
		r := xs[0]
		switch reducer {
		case "max":
			for _, x := range xs {
				r = math.Max(r, x)
			}
		case "min":
			for _, x := range xs {
				r = math.Min(r, x)
			}
		case "sum", "mean":
			r = 0
			for _, x := range xs {
				r += x
			}
			if reducer == "mean" {
				r /= float64(len(xs))
			}
		case "last":
			r = xs[len(xs)-1]
		default:
			return nil, fmt.Errorf("reducer %q is not supported by this evaluator", reducer)
		}
		out[key] = r
	}
	return out, nil
}

// threshold applies a threshold evaluator (gt, lt, within_range, ...).
func threshold(in numbers, typ string, params []float64) (numbers, error) {
	out := numbers{}
	for k, v := range in {
		var ok bool
		switch typ {
		case "gt":
			ok = v > params[0]
		case "lt":
			ok = v < params[0]
		case "within_range":
			ok = v > params[0] && v < params[1]
		case "outside_range":
			ok = v < params[0] || v > params[1]
		default:
			return nil, fmt.Errorf("threshold type %q is not supported by this evaluator", typ)
		}
		out[k] = b2f(ok)
	}
	return out, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// evalMath evaluates a math expression over the refs. Like SSE, series of
// different refs are combined only where their label sets are equal; a
// label set missing from any referenced ref is dropped (and reported).
func evalMath(expr string, refs map[string]numbers) (numbers, []string, error) {
	toks, err := tokenize(expr)
	if err != nil {
		return nil, nil, err
	}
	var used []string
	for _, tk := range toks {
		if strings.HasPrefix(tk, "$") {
			used = append(used, strings.Trim(tk[1:], "{}"))
		}
	}
	if len(used) == 0 {
		return nil, nil, fmt.Errorf("math expression %q references no query", expr)
	}
	keys := map[string]bool{}
	for _, r := range used {
		for k := range refs[r] {
			keys[k] = true
		}
	}
	out := numbers{}
	var unmatched []string
	for k := range keys {
		vals := map[string]float64{}
		complete := true
		for _, r := range used {
			v, ok := refs[r][k]
			if !ok {
				complete = false
				break
			}
			vals[r] = v
		}
		if !complete {
			unmatched = append(unmatched, k)
			continue
		}
		p := &parser{toks: toks, vals: vals}
		v, err := p.expr(0)
		if err != nil {
			return nil, nil, err
		}
		if p.pos != len(toks) {
			return nil, nil, fmt.Errorf("math expression %q: unexpected %q", expr, toks[p.pos])
		}
		out[k] = v
	}
	return out, unmatched, nil
}

func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := rune(s[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '$':
			j := i + 1
			if j < len(s) && s[j] == '{' {
				end := strings.IndexByte(s[j:], '}')
				if end < 0 {
					return nil, fmt.Errorf("unclosed ${ in %q", s)
				}
				toks = append(toks, "$"+s[j+1:j+end])
				i = j + end + 1
				continue
			}
			for j < len(s) && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])) || s[j] == '_') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case unicode.IsDigit(c) || c == '.':
			j := i
			for j < len(s) && (unicode.IsDigit(rune(s[j])) || s[j] == '.' || s[j] == 'e') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			two := ""
			if i+1 < len(s) {
				two = s[i : i+2]
			}
			switch two {
			case "&&", "||", "<=", ">=", "==", "!=":
				toks = append(toks, two)
				i += 2
				continue
			}
			if strings.ContainsRune("+-*/()<>!", c) {
				toks = append(toks, string(c))
				i++
				continue
			}
			return nil, fmt.Errorf("unexpected %q in %q", c, s)
		}
	}
	return toks, nil
}

type parser struct {
	toks []string
	pos  int
	vals map[string]float64
}

var precedence = map[string]int{"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6}

// expr parses by precedence climbing.
func (p *parser) expr(minPrec int) (float64, error) {
	left, err := p.unary()
	if err != nil {
		return 0, err
	}
	for p.pos < len(p.toks) {
		op := p.toks[p.pos]
		prec, ok := precedence[op]
		if !ok || prec < minPrec {
			break
		}
		p.pos++
		right, err := p.expr(prec + 1)
		if err != nil {
			return 0, err
		}
		left = apply(op, left, right)
	}
	return left, nil
}

func (p *parser) unary() (float64, error) {
	if p.pos >= len(p.toks) {
		return 0, fmt.Errorf("expression ends early")
	}
	tk := p.toks[p.pos]
	p.pos++
	switch {
	case tk == "-":
		v, err := p.unary()
		return -v, err
	case tk == "!":
		v, err := p.unary()
		return b2f(v == 0), err
	case tk == "(":
		v, err := p.expr(0)
		if err != nil {
			return 0, err
		}
		if p.pos >= len(p.toks) || p.toks[p.pos] != ")" {
			return 0, fmt.Errorf("missing )")
		}
		p.pos++
		return v, nil
	case strings.HasPrefix(tk, "$"):
		v, ok := p.vals[tk[1:]]
		if !ok {
			return 0, fmt.Errorf("unknown reference %s", tk)
		}
		return v, nil
	default:
		return strconv.ParseFloat(tk, 64)
	}
}

// apply follows SSE: comparisons and logic give 1 or 0; || and && short
// circuit on their left operand, otherwise NaN in gives NaN out.
func apply(op string, a, b float64) float64 {
	switch {
	case op == "||" && a != 0:
		return 1
	case op == "&&" && a == 0:
		return 0
	case math.IsNaN(a) || math.IsNaN(b):
		return math.NaN()
	}
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	case "<":
		return b2f(a < b)
	case ">":
		return b2f(a > b)
	case "<=":
		return b2f(a <= b)
	case ">=":
		return b2f(a >= b)
	case "==":
		return b2f(a == b)
	case "!=":
		return b2f(a != b)
	case "&&":
		return b2f(a != 0 && b != 0)
	case "||":
		return b2f(a != 0 || b != 0)
	}
	return math.NaN()
}
