package plugin

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/sunfleet/locus-datasource/pkg/query"
)

// badParam is a bad resource parameter (400, query.BadInput); its message
// names the parameter and what is valid.
func badParam(format string, args ...any) error { return query.BadInput(format, args...) }

// errorStatus classifies any handler error into a status and a message
// free of secrets.
func (d *Datasource) errorStatus(err error) (int, string) {
	if status, msg, ok := query.HTTPStatus(err); ok {
		return status, d.logger.redact(msg)
	}
	return http.StatusInternalServerError, "internal error: " + d.logger.redact(err.Error())
}

// writeErrorFor writes an error body and, for rate limiting, the Retry-After
// Locus asked for.
func writeErrorFor(w http.ResponseWriter, status int, msg string, err error) {
	if wait := query.RetryAfter(err); status == http.StatusTooManyRequests && wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+999_999_999)/1_000_000_000)))
	}
	writeError(w, status, msg)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":"internal error: response could not be encoded"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
