package main

import (
	"fmt"
	"io"
	"strings"
)

// figure is one measured value with its target.
type figure struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"`
	Target string  `json:"target"`
	Pass   bool    `json:"pass"`
	// Note explains the value (what was counted, the minimal count, ...).
	Note string `json:"note,omitempty"`
}

// verdict is PASS or FAIL.
func (f figure) verdict() string {
	if f.Pass {
		return "PASS"
	}
	return "FAIL"
}

// valueText formats the value with its unit, integers without decimals.
func (f figure) valueText() string {
	v := fmt.Sprintf("%.3g", f.Value)
	if f.Value == float64(int64(f.Value)) {
		v = fmt.Sprintf("%d", int64(f.Value))
	} else if f.Value >= 100 {
		v = fmt.Sprintf("%.0f", f.Value)
	}
	if f.Unit != "" {
		v += " " + f.Unit
	}
	return v
}

// printFigures writes one aligned line per figure: name, value, target, verdict.
func printFigures(w io.Writer, figs []figure) {
	nw, vw, tw := 0, 0, 0
	for _, f := range figs {
		nw, vw, tw = max(nw, len(f.Name)), max(vw, len(f.valueText())), max(tw, len(f.Target))
	}
	for _, f := range figs {
		fmt.Fprintf(w, "%-*s  %-*s  %-*s  %s\n", nw, f.Name, vw, f.valueText(), tw, f.Target, f.verdict())
	}
}

// atMost is a figure whose target is value <= limit.
func atMost(name string, v, limit float64, unit string) figure {
	return figure{Name: name, Value: v, Unit: unit, Target: "<= " + trimFloat(limit) + suffix(unit), Pass: v <= limit}
}

// below is a figure whose target is value < limit.
func below(name string, v, limit float64, unit string) figure {
	return figure{Name: name, Value: v, Unit: unit, Target: "< " + trimFloat(limit) + suffix(unit), Pass: v < limit}
}

// equalTo is a figure whose target is value == want.
func equalTo(name string, v, want float64, unit string) figure {
	return figure{Name: name, Value: v, Unit: unit, Target: "= " + trimFloat(want) + suffix(unit), Pass: v == want}
}

// failed is a figure that could not be measured.
func failed(name, target string, err error) figure {
	return figure{Name: name, Value: -1, Target: target, Pass: false, Note: "not measured: " + err.Error()}
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func suffix(unit string) string {
	if unit == "" {
		return ""
	}
	return " " + unit
}
