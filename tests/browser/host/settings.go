package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// dataSourceDTO is a data source as Grafana's /api/datasources routes show it
// to the browser: secrets never leave the server, only secureJsonFields says
// which are set.
type dataSourceDTO struct {
	ID               int64           `json:"id"`
	UID              string          `json:"uid"`
	OrgID            int64           `json:"orgId"`
	Name             string          `json:"name"`
	Type             string          `json:"type"`
	TypeName         string          `json:"typeName"`
	TypeLogoURL      string          `json:"typeLogoUrl"`
	Access           string          `json:"access"`
	URL              string          `json:"url"`
	User             string          `json:"user"`
	Database         string          `json:"database"`
	BasicAuth        bool            `json:"basicAuth"`
	BasicAuthUser    string          `json:"basicAuthUser"`
	WithCredentials  bool            `json:"withCredentials"`
	IsDefault        bool            `json:"isDefault"`
	JSONData         json.RawMessage `json:"jsonData"`
	SecureJSONFields map[string]bool `json:"secureJsonFields"`
	Version          int             `json:"version"`
	ReadOnly         bool            `json:"readOnly"`
}

// updateCommand is the body of PUT /api/datasources/uid/:uid.
type updateCommand struct {
	Name           string            `json:"name"`
	URL            string            `json:"url"`
	JSONData       json.RawMessage   `json:"jsonData"`
	SecureJSONData map[string]string `json:"secureJsonData"`
	Version        int               `json:"version"`
	IsDefault      bool              `json:"isDefault"`
}

// settingsStore holds the single data source the host serves, secrets
// included, the way Grafana's database would.
type settingsStore struct {
	mu       sync.Mutex
	dto      dataSourceDTO
	secrets  map[string]string
	updated  time.Time
	pluginID string
}

func newSettingsStore(pluginID, uid, name string) *settingsStore {
	return &settingsStore{
		dto: dataSourceDTO{
			ID: 1, UID: uid, OrgID: 1, Name: name, Type: pluginID, TypeName: "Locus Energy",
			TypeLogoURL: "public/plugins/" + pluginID + "/img/logo.svg", Access: "proxy",
			JSONData: json.RawMessage(`{}`), SecureJSONFields: map[string]bool{}, Version: 1, IsDefault: true,
		},
		secrets:  map[string]string{},
		updated:  time.Now(),
		pluginID: pluginID,
	}
}

// errVersionConflict mirrors Grafana's optimistic locking on data source updates.
var errVersionConflict = errors.New("datasource has already been updated by someone else")

// get returns the browser-facing view of the data source.
func (s *settingsStore) get() dataSourceDTO {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyDTO()
}

func (s *settingsStore) copyDTO() dataSourceDTO {
	d := s.dto
	d.SecureJSONFields = map[string]bool{}
	for k, v := range s.secrets {
		if v != "" {
			d.SecureJSONFields[k] = true
		}
	}
	return d
}

// update applies a PUT body: jsonData is replaced, each secret named in
// secureJsonData is replaced (an empty value clears it), other secrets stay.
func (s *settingsStore) update(cmd updateCommand) (dataSourceDTO, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cmd.Version != 0 && cmd.Version < s.dto.Version {
		return dataSourceDTO{}, errVersionConflict
	}
	if len(cmd.JSONData) == 0 || string(cmd.JSONData) == "null" {
		cmd.JSONData = json.RawMessage(`{}`)
	}
	var probe map[string]any
	if err := json.Unmarshal(cmd.JSONData, &probe); err != nil {
		return dataSourceDTO{}, fmt.Errorf("jsonData must be a JSON object: %w", err)
	}
	if cmd.Name != "" {
		s.dto.Name = cmd.Name
	}
	s.dto.URL = cmd.URL
	s.dto.IsDefault = cmd.IsDefault
	s.dto.JSONData = cmd.JSONData
	for k, v := range cmd.SecureJSONData {
		if v == "" {
			delete(s.secrets, k)
			continue
		}
		s.secrets[k] = v
	}
	s.dto.Version++
	s.updated = time.Now()
	return s.copyDTO(), nil
}

// pluginContext is what Grafana sends the plugin with every call: the
// instance settings with decrypted secrets. A new Updated time after each
// save makes the SDK recreate the instance, as in Grafana.
func (s *settingsStore) pluginContext() backend.PluginContext {
	s.mu.Lock()
	defer s.mu.Unlock()
	secrets := make(map[string]string, len(s.secrets))
	for k, v := range s.secrets {
		secrets[k] = v
	}
	return backend.PluginContext{
		OrgID:    1,
		PluginID: s.pluginID,
		User:     &backend.User{Login: "admin", Name: "Admin", Email: "admin@localhost", Role: "Admin"},
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID:                      s.dto.ID,
			UID:                     s.dto.UID,
			Type:                    s.dto.Type,
			Name:                    s.dto.Name,
			URL:                     s.dto.URL,
			JSONData:                append(json.RawMessage(nil), s.dto.JSONData...),
			DecryptedSecureJSONData: secrets,
			Updated:                 s.updated,
			APIVersion:              "v1",
		},
	}
}
