package frames

import (
	"strconv"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// EntityNames names the entity a series belongs to. ComponentID is 0 for
// site-level data.
type EntityNames struct {
	SiteID        int64
	SiteName      string
	ComponentID   int64
	ComponentName string
}

// AliasVars are the variables an alias template may use for one series.
func AliasVars(names EntityNames, info locus.Field) map[string]string {
	vars := map[string]string{
		"site":        names.SiteName,
		"siteId":      idString(names.SiteID),
		"component":   names.ComponentName,
		"componentId": idString(names.ComponentID),
		"field":       info.ShortName,
		"longName":    info.LongName,
		"aggregation": info.Aggregation,
		"source":      info.Source,
		"unit":        info.Unit,
	}
	return vars
}

// Alias expands {{name}} placeholders (spaces inside the braces allowed)
// from vars. Unknown names and unclosed braces are left verbatim, and
// substituted values are never expanded again.
func Alias(template string, vars map[string]string) string {
	if !strings.Contains(template, "{{") {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + 32)
	rest := template
	for {
		open := strings.Index(rest, "{{")
		if open < 0 {
			b.WriteString(rest)
			return b.String()
		}
		closeRel := strings.Index(rest[open+2:], "}}")
		if closeRel < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := open + 2 + closeRel
		// The innermost "{{" before the "}}" opens the placeholder, so extra
		// braces stay literal: "{{{site}}}" gives "{Sunny Acres}".
		open = strings.LastIndex(rest[:end], "{{")
		name := strings.TrimSpace(rest[open+2 : end])
		b.WriteString(rest[:open])
		if v, ok := vars[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(rest[open : end+2])
		}
		rest = rest[end+2:]
	}
}

// DefaultDisplayName is "<site> <component> <longName> (<aggregation>)", or
// "(<source>, <aggregation>)" for Modeled and Expected fields,
// leaving out the parts that are empty.
func DefaultDisplayName(names EntityNames, info locus.Field) string {
	parts := make([]string, 0, 4)
	for _, p := range []string{names.SiteName, names.ComponentName, info.LongName} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	name := strings.Join(parts, " ")
	// Modeled and expected variants share the measured field's long name
	// (W_avg and W_m_avg are both "AC Power"), so their source is named too.
	qualifiers := make([]string, 0, 2)
	if info.Source != "" && !strings.EqualFold(info.Source, "Measured") {
		qualifiers = append(qualifiers, info.Source)
	}
	if info.Aggregation != "" {
		qualifiers = append(qualifiers, info.Aggregation)
	}
	if len(qualifiers) > 0 {
		name += " (" + strings.Join(qualifiers, ", ") + ")"
	}
	return name
}

// displayName is the alias expansion, or the default name when the alias
// is blank or expands to nothing (such as {{component}} on site data).
func displayName(alias string, names EntityNames, info locus.Field) string {
	if strings.TrimSpace(alias) != "" {
		if name := Alias(alias, AliasVars(names, info)); strings.TrimSpace(name) != "" {
			return name
		}
	}
	return DefaultDisplayName(names, info)
}

// idString formats an id, empty for 0 (no such entity).
func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
