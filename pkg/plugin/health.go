package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

var _ backend.CheckHealthHandler = (*Datasource)(nil)

// healthDetails is the JSON detail of a health result. Grafana shows
// Message under the headline and VerboseMessage in a collapsible block; the
// other members are for API callers and tests.
type healthDetails struct {
	Message        string `json:"message,omitempty"`
	VerboseMessage string `json:"verboseMessage,omitempty"`

	PartnerID int64    `json:"partnerId,omitempty"`
	Sites     *int     `json:"sites,omitempty"`
	DemoMode  bool     `json:"demoMode"`
	BaseURL   string   `json:"baseUrl,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
	ErrorKind string   `json:"errorKind,omitempty"`
	Status    int      `json:"status,omitempty"`
	Detail    string   `json:"detail,omitempty"`
	// Field is the settings key at fault, for a settings error.
	Field string `json:"field,omitempty"`
	// SharedState says whether the replicas' shared state (Redis) is in use:
	// "" without one, "shared" while it answers, "fallback" while it does not.
	SharedState string `json:"sharedState,omitempty"`
}

// CheckHealth authenticates afresh and counts the partner's sites
// (query.Engine.CheckConnection: a short-lived client without cache, so
// "Save & test" always talks to Locus), and reports bad settings, bad credentials, a wrong partner and an
// unreachable host with distinct messages. No secret is ever included.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		details := healthDetails{DemoMode: d.settings.DemoMode, ErrorKind: string(locus.KindConfig)}
		var se *SettingsError
		if errors.As(d.settingsErr, &se) {
			details.Field = se.Field
		}
		return d.healthResult(backend.HealthStatusError, "Invalid settings: "+d.logger.redact(d.settingsErr.Error()), details), nil
	}
	cfg := d.clientCfg
	conn, err := d.engine.CheckConnection(ctx, cfg)
	if err != nil {
		return d.failure(err), nil
	}
	n := conn.Sites
	msg := fmt.Sprintf("Connected to partner %d: %d sites", cfg.PartnerID, n)
	if d.settings.DemoMode {
		msg = fmt.Sprintf("Demo mode: connected to the built-in Locus simulator (partner %d: %d sites). "+
			"No credentials are used and the data is simulated; turn demo mode off to use your Locus account", cfg.PartnerID, n)
	}
	details := healthDetails{PartnerID: cfg.PartnerID, Sites: &n, DemoMode: d.settings.DemoMode, BaseURL: d.publicBaseURL(), Warnings: slices.Clone(d.settings.Warnings)}
	switch sh := conn.Shared; {
	case !sh.Configured:
	case sh.Up:
		details.SharedState = "shared"
		msg += fmt.Sprintf(". Shared state: Redis at %s, shared with the other Grafana replicas", sh.Store)
	default:
		details.SharedState = "fallback"
		details.Warnings = append(details.Warnings, fmt.Sprintf("shared state Redis at %s is unreachable (%s): this replica uses its own request queue and cache until it answers again, so several replicas may exceed the account's request limit", sh.Store, d.logger.redact(sh.LastError)))
	}
	if len(details.Warnings) > 0 {
		details.Message = "Warning: " + strings.Join(details.Warnings, "; ")
	}
	d.logger.Debug("Locus health check passed", "partnerId", cfg.PartnerID, "sites", n)
	return d.healthResult(backend.HealthStatusOk, msg, details), nil
}

// failure turns a client error into a health result with a message that
// says what to change.
func (d *Datasource) failure(err error) *backend.CheckHealthResult {
	var le *locus.Error
	details := healthDetails{DemoMode: d.settings.DemoMode, BaseURL: d.publicBaseURL(), PartnerID: d.clientCfg.PartnerID}
	if !errors.As(err, &le) {
		details.Detail = d.logger.redact(err.Error())
		details.Message = details.Detail
		return d.healthResult(backend.HealthStatusError, "Health check failed: "+details.Detail, details)
	}
	details.ErrorKind, details.Status, details.Detail = string(le.Kind), le.Status, d.logger.redact(le.Message)
	headline := d.healthMessage(le)
	details.Message = extraDetail(le.Kind, headline, details.Detail)
	details.VerboseMessage = fmt.Sprintf("kind=%s status=%d call=%s", le.Kind, le.Status, d.logger.redact(le.Path))
	d.logger.Warn("Locus health check failed", "kind", string(le.Kind), "status", le.Status, "error", le.Message)
	return d.healthResult(backend.HealthStatusError, headline, details)
}

// extraDetail is the client's message when it adds to the headline (Grafana
// prints details.message under it): empty when the headline already quotes
// it, or when the headline words the same failure (credentials, partner).
func extraDetail(kind locus.ErrorKind, headline, detail string) string {
	switch {
	case kind == locus.KindAuth || kind == locus.KindForbidden || kind == locus.KindNotFound:
		return ""
	case strings.Contains(headline, detail):
		return ""
	}
	return detail
}

// healthMessage is the headline for each kind of failure.
func (d *Datasource) healthMessage(le *locus.Error) string {
	base := d.publicBaseURL()
	partner := d.clientCfg.PartnerID
	detail := d.logger.redact(le.Message)
	switch le.Kind {
	case locus.KindAuth:
		if d.clientCfg.AuthType == locus.AuthClientCredentials {
			return "Locus rejected the credentials (401): check the client ID and client secret"
		}
		return "Locus rejected the credentials (401): check the client ID, client secret, username and password"
	case locus.KindForbidden:
		return fmt.Sprintf("Signed in, but partner %d is not accessible to this account (403): check the partner ID", partner)
	case locus.KindNotFound:
		return fmt.Sprintf("Partner %d was not found (404): check the partner ID", partner)
	case locus.KindNetwork:
		return fmt.Sprintf("Cannot reach Locus at %s: check the base URL and that the Grafana server can reach it (DNS, proxy, firewall)", base)
	case locus.KindTimeout:
		return fmt.Sprintf("Locus at %s did not answer in time: %s", base, detail)
	case locus.KindRateLimited:
		return "Locus is rate-limiting this account (429): another data source or tool may be using the same account; try again shortly. " + detail
	case locus.KindServer:
		return "Locus answered with a server error: " + detail + ". Try again later"
	case locus.KindDecode, locus.KindTooLarge:
		return fmt.Sprintf("Unexpected response from %s: %s. Is the base URL the Locus API?", base, detail)
	case locus.KindConfig:
		return "Invalid settings: " + detail
	case locus.KindCanceled:
		return "Health check cancelled before Locus answered"
	case locus.KindBadRequest:
		return "Locus rejected the request (400): " + detail
	default:
		return "Health check failed: " + detail
	}
}

func (d *Datasource) publicBaseURL() string {
	if d.settings.DemoMode {
		return "the built-in simulator"
	}
	return d.clientCfg.BaseURL
}

func (d *Datasource) healthResult(status backend.HealthStatus, msg string, details healthDetails) *backend.CheckHealthResult {
	js, err := json.Marshal(details)
	if err != nil {
		js = nil
	}
	return &backend.CheckHealthResult{Status: status, Message: msg, JSONDetails: js}
}
