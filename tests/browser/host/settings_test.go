package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSettingsUpdateKeepsSecretsServerSide(t *testing.T) {
	s := newSettingsStore("sunfleet-locus-datasource", "uid1", "Locus Energy")
	dto, err := s.update(updateCommand{
		JSONData:       json.RawMessage(`{"baseUrl":"http://127.0.0.1:1","partnerId":4242}`),
		SecureJSONData: map[string]string{"password": "p-secret", "clientSecret": "c-secret"},
		Version:        1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !dto.SecureJSONFields["password"] || !dto.SecureJSONFields["clientSecret"] {
		t.Fatalf("secureJsonFields = %v, want password and clientSecret set", dto.SecureJSONFields)
	}
	raw, _ := json.Marshal(s.get())
	for _, secret := range []string{"p-secret", "c-secret"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("browser-facing settings contain a secret: %s", raw)
		}
	}
	ctx := s.pluginContext()
	if got := ctx.DataSourceInstanceSettings.DecryptedSecureJSONData["password"]; got != "p-secret" {
		t.Fatalf("plugin context password = %q, want the saved one", got)
	}

	// A save naming only one secret keeps the other; an empty value clears.
	dto, err = s.update(updateCommand{JSONData: json.RawMessage(`{}`), SecureJSONData: map[string]string{"password": ""}, Version: dto.Version})
	if err != nil {
		t.Fatal(err)
	}
	if dto.SecureJSONFields["password"] || !dto.SecureJSONFields["clientSecret"] {
		t.Fatalf("secureJsonFields = %v, want only clientSecret", dto.SecureJSONFields)
	}
}

func TestSettingsUpdateChangesInstanceVersion(t *testing.T) {
	s := newSettingsStore("p", "uid1", "n")
	before := s.pluginContext().DataSourceInstanceSettings.Updated
	dto, err := s.update(updateCommand{JSONData: json.RawMessage(`{"a":1}`), Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	after := s.pluginContext().DataSourceInstanceSettings
	if !after.Updated.After(before) {
		t.Fatalf("Updated did not move forward (%v -> %v): the SDK would keep the old instance", before, after.Updated)
	}
	if string(after.JSONData) != `{"a":1}` || dto.Version != 2 {
		t.Fatalf("jsonData %s version %d, want {\"a\":1} and 2", after.JSONData, dto.Version)
	}
}

func TestSettingsUpdateRejectsBadInput(t *testing.T) {
	s := newSettingsStore("p", "uid1", "n")
	if _, err := s.update(updateCommand{JSONData: json.RawMessage(`[1]`)}); err == nil || !strings.Contains(err.Error(), "jsonData must be a JSON object") {
		t.Fatalf("array jsonData: err = %v, want one naming jsonData", err)
	}
	if _, err := s.update(updateCommand{JSONData: json.RawMessage(`{}`), Version: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.update(updateCommand{JSONData: json.RawMessage(`{}`), Version: 1}); !errors.Is(err, errVersionConflict) {
		t.Fatalf("stale version: err = %v, want errVersionConflict", err)
	}
}
