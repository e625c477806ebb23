package frames

import (
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// Alert statuses as shown in the status column.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// priorityColors colour annotations by alert priority.
var priorityColors = map[string]string{
	"high":   "red",
	"medium": "orange",
	"low":    "yellow",
}

// AlertsFrame builds a table of alerts that Grafana can also read as
// annotations: time (start), timeEnd (end, or now for open alerts), title
// ("<alertType> – <site> / <component>"), text (site and descriptions), tags (alert
// type and priority, comma separated), color, then id, alertType, priority,
// status, site, component, siteId, componentId and isRegion.
func AlertsFrame(alerts []locus.Alert, now time.Time) *data.Frame {
	n := len(alerts)
	starts := make([]time.Time, n)
	ends := make([]time.Time, n)
	titles := make([]string, n)
	texts := make([]string, n)
	tags := make([]string, n)
	colors := make([]string, n)
	ids := make([]int64, n)
	types := make([]string, n)
	prios := make([]string, n)
	statuses := make([]string, n)
	siteNames := make([]string, n)
	compNames := make([]string, n)
	siteIDs := make([]int64, n)
	compIDs := make([]int64, n)
	regions := make([]bool, n)
	for i, a := range alerts {
		starts[i] = a.Start.UTC()
		statuses[i] = StatusOpen
		ends[i] = now.UTC()
		if a.End != nil {
			ends[i] = a.End.UTC()
			statuses[i] = StatusClosed
		}
		if ends[i].Before(starts[i]) {
			ends[i] = starts[i]
		}
		titles[i] = alertTitle(a)
		texts[i] = alertText(a)
		tags[i] = alertTags(a)
		colors[i] = priorityColors[strings.ToLower(a.Priority)]
		ids[i] = a.ID
		types[i] = a.AlertType
		prios[i] = a.Priority
		siteNames[i] = a.SiteName
		compNames[i] = a.ComponentName
		siteIDs[i] = a.SiteID
		compIDs[i] = a.ComponentID
		regions[i] = true
	}
	frame := data.NewFrame("alerts",
		data.NewField("time", nil, starts),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
		data.NewField("color", nil, colors),
		data.NewField("id", nil, ids),
		data.NewField("alertType", nil, types),
		data.NewField("priority", nil, prios),
		data.NewField("status", nil, statuses),
		data.NewField("site", nil, siteNames),
		data.NewField("component", nil, compNames),
		data.NewField("siteId", nil, siteIDs),
		data.NewField("componentId", nil, compIDs),
		data.NewField("isRegion", nil, regions),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return frame
}

// alertTitle is "<alertType> – <site> / <component>", so a partner-wide
// annotation says where without hovering: "Zero Generation – Garage 9 /
// Inverter 1". A site-level alert is "<alertType> – <site>"; without names
// the title is the type alone.
func alertTitle(a locus.Alert) string {
	where := make([]string, 0, 2)
	for _, n := range []string{a.SiteName, a.ComponentName} {
		if n = strings.TrimSpace(n); n != "" {
			where = append(where, n)
		}
	}
	if len(where) == 0 {
		return a.AlertType
	}
	return a.AlertType + " – " + strings.Join(where, " / ")
}

// alertText names the site and component and adds the descriptions.
func alertText(a locus.Alert) string {
	var b strings.Builder
	b.WriteString("Site: ")
	b.WriteString(a.SiteName)
	if a.ComponentName != "" {
		b.WriteString("\nComponent: ")
		b.WriteString(a.ComponentName)
	}
	if a.Priority != "" {
		b.WriteString("\nPriority: ")
		b.WriteString(a.Priority)
	}
	if a.DescriptionShort != "" {
		b.WriteString("\n")
		b.WriteString(a.DescriptionShort)
	}
	if a.DescriptionLong != "" && a.DescriptionLong != a.DescriptionShort {
		b.WriteString("\n")
		b.WriteString(a.DescriptionLong)
	}
	return b.String()
}

// alertTags are the type and priority, comma separated (Grafana splits
// annotation tags on commas).
func alertTags(a locus.Alert) string {
	tags := make([]string, 0, 2)
	for _, t := range []string{a.AlertType, a.Priority} {
		if t = strings.TrimSpace(strings.ReplaceAll(t, ",", " ")); t != "" {
			tags = append(tags, t)
		}
	}
	return strings.Join(tags, ",")
}
