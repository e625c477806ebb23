package locussim

import (
	"bytes"
	"compress/gzip"
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is the simulated Locus origin: an http.Handler for /oauth/token
// and /v3/..., safe for concurrent use.
type Server struct {
	cfg Config
	w   *world
	mux *http.ServeMux

	mu       sync.Mutex
	faults   Faults
	rng      *rand.Rand
	accounts []*account
	tokens   map[string]*accessToken
	refresh  map[string]*account
	stats    Stats
	// released is closed and replaced whenever a request leaves its
	// account's in-flight slot (see WaitIdle).
	released chan struct{}
}

// New returns a simulator. Zero fields of cfg take their defaults; invalid
// ones are clamped (use Config.Validate to report them instead).
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:      cfg,
		w:        newWorld(cfg),
		faults:   cfg.Faults,
		rng:      rand.New(rand.NewPCG(uint64(cfg.Seed), saltFault)),
		tokens:   map[string]*accessToken{},
		refresh:  map[string]*account{},
		stats:    newStats(),
		released: make(chan struct{}),
		accounts: []*account{
			{username: cfg.Username, password: cfg.Password, partnerID: cfg.PartnerID},
			{username: OtherUsername, password: OtherPassword, partnerID: cfg.otherPartnerID()},
		},
	}
	s.routes()
	return s
}

// Config returns the effective configuration (defaults filled in).
func (s *Server) Config() Config { return s.cfg }

// Fleet returns the generated fleet (generated on first use).
func (s *Server) Fleet() *Fleet { return s.w.fleet() }

// Underperformers lists the main partner's known underperformers (see
// Underperformer): failed string, soiling, clipping, outage, those the fleet
// has room for (fewer in fleets too
// small to hold them).
func (s *Server) Underperformers() []Underperformer {
	s.w.fleet()
	return append([]Underperformer(nil), s.w.under...)
}

// SetFaults replaces the fault knobs; safe while requests are served.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Faults returns the current fault knobs.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

type ctxKey struct{}

func accountOf(r *http.Request) *account {
	a, _ := r.Context().Value(ctxKey{}).(*account)
	return a
}

// resetter is implemented by the in-process writer of RoundTripper.
type resetter interface{ reset() }

// ServeHTTP serves one request of the whole origin.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = s.w.fleet()
	_, pattern := s.mux.Handler(r)
	if pattern == "" || pattern == "/" {
		pattern = "unmatched"
	}
	ctx := r.Context()
	if r.URL.Path == "/oauth/token" {
		if !s.sleep(ctx) {
			s.record(pattern, 499, false)
			return
		}
		bw := newBufferedWriter()
		s.mux.ServeHTTP(bw, r)
		s.record(pattern, bw.status, false)
		s.flush(w, r, bw, Faults{}, nil)
		return
	}
	api := strings.HasPrefix(r.URL.Path, "/v3/")
	acct, msg := s.authenticate(r)
	if acct == nil {
		bw := newBufferedWriter()
		if !api {
			writeError(bw, http.StatusNotFound, "no such endpoint: "+r.URL.Path+" (the API lives under /v3 and /oauth/token)")
		} else {
			writeError(bw, http.StatusUnauthorized, msg)
		}
		s.record(pattern, bw.status, api)
		s.flush(w, r, bw, Faults{}, nil)
		return
	}
	if !s.acquire(acct) {
		bw := newBufferedWriter()
		writeTooMany(bw)
		s.record(pattern, bw.status, api)
		s.flush(w, r, bw, Faults{}, nil)
		return
	}
	released := false
	release := func() {
		if !released {
			released = true
			s.releaseSlot(acct)
		}
	}
	defer release()
	// The latency runs while the response is built, as a real server's
	// response time includes its own work: a request takes Latency (or
	// longer, if building it takes longer), not Latency plus the work.
	latency := s.startLatency()
	f, kind := s.drawFault()
	bw := newBufferedWriter()
	switch kind {
	case "429":
		writeTooMany(bw)
	case "5xx":
		codes := []int{500, 502, 503, 504}
		s.mu.Lock()
		code := codes[s.rng.IntN(len(codes))]
		s.mu.Unlock()
		writeError(bw, code, http.StatusText(code)+" (injected fault)")
	case "reset":
		if !latency.wait(ctx) {
			s.record(pattern, 499, api)
			return
		}
		s.record(pattern, 0, api)
		release()
		s.reset(w)
		return
	default:
		s.mux.ServeHTTP(bw, r.WithContext(context.WithValue(ctx, ctxKey{}, acct)))
	}
	if bw.status == http.StatusOK {
		s.corrupt(bw, f, kind)
	}
	encode(r, bw)
	if !latency.wait(ctx) {
		s.record(pattern, 499, api)
		return
	}
	s.record(pattern, bw.status, api)
	s.flush(w, r, bw, f, release)
}

// latencyTimer is the configured latency of one request, started on arrival.
type latencyTimer struct{ t *time.Timer }

// startLatency draws the request's latency (jitter included) and starts it.
func (s *Server) startLatency() latencyTimer {
	d := s.cfg.Latency
	if s.cfg.LatencyJitter > 0 {
		s.mu.Lock()
		d += time.Duration(s.rng.Int64N(int64(s.cfg.LatencyJitter) + 1))
		s.mu.Unlock()
	}
	if d <= 0 {
		return latencyTimer{}
	}
	return latencyTimer{time.NewTimer(d)}
}

// wait blocks until the latency has passed; false if the request was
// cancelled first.
func (l latencyTimer) wait(ctx context.Context) bool {
	if l.t == nil {
		return ctx.Err() == nil
	}
	defer l.t.Stop()
	select {
	case <-l.t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// encode gzips a buffered body when the client accepts gzip, before the
// latency ends (compressing is part of the server's response time).
func encode(r *http.Request, bw *bufferedWriter) {
	if !acceptsGzip(r) || bw.body.Len() == 0 || bw.header.Get("Content-Encoding") != "" {
		return
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(bw.body.Bytes())
	_ = zw.Close()
	bw.body = gz
	bw.header.Set("Content-Encoding", "gzip")
	bw.header.Add("Vary", "Accept-Encoding")
}

// acquire takes an in-flight slot of the account, or reports a 429.
func (s *Server) acquire(a *account) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.inFlight++
	if a.inFlight > s.stats.MaxInFlightByAccount[a.username] {
		s.stats.MaxInFlightByAccount[a.username] = a.inFlight
	}
	if a.inFlight > s.stats.MaxInFlight {
		s.stats.MaxInFlight = a.inFlight
	}
	if s.cfg.Concurrency > 0 && a.inFlight > s.cfg.Concurrency {
		a.inFlight--
		return false
	}
	return true
}

func (s *Server) releaseSlot(a *account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.inFlight--
	close(s.released)
	s.released = make(chan struct{})
}

// WaitIdle returns once no authenticated request of any account is in
// flight (a request a client abandoned counts until its handler returns,
// as at Locus), or with ctx's error.
func (s *Server) WaitIdle(ctx context.Context) error {
	for {
		s.mu.Lock()
		busy := 0
		for _, a := range s.accounts {
			busy += a.inFlight
		}
		ch := s.released
		s.mu.Unlock()
		if busy == 0 {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// sleep waits the configured latency; false if the request was cancelled.
func (s *Server) sleep(ctx context.Context) bool { return s.startLatency().wait(ctx) }

// drawFault decides which fault, if any, this request meets.
func (s *Server) drawFault() (Faults, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	kinds := []struct {
		name string
		rate float64
	}{{"429", f.Rate429}, {"5xx", f.Rate5xx}, {"reset", f.RateReset}, {"truncate", f.RateTruncate}, {"malformed", f.RateMalformed}, {"missingKey", f.RateMissingKey}}
	for _, k := range kinds {
		if k.rate > 0 && s.rng.Float64() < k.rate {
			s.stats.Faults[k.name]++
			return f, k.name
		}
	}
	return f, ""
}

// corrupt applies body faults to a successful response.
func (s *Server) corrupt(bw *bufferedWriter, f Faults, kind string) {
	body := bytes.TrimRight(bw.body.Bytes(), "\n")
	switch kind {
	case "truncate":
		body = body[:len(body)/2]
	case "malformed":
		mid := len(body) / 2
		body = append(append(append([]byte{}, body[:mid]...), []byte(`,}{"unterminated`)...), body[mid:]...)
	case "missingKey":
		body = []byte(`{"statusCode": 200}`)
	}
	if f.OversizeBytes > len(body) && kind != "truncate" && kind != "malformed" && len(body) > 0 && body[0] == '{' {
		pad := f.OversizeBytes - len(body) - len(`"_padding":"",`)
		if pad > 0 {
			var b bytes.Buffer
			b.Grow(f.OversizeBytes)
			b.WriteString(`{"_padding":"`)
			b.Write(bytes.Repeat([]byte{'x'}, pad))
			b.WriteString(`",`)
			b.Write(body[1:])
			body = b.Bytes()
			s.mu.Lock()
			s.stats.Faults["oversize"]++
			s.mu.Unlock()
		}
	}
	bw.body.Reset()
	bw.body.Write(body)
}

// flush writes a buffered response to the wire: gzip when asked, the
// in-flight slot released before the last bytes so that a strictly serial
// client never meets a 429, and an optional stall in the middle.
func (s *Server) flush(w http.ResponseWriter, r *http.Request, bw *bufferedWriter, f Faults, release func()) {
	body := bw.body.Bytes()
	for k, v := range bw.header {
		w.Header()[k] = v
	}
	if acceptsGzip(r) && len(body) > 0 && bw.header.Get("Content-Encoding") == "" {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = gz.Bytes()
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
	}
	stall := f.StallMidBody > 0 && bw.status == http.StatusOK && release != nil
	if !stall {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(bw.status)
	if stall {
		s.mu.Lock()
		s.stats.Faults["stall"]++
		s.mu.Unlock()
		half := len(body) / 2
		_, _ = w.Write(body[:half])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		t := time.NewTimer(f.StallMidBody)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
		body = body[half:]
	}
	if release != nil {
		release()
	}
	_, _ = w.Write(body)
}

// reset drops the connection without a response.
func (s *Server) reset(w http.ResponseWriter) {
	if rs, ok := w.(resetter); ok {
		rs.reset()
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http's documented way to abort a response
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // send RST rather than FIN
	}
	_ = conn.Close()
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(enc, "gzip") {
			return true
		}
	}
	return false
}
