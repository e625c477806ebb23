package locus

import (
	"context"
	"fmt"
	"testing"
)

// lineUp takes q's only slot and queues one waiter per name in lanes, in
// order; each waiter reports its grant on order and holds its slot until
// its proceed channel is closed. It returns the holder's release.
func lineUp(t *testing.T, q *LaneQueue, names []string, lanes []Lane, order chan string, proceed map[string]chan struct{}) func() {
	t.Helper()
	hold, err := q.Acquire(bg(), LaneBackground)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		proceed[name] = make(chan struct{})
		go func() {
			release, err := q.Acquire(bg(), lanes[i])
			if err != nil {
				order <- "error: " + err.Error()
				return
			}
			order <- name
			<-proceed[name]
			release()
		}()
		waitFor(t, func() bool { return q.Stats().TotalWaiting() == i+1 })
	}
	return hold
}

// grants releases the holder and returns the names in grant order.
func grants(hold func(), n int, order chan string, proceed map[string]chan struct{}) []string {
	hold()
	var got []string
	for range n {
		name := <-order
		got = append(got, name)
		if ch := proceed[name]; ch != nil {
			close(ch)
		}
	}
	return got
}

func TestLaneQueueServesAlertThenInteractiveThenBulkFIFOWithinLane(t *testing.T) {
	q := NewLaneQueue(1)
	names := []string{"bulk1", "background1", "bulk2", "interactive1", "alert1", "interactive2", "alert2"}
	lanes := []Lane{LaneBulk, LaneBackground, LaneBulk, LaneInteractive, LaneAlert, LaneInteractive, LaneAlert}
	order := make(chan string, len(names))
	proceed := map[string]chan struct{}{}
	hold := lineUp(t, q, names, lanes, order, proceed)
	st := q.Stats()
	if st.Waiting != [4]int{2, 2, 2, 1} {
		t.Fatalf("waiting by lane = %v, want alert 2, interactive 2, bulk 2, background 1", st.Waiting)
	}
	got := grants(hold, len(names), order, proceed)
	want := []string{"alert1", "alert2", "interactive1", "interactive2", "bulk1", "bulk2", "background1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("grant order = %v, want %v", got, want)
	}
}

func TestLaneQueueServesAStarvedLaneAfterStarvationBoundGrants(t *testing.T) {
	q := NewLaneQueue(1)
	// One bulk request, then more alert requests than the bound: the bulk
	// one must be served right after StarvationBound alert grants.
	names := []string{"bulk"}
	lanes := []Lane{LaneBulk}
	for i := range StarvationBound + 3 {
		names = append(names, fmt.Sprintf("alert%d", i))
		lanes = append(lanes, LaneAlert)
	}
	order := make(chan string, len(names))
	proceed := map[string]chan struct{}{}
	hold := lineUp(t, q, names, lanes, order, proceed)
	got := grants(hold, len(names), order, proceed)
	pos := -1
	for i, n := range got {
		if n == "bulk" {
			pos = i
		}
	}
	if pos != StarvationBound {
		t.Fatalf("the bulk request was granted at position %d of %v, want %d (after exactly StarvationBound alert grants)", pos, got, StarvationBound)
	}
	for i := range StarvationBound + 3 {
		want := fmt.Sprintf("alert%d", i)
		idx := i
		if i >= StarvationBound {
			idx++
		}
		if got[idx] != want {
			t.Fatalf("alert requests out of arrival order: %v", got)
		}
	}
}

func TestLaneQueueCancelledWaiterLeavesItsLane(t *testing.T) {
	q := NewLaneQueue(1)
	hold, err := q.Acquire(bg(), LaneInteractive)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(bg())
	done := make(chan error, 1)
	go func() { _, err := q.Acquire(ctx, LaneBulk); done <- err }()
	waitFor(t, func() bool { return q.Stats().Waiting[LaneBulk] == 1 })
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a cancelled waiter got a slot")
	}
	if st := q.Stats(); st.TotalWaiting() != 0 || st.InFlight != 1 {
		t.Fatalf("after the cancel: %+v, want nobody waiting and the holder in flight", st)
	}
	hold()
	hold() // a second call of the same release is a no-op
	if st := q.Stats(); st.InFlight != 0 {
		t.Fatalf("in flight after release = %d, want 0", st.InFlight)
	}
}

func TestAccountQueueKeyIgnoresCaseDefaultPortAndTrailingSlash(t *testing.T) {
	base := Config{ClientID: "c", Username: "U"}
	key := func(u string) string {
		c := base
		c.BaseURL = u
		n, err := Config{BaseURL: u, PartnerID: 1, ClientID: "c", ClientSecret: "s", Username: "U", Password: "p"}.normalize()
		if err != nil {
			t.Fatal(err)
		}
		c.BaseURL = n.BaseURL
		return c.accountKey()
	}
	same := []string{"https://api.locusenergy.com", "HTTPS://API.LocusEnergy.com", "https://api.locusenergy.com:443/", "https://api.locusenergy.com/v3"}
	for _, u := range same[1:] {
		if key(u) != key(same[0]) {
			t.Errorf("%q and %q are one account but get two queues", u, same[0])
		}
	}
	for _, u := range []string{"https://api.locusenergy.com:8443", "http://api.locusenergy.com", "https://other.locusenergy.com"} {
		if key(u) == key(same[0]) {
			t.Errorf("%q is another origin but shares the queue of %q", u, same[0])
		}
	}
}
