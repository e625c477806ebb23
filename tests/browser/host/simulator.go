package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/sunfleet/locus-datasource/pkg/locussim"
)

// simulator is the Locus API simulator the plugin talks to over real HTTP on
// 127.0.0.1, with the credentials the browser test types into the config editor.
type simulator struct {
	baseURL string
	cfg     locussim.Config
	sim     *locussim.Server
	srv     *http.Server
}

// simulatorInfo is what GET /api/test/simulator tells the specs: the fake
// Locus account to configure. These are the simulator's own demo credentials.
type simulatorInfo struct {
	BaseURL   string `json:"baseUrl"`
	PartnerID int64  `json:"partnerId"`
	// OtherPartnerID is a partner the account may not read (a real 403).
	OtherPartnerID int64  `json:"otherPartnerId"`
	Username       string `json:"username"`
	Password       string `json:"password"`
	ClientID       string `json:"clientId"`
	ClientSecret   string `json:"clientSecret"`
}

func startSimulator(sites int) (*simulator, error) {
	cfg := locussim.DefaultConfig()
	cfg.Sites = sites
	// Distinctive secrets per run, so the leak checks cannot pass by accident.
	cfg.Password = "pw-" + randomHex()
	cfg.ClientSecret = "cs-" + randomHex()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	handler := locussim.New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("simulator stopped: %v", err)
		}
	}()
	return &simulator{baseURL: "http://" + ln.Addr().String(), cfg: cfg, sim: handler, srv: srv}, nil
}

func (s *simulator) stop() { _ = s.srv.Close() }

// routes adds the test-only routes (never called by the page itself).
func (s *simulator) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/test/simulator", func(w http.ResponseWriter, _ *http.Request) {
		other := int64(locussim.OtherPartnerID)
		if s.cfg.PartnerID == other {
			other = locussim.AltOtherPartnerID
		}
		writeJSON(w, http.StatusOK, simulatorInfo{
			BaseURL: s.baseURL, PartnerID: s.cfg.PartnerID, OtherPartnerID: other, Username: s.cfg.Username, Password: s.cfg.Password,
			ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret,
		})
	})
	mux.HandleFunc("GET /api/test/simulator/stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.sim.Stats())
	})
}

func randomHex() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
