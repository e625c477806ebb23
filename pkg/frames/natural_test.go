package frames

import (
	"slices"
	"testing"
)

func TestNaturalCompareOrdersNumbersByValue(t *testing.T) {
	got := []string{"Garage 33", "garage 9", "Garage 10", "Barn", "Garage 9b", "Garage 09", "Garage", "Zeta 1"}
	slices.SortStableFunc(got, NaturalCompare)
	want := []string{"Barn", "Garage", "garage 9", "Garage 9b", "Garage 09", "Garage 10", "Garage 33", "Zeta 1"}
	if !slices.Equal(got, want) {
		t.Fatalf("natural order\n got %q\nwant %q", got, want)
	}
	for _, c := range [][2]string{{"a2", "a10"}, {"Inverter 2", "inverter 10"}, {"x", "x1"}, {"1", "a"}} {
		if NaturalCompare(c[0], c[1]) >= 0 || NaturalCompare(c[1], c[0]) <= 0 {
			t.Errorf("%q should sort before %q", c[0], c[1])
		}
	}
	if NaturalCompare("Site 5", "site 5") != 0 {
		t.Error("case must not matter")
	}
}
