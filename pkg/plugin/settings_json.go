package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// present returns the raw value of key unless it is absent, JSON null or an
// empty string (what a cleared form field leaves behind): all mean "default".
func present(m map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	switch strings.TrimSpace(string(v)) {
	case "null", `""`:
		return nil, false
	}
	return v, true
}

func jsonString(key string, v json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", settingErr(key, "must be a string, got %s", jsonKind(v))
	}
	return s, nil
}

func jsonBool(key string, v json.RawMessage) (bool, error) {
	var b bool
	if err := json.Unmarshal(v, &b); err == nil {
		return b, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		if b, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
			return b, nil
		}
	}
	return false, settingErr(key, "must be true or false, got %s", jsonKind(v))
}

// jsonInt accepts a JSON number or a numeric string holding a whole number.
func jsonInt(key string, v json.RawMessage, valid string) (int64, error) {
	text := strings.TrimSpace(string(v))
	if strings.HasPrefix(text, `"`) {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return 0, settingErr(key, "must be %s", valid)
		}
		text = strings.TrimSpace(s)
		if text == "" {
			return 0, nil
		}
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, settingErr(key, "%s is not a number: use %s", shorten(text), valid)
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, settingErr(key, "%s is not a whole number: use %s", shorten(text), valid)
	}
	return int64(f), nil
}

func jsonKind(v json.RawMessage) string {
	t := strings.TrimSpace(string(v))
	switch {
	case t == "":
		return "nothing"
	case t[0] == '"':
		return "a string"
	case t[0] == '{':
		return "an object"
	case t[0] == '[':
		return "an array"
	case t == "true" || t == "false":
		return "a boolean"
	default:
		return "a number"
	}
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "expected an object, got " + te.Value
	}
	return "malformed JSON"
}

func shorten(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}
