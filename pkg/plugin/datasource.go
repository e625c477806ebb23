// Package plugin is the Grafana backend host of the Locus Energy data
// source: settings, the instance (client + query engine), and one file per
// SDK interface (query, health, resources, dispose).
package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/sunfleet/locus-datasource/pkg/locus"
	"github.com/sunfleet/locus-datasource/pkg/locussim"
	"github.com/sunfleet/locus-datasource/pkg/query"
	"github.com/sunfleet/locus-datasource/pkg/sharedstate"
)

// PluginID is the plugin's id in plugin.json.
const PluginID = "sunfleet-locus-datasource"

// demoBaseURL names the in-process simulator in demo mode; requests never
// leave the process (the transport is the simulator's RoundTripper).
const demoBaseURL = "https://demo.locus.invalid"

// Datasource is one configured Locus data source instance. With invalid
// settings it still exists, and every query, health check and resource call
// answers with the settings error.
type Datasource struct {
	settings    Settings
	settingsErr error
	// clientCfg is the client configuration the instance API was built with;
	// the health check tests it with a fresh, cache-less client
	// (query.Engine.CheckConnection).
	clientCfg locus.Config
	engine    *query.Engine
	sim       *locussim.Server
	shared    *sharedstate.Redis // nil without sharedStateUrl
	logger    *redactingLogger
	now       func() time.Time
	resources backend.CallResourceHandler
}

var _ instancemgmt.Instance = (*Datasource)(nil)

// NewDatasource is the instance factory Grafana's instance manager calls for
// every data source (and again whenever its settings change). It never
// fails: invalid settings are kept and reported by every call.
func NewDatasource(_ context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return newDatasource(s, Options{}), nil
}

func newDatasource(s backend.DataSourceInstanceSettings, opts Options) *Datasource {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = backend.Logger
	}
	st, err := LoadSettings(s)
	d := &Datasource{settings: st, settingsErr: err, now: opts.Now}
	d.logger = newRedactingLogger(opts.Logger.With("datasourceUid", s.UID), st.Password, st.ClientSecret, st.SharedStatePassword)
	d.resources = d.newResourceHandler()
	if err != nil {
		d.logger.Warn("Locus data source has invalid settings", "error", err.Error())
		return d
	}
	cfg := d.clientConfig()
	// A new instance of this data source warms what the previous one used.
	cfg.InstanceKey = s.UID
	if st.SharedStateURL != "" {
		shared, err := sharedstate.New(sharedstate.Options{URL: st.SharedStateURL, Password: st.SharedStatePassword, Lease: st.SharedStateLease})
		if err != nil {
			d.settingsErr = &SettingsError{Field: "sharedStateUrl", Message: err.Error()}
			d.logger.Warn("Locus data source has invalid settings", "error", d.settingsErr.Error())
			return d
		}
		d.shared = shared
		cfg.Shared, cfg.SharedScope = shared, s.UID
	}
	if opts.Tune != nil {
		opts.Tune(&cfg)
	}
	api, err := locus.New(cfg)
	if err != nil {
		d.settingsErr = err
		d.logger.Warn("Locus client rejected the settings", "error", err.Error())
		return d
	}
	d.clientCfg = cfg
	d.engine = query.NewEngine(api, query.Options{Now: opts.Now, Logger: d.logger, MaxConcurrent: cfg.MaxConcurrent, MaxEntities: d.settings.MaxEntities, MetadataTTL: st.MetadataTTL})
	d.logger.Debug("Locus data source ready", d.describe()...)
	return d
}

// clientConfig maps the settings onto the client's configuration; in demo
// mode onto an in-process simulator and its demo credentials.
func (d *Datasource) clientConfig() locus.Config {
	st := d.settings
	cfg := locus.Config{
		BaseURL:       st.BaseURL,
		PartnerID:     st.PartnerID,
		AuthType:      locus.AuthType(st.AuthType),
		Username:      st.Username,
		Password:      st.Password,
		ClientID:      st.ClientID,
		ClientSecret:  st.ClientSecret,
		MaxConcurrent: st.MaxConcurrent,
		MetadataTTL:   st.MetadataTTL,
		PastDataTTL:   st.PastDataTTL,
		RecentDataTTL: st.RecentDataTTL,
		Now:           d.now,
		Logger:        d.logger,
	}
	if st.DemoMode {
		simCfg := locussim.DefaultConfig()
		d.sim = locussim.New(simCfg)
		cfg.BaseURL = demoBaseURL
		cfg.PartnerID = simCfg.PartnerID
		cfg.AuthType = locus.AuthPassword
		cfg.ClientID, cfg.ClientSecret = simCfg.ClientID, simCfg.ClientSecret
		cfg.Username, cfg.Password = simCfg.Username, simCfg.Password
		cfg.MaxConcurrent = 1
		cfg.Transport = d.sim.RoundTripper()
	}
	return cfg
}

// describe lists the instance's non-secret settings for logs.
func (d *Datasource) describe() []any {
	return []any{
		"baseUrl", d.clientCfg.BaseURL,
		"partnerId", d.clientCfg.PartnerID,
		"authType", string(d.clientCfg.AuthType),
		"maxConcurrent", d.clientCfg.MaxConcurrent,
		"demoMode", d.settings.DemoMode,
		"sharedState", d.sharedDescription(),
	}
}

// sharedDescription names the shared state store for logs ("none" without one).
func (d *Datasource) sharedDescription() string {
	if d.shared == nil {
		return "none"
	}
	return d.shared.Describe()
}
