package plugin

import (
	"testing"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

func TestComponentTreeOrder(t *testing.T) {
	comps := []locus.Component{
		{ID: 5, Name: "Inverter B", ParentID: 1, ParentType: "COMPONENT"},
		{ID: 1, Name: "Meter", ParentID: 100, ParentType: "SITE"},
		{ID: 4, Name: "Inverter A", ParentID: 1, ParentType: "COMPONENT"},
		{ID: 9, Name: "Weather station", ParentID: 100, ParentType: "SITE"},
		{ID: 6, Name: "String 1", ParentID: 4, ParentType: "COMPONENT"},
		{ID: 7, Name: "Orphan", ParentID: 999, ParentType: "COMPONENT"},
		{ID: 20, Name: "Cycle A", ParentID: 21, ParentType: "COMPONENT"},
		{ID: 21, Name: "Cycle B", ParentID: 20, ParentType: "COMPONENT"},
	}
	got := componentTree(comps)
	want := []struct {
		id    int64
		depth int
	}{{1, 0}, {4, 1}, {6, 2}, {5, 1}, {7, 0}, {9, 0}, {20, 0}, {21, 1}}
	if len(got) != len(want) {
		t.Fatalf("got %d components, want %d (every component must appear once): %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Depth != w.depth {
			t.Errorf("position %d: got id %d depth %d, want id %d depth %d", i, got[i].ID, got[i].Depth, w.id, w.depth)
		}
	}
}

func TestComponentTreeEmpty(t *testing.T) {
	if got := componentTree(nil); got == nil || len(got) != 0 {
		t.Fatalf("want an empty, non-nil list (JSON []), got %#v", got)
	}
}
