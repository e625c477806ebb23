package planner

import (
	"strings"
	"testing"
	"time"
)

func TestLoadZone(t *testing.T) {
	for _, name := range []string{"UTC", "utc", "America/New_York", "US/Pacific", "Asia/Kathmandu", " Europe/Berlin "} {
		loc, err := LoadZone(name)
		if err != nil || loc == nil {
			t.Errorf("LoadZone(%q) = %v, %v", name, loc, err)
		}
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus", "America/New York", "../etc/passwd"} {
		_, err := LoadZone(bad)
		if err == nil {
			t.Errorf("LoadZone(%q) succeeded; want an error", bad)
			continue
		}
		if !strings.Contains(err.Error(), "IANA") || (bad != "" && !strings.Contains(err.Error(), bad)) {
			t.Errorf("LoadZone(%q) error %q should name the input and say what is valid", bad, err)
		}
	}
}

func TestFormatWall(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	got := FormatWall(time.Date(2024, 7, 4, 16, 5, 9, 0, time.UTC), ny)
	if got != "2024-07-04T12:05:09" {
		t.Errorf("FormatWall = %q, want 2024-07-04T12:05:09", got)
	}
	ktm := mustZone(t, "Asia/Kathmandu")
	if got := FormatWall(time.Date(2024, 7, 4, 0, 0, 0, 0, time.UTC), ktm); got != "2024-07-04T05:45:00" {
		t.Errorf("FormatWall Kathmandu = %q, want 2024-07-04T05:45:00", got)
	}
}
