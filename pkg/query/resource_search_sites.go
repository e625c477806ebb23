package query

import (
	"cmp"
	"context"
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

// SiteSummary is a site as the editors' site picker shows it (the /sites
// resources): its state is the state code when Locus has one, else the
// state's name.
type SiteSummary struct {
	ID               int64    `json:"id"`
	Name             string   `json:"name"`
	ClientID         int64    `json:"clientId"`
	City             string   `json:"city"`
	State            string   `json:"state"`
	LocationTimezone string   `json:"locationTimezone"`
	Latitude         *float64 `json:"latitude"`
	Longitude        *float64 `json:"longitude"`
}

func siteSummaryOf(s locus.Site) SiteSummary {
	state := s.LocaleCode1
	if state == "" {
		state = s.Locale1
	}
	return SiteSummary{ID: s.ID, Name: s.Name, ClientID: s.ClientID, City: s.Locale3, State: state,
		LocationTimezone: s.LocationTimezone, Latitude: s.Latitude, Longitude: s.Longitude}
}

// siteEntry is one site of the search index with its lower-cased haystack.
type siteEntry struct {
	site      SiteSummary
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
		site:      siteSummaryOf(s),
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
func searchSites(entries []siteEntry, text string, clients map[int64]bool, limit int) ([]SiteSummary, int) {
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
	out := make([]SiteSummary, 0, min(total, limit))
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

// SearchSites searches the partner's sites (the cached, search-ready site
// list, rebuilt after the metadata lifetime): those of the clients in
// clients (nil: every client) matching every word of text, an exact id
// first, then names starting with text, then other matches, each by name
// in natural order. It returns up to limit sites (0: every match) and the
// number of matches.
func (e *Engine) SearchSites(ctx context.Context, text string, clients map[int64]bool, limit int) ([]SiteSummary, int, error) {
	list, err := e.sites.load(ctx, e.api)
	if err != nil {
		return nil, 0, err
	}
	entries := list.entries
	if limit == 0 {
		limit = len(entries)
	}
	sites, total := searchSites(entries, text, clients, limit)
	return sites, total, nil
}

// SiteSummary returns one site: from the partner's site list, else from
// Locus (which answers 403 or 404 with a reason for a site not the
// partner's).
func (e *Engine) SiteSummary(ctx context.Context, id int64) (SiteSummary, error) {
	list, err := e.sites.load(ctx, e.api)
	if err != nil {
		return SiteSummary{}, err
	}
	if i, ok := list.byID[id]; ok {
		return list.entries[i].site, nil
	}
	s, err := e.api.Site(ctx, id)
	if err != nil {
		return SiteSummary{}, err
	}
	return siteSummaryOf(*s), nil
}

// ClientSummary is a Locus client as the editors' client picker shows it;
// Name is "First Last", or "Client <id>" when Locus has no name.
type ClientSummary struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	TZ    string `json:"tz"`
}

// Clients lists the partner's clients by name in natural order, then id.
func (e *Engine) Clients(ctx context.Context) ([]ClientSummary, error) {
	clients, err := e.api.Clients(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ClientSummary, len(clients))
	for i, c := range clients {
		name := strings.TrimSpace(c.FirstName + " " + c.LastName)
		if name == "" {
			name = "Client " + strconv.FormatInt(c.ID, 10)
		}
		out[i] = ClientSummary{ID: c.ID, Name: name, Email: c.Email, TZ: c.TZ}
	}
	slices.SortStableFunc(out, func(a, b ClientSummary) int {
		return cmp.Or(frames.NaturalCompare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}
