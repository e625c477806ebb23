package plugin

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/frames"
	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// defaultSiteLimit is how many sites a search returns without a limit
// parameter (a picker's first page); limit=0 returns every match.
const defaultSiteLimit = 50

// siteJSON is the resource shape of a site.
type siteJSON struct {
	ID               int64    `json:"id"`
	Name             string   `json:"name"`
	ClientID         int64    `json:"clientId"`
	City             string   `json:"city"`
	State            string   `json:"state"`
	LocationTimezone string   `json:"locationTimezone"`
	Latitude         *float64 `json:"latitude"`
	Longitude        *float64 `json:"longitude"`
}

func toSiteJSON(s locus.Site) siteJSON {
	state := s.LocaleCode1
	if state == "" {
		state = s.Locale1
	}
	return siteJSON{ID: s.ID, Name: s.Name, ClientID: s.ClientID, City: s.Locale3, State: state,
		LocationTimezone: s.LocationTimezone, Latitude: s.Latitude, Longitude: s.Longitude}
}

// siteEntry is one site of the search index with its lower-cased haystack.
type siteEntry struct {
	site      siteJSON
	nameLower string
	idText    string
	hay       string
}

// listIndex keeps a list built from a partner-wide Locus list, prepared
// for search (lower-cased text, sorted, maps), rebuilt after the metadata
// lifetime. It lets fleets of thousands of sites and 100,000 components be
// searched per keystroke without touching Locus, re-decoding or copying the
// client's cached list. When Locus is briefly unavailable (rate limit, 5xx,
// network, timeout) a stale index keeps the pickers working.
type listIndex[T any] struct {
	ttl   time.Duration
	now   func() time.Time
	build func(ctx context.Context, api *locus.API) (T, error)

	mu    sync.Mutex
	built time.Time
	ok    bool
	value T
}

func newListIndex[T any](ttl time.Duration, now func() time.Time, build func(context.Context, *locus.API) (T, error)) *listIndex[T] {
	return &listIndex[T]{ttl: ttl, now: now, build: build}
}

// load returns the index, rebuilding it when it is stale. Concurrent loaders
// share the client's single-flight and cache.
func (x *listIndex[T]) load(ctx context.Context, api *locus.API) (T, error) {
	x.mu.Lock()
	old, ok, fresh := x.value, x.ok, x.ok && x.now().Sub(x.built) < x.ttl
	x.mu.Unlock()
	if fresh {
		return old, nil
	}
	v, err := x.build(ctx, api)
	if err != nil {
		if ok && transient(err) {
			return old, nil
		}
		var zero T
		return zero, err
	}
	x.mu.Lock()
	x.value, x.ok, x.built = v, true, x.now()
	x.mu.Unlock()
	return v, nil
}

func (x *listIndex[T]) clear() {
	x.mu.Lock()
	var zero T
	x.value, x.ok = zero, false
	x.mu.Unlock()
}

// siteIndex is the partner's site list prepared for search: sorted by name,
// with lower-cased search text, and by id.
type siteIndex = listIndex[siteList]

// siteList is the value of the site index.
type siteList struct {
	entries []siteEntry
	byID    map[int64]int
}

func newSiteIndex(ttl time.Duration, now func() time.Time) *siteIndex {
	return newListIndex(ttl, now, buildSiteList)
}

// buildSiteList fetches the partner's sites and prepares them for search.
func buildSiteList(ctx context.Context, api *locus.API) (siteList, error) {
	sites, err := api.Sites(ctx)
	if err != nil {
		return siteList{}, err
	}
	entries := make([]siteEntry, len(sites))
	for i, s := range sites {
		entries[i] = buildEntry(s)
	}
	sortEntries(entries)
	byID := make(map[int64]int, len(entries))
	for i, e := range entries {
		byID[e.site.ID] = i
	}
	return siteList{entries: entries, byID: byID}, nil
}

// transient reports whether err is worth riding out with stale data.
func transient(err error) bool {
	switch locus.KindOf(err) {
	case locus.KindRateLimited, locus.KindServer, locus.KindNetwork, locus.KindTimeout:
		return true
	}
	return false
}

// buildEntry prepares one site for search.
func buildEntry(s locus.Site) siteEntry {
	id := strconv.FormatInt(s.ID, 10)
	return siteEntry{
		site:      toSiteJSON(s),
		nameLower: strings.ToLower(s.Name),
		idText:    id,
		hay:       strings.ToLower(strings.Join([]string{s.Name, s.Locale3, s.Locale1, s.LocaleCode1, id}, "\x00")),
	}
}

// sortEntries orders the index by name in natural order ("Garage 9" before
// "Garage 33", case-insensitive), then id.
func sortEntries(entries []siteEntry) {
	slices.SortStableFunc(entries, func(a, b siteEntry) int {
		return cmp.Or(frames.NaturalCompare(a.nameLower, b.nameLower), cmp.Compare(a.site.ID, b.site.ID))
	})
}

// searchSites filters entries by client and by every word of text (matched
// against name, city, state and id), ranking an exact id first, then names
// starting with the text, then other matches, each by name. It returns up to
// limit matches and the number of matches before the limit.
func searchSites(entries []siteEntry, text string, clients map[int64]bool, limit int) ([]siteJSON, int) {
	text = strings.ToLower(strings.TrimSpace(text))
	words := strings.Fields(text)
	var exact, prefix, other []int
	for i := range entries {
		e := &entries[i]
		if clients != nil && !clients[e.site.ClientID] {
			continue
		}
		if !matchesAll(e.hay, words) {
			continue
		}
		switch {
		case text != "" && e.idText == text:
			exact = append(exact, i)
		case text != "" && strings.HasPrefix(e.nameLower, text):
			prefix = append(prefix, i)
		default:
			other = append(other, i)
		}
	}
	total := len(exact) + len(prefix) + len(other)
	out := make([]siteJSON, 0, min(total, limit))
	for _, group := range [][]int{exact, prefix, other} {
		for _, i := range group {
			if len(out) == limit {
				return out, total
			}
			out = append(out, entries[i].site)
		}
	}
	return out, total
}

func matchesAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (d *Datasource) handleSites(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	text, err := textParam(q, "query")
	if err != nil {
		return err
	}
	clients, err := optionalIDSet(q, "clientId")
	if err != nil {
		return err
	}
	limit, err := limitParam(q, defaultSiteLimit)
	if err != nil {
		return err
	}
	list, err := d.sites.load(r.Context(), d.api)
	if err != nil {
		return err
	}
	entries := list.entries
	if limit == 0 {
		limit = len(entries)
	}
	sites, total := searchSites(entries, text, clients, limit)
	writeJSON(w, http.StatusOK, map[string]any{"sites": sites, "total": total})
	return nil
}

func (d *Datasource) handleSite(w http.ResponseWriter, r *http.Request) error {
	id, err := positiveID("site id", r.PathValue("id"))
	if err != nil {
		return err
	}
	list, err := d.sites.load(r.Context(), d.api)
	if err != nil {
		return err
	}
	if i, ok := list.byID[id]; ok {
		writeJSON(w, http.StatusOK, map[string]any{"site": list.entries[i].site})
		return nil
	}
	// Not in the partner list: ask Locus, which answers 403 or 404 with a reason.
	s, err := d.api.Site(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"site": toSiteJSON(*s)})
	return nil
}

// clientJSON is the resource shape of a Locus client.
type clientJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	TZ    string `json:"tz"`
}

func (d *Datasource) handleClients(w http.ResponseWriter, r *http.Request) error {
	clients, err := d.api.Clients(r.Context())
	if err != nil {
		return err
	}
	out := make([]clientJSON, len(clients))
	for i, c := range clients {
		name := strings.TrimSpace(c.FirstName + " " + c.LastName)
		if name == "" {
			name = "Client " + strconv.FormatInt(c.ID, 10)
		}
		out[i] = clientJSON{ID: c.ID, Name: name, Email: c.Email, TZ: c.TZ}
	}
	slices.SortStableFunc(out, func(a, b clientJSON) int {
		return cmp.Or(frames.NaturalCompare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	writeJSON(w, http.StatusOK, map[string]any{"clients": out})
	return nil
}
