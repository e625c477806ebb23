package locussim

import "maps"

// Stats counts what the simulator served since New or ResetStats.
type Stats struct {
	// Total is every request received, /oauth/token included.
	Total int
	// API is the number of /v3 requests (Total minus token requests).
	API int
	// ByEndpoint counts requests by route pattern, e.g.
	// "GET /v3/sites/{id}/data" or "POST /oauth/token"; requests matching no
	// route count under "unmatched".
	ByEndpoint map[string]int
	// ByStatus counts responses by HTTP status (0 for injected resets).
	ByStatus map[int]int
	// ByEndpointStatus counts by pattern, then status.
	ByEndpointStatus map[string]map[int]int
	// MaxInFlight is the highest number of authenticated /v3 requests of one
	// account ever handled at once, counting those refused with 429 on
	// arrival: it is the concurrency the clients attempted.
	MaxInFlight int
	// MaxInFlightByAccount is MaxInFlight per account (username).
	MaxInFlightByAccount map[string]int
	// Faults counts injected faults by kind: "429", "5xx", "reset",
	// "truncate", "malformed", "missingKey", "stall", "oversize".
	Faults map[string]int
	// TokenGrants counts successful token grants by grant_type.
	TokenGrants map[string]int
}

// Count returns the number of requests served for a route pattern.
func (s Stats) Count(pattern string) int { return s.ByEndpoint[pattern] }

// CountStatus returns the number of responses with a status for a route pattern.
func (s Stats) CountStatus(pattern string, status int) int {
	return s.ByEndpointStatus[pattern][status]
}

func newStats() Stats {
	return Stats{
		ByEndpoint:           map[string]int{},
		ByStatus:             map[int]int{},
		ByEndpointStatus:     map[string]map[int]int{},
		MaxInFlightByAccount: map[string]int{},
		Faults:               map[string]int{},
		TokenGrants:          map[string]int{},
	}
}

func (s Stats) clone() Stats {
	c := s
	c.ByEndpoint = maps.Clone(s.ByEndpoint)
	c.ByStatus = maps.Clone(s.ByStatus)
	c.ByEndpointStatus = make(map[string]map[int]int, len(s.ByEndpointStatus))
	for k, v := range s.ByEndpointStatus {
		c.ByEndpointStatus[k] = maps.Clone(v)
	}
	c.MaxInFlightByAccount = maps.Clone(s.MaxInFlightByAccount)
	c.Faults = maps.Clone(s.Faults)
	c.TokenGrants = maps.Clone(s.TokenGrants)
	return c
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats.clone()
}

// ResetStats zeroes the counters (MaxInFlight included).
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = newStats()
}

// record counts one response.
func (s *Server) record(pattern string, status int, api bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Total++
	if api {
		s.stats.API++
	}
	s.stats.ByEndpoint[pattern]++
	s.stats.ByStatus[status]++
	m := s.stats.ByEndpointStatus[pattern]
	if m == nil {
		m = map[int]int{}
		s.stats.ByEndpointStatus[pattern] = m
	}
	m[status]++
}
