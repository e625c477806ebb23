package plugin

import (
	"net"
	"net/url"
	"strings"

	"github.com/sunfleet/locus-datasource/pkg/locus"
)

// normaliseBaseURL accepts an absolute https URL, or http for a loopback
// host (a local simulator or proxy) with a warning. A trailing slash or a
// trailing "/v3" (the API prefix the client adds itself) is removed
// (locus.CanonicalBaseURL).
func normaliseBaseURL(raw string) (string, string, error) {
	const valid = "use an absolute https URL such as " + DefaultBaseURL
	s := strings.TrimSpace(raw)
	if hasUserinfo(s) {
		// Checked before parsing: a password holding '#' or '/' breaks the
		// parse, and the URL must then never be echoed in a message.
		return "", "", settingErr("baseUrl", "must not contain user credentials: put them in the credential settings and %s", valid)
	}
	u, err := url.Parse(s)
	if err != nil || s == "" {
		return "", "", settingErr("baseUrl", "%q is not a URL: %s", s, valid)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", "", settingErr("baseUrl", "%q is not an absolute URL: %s", s, valid)
	}
	if u.User != nil {
		return "", "", settingErr("baseUrl", "must not contain user credentials: put them in the credential settings and %s", valid)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", "", settingErr("baseUrl", "%q must not have a query or fragment: %s", s, valid)
	}
	warn := ""
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", "", settingErr("baseUrl", "plain http is only allowed for a loopback host (localhost, 127.0.0.1, ::1); %s", valid)
		}
		warn = "baseUrl uses plain http to a loopback host: fine for a local simulator or proxy, never for production"
	default:
		return "", "", settingErr("baseUrl", "scheme %q is not supported: %s", u.Scheme, valid)
	}
	return locus.CanonicalBaseURL(*u), warn, nil
}

// hasUserinfo reports whether a URL-like string may carry "user:password@":
// a Locus base URL never contains '@' after its scheme.
func hasUserinfo(s string) bool {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		rest = s
	}
	return strings.Contains(rest, "@")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
