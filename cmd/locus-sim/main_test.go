package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseFlagsRejectsBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "nohost"}, "-addr"},
		{[]string{"-sites", "0"}, "-sites"},
		{[]string{"-sites", "-4"}, "sites"},
		{[]string{"-rate-5xx", "1.5"}, "rate5xx"},
		{[]string{"-token-ttl", "soon"}, "token-ttl"},
		{[]string{"extra"}, "unexpected arguments"},
	}
	for _, c := range cases {
		_, _, err := parseFlags(c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one naming %s", c.args, err, c.want)
		}
	}
	addr, cfg, err := parseFlags([]string{"-addr", "127.0.0.1:0", "-sites", "40", "-partner", "77", "-concurrency", "3", "-latency", "5ms", "-rate-429", "0.25"}, io.Discard)
	if err != nil || addr != "127.0.0.1:0" || cfg.Sites != 40 || cfg.PartnerID != 77 || cfg.Concurrency != 3 || cfg.Latency != 5*time.Millisecond || cfg.Faults.Rate429 != 0.25 {
		t.Errorf("parsed %s %+v %v", addr, cfg, err)
	}
}

func TestRunServesAndPrintsCredentials(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-sites", "5"}, pw, io.Discard) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := strings.TrimSpace(line[strings.Index(line, "http://"):])
	resp, err := http.PostForm(base+"/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {"demo-client"},
		"client_secret": {"demo-secret"}, "username": {"demo"}, "password": {"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	req, _ := http.NewRequest("GET", base+"/v3/partners/4242/sites", nil)
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var sites map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&sites)
	resp.Body.Close()
	if n := len(sites["sites"].([]any)); n != 5 {
		t.Errorf("sites = %d, want 5", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	pw.Close()
}
