package locussim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// bufferedWriter captures a handler's response so faults, gzip and the
// in-flight release can be applied before anything reaches the wire.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedWriter() *bufferedWriter { return &bufferedWriter{header: http.Header{}} }

// Header implements http.ResponseWriter.
func (b *bufferedWriter) Header() http.Header { return b.header }

// WriteHeader implements http.ResponseWriter; the first status wins.
func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// Write implements http.ResponseWriter.
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // only marshals simulator-built values
}

// writeError writes the API's error body {"statusCode": N, "message": "..."}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		StatusCode int    `json:"statusCode"`
		Message    string `json:"message"`
	}{status, msg})
}

// tooManyRequests is the documented 429 body, byte for byte.
const tooManyRequests = `{"message": "Too many requests", "statusCode": 429}`

func writeTooMany(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(tooManyRequests))
}

func quote(s string) string { return strconv.Quote(s) }
