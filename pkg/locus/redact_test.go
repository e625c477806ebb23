package locus

import (
	"testing"
)

func TestRedactMasksShortSecretsOnlyAsWholeWords(t *testing.T) {
	cases := []struct {
		in, want string
		secrets  []string
	}{
		{"demoMode=true; password demo rejected", "demoMode=true; password [redacted] rejected", []string{"demo"}},
		{"pw=demo&x=1 (demo)", "pw=[redacted]&x=1 ([redacted])", []string{"demo"}},
		{"demo", "[redacted]", []string{"demo"}},
		{"ademo demob démo", "ademo demob démo", []string{"demo"}},
		{"p@ss w0rd -> p%40ss+w0rd", "[redacted] -> [redacted]", []string{"p@ss w0rd"}},
		{"token=xxA1b2C3d4E5f6G7h8yy", "token=xx[redacted]yy", []string{"A1b2C3d4E5f6G7h8"}},
		{"ab is short", "ab is short", []string{"ab"}},
	}
	for _, c := range cases {
		if got := Redact(c.in, c.secrets...); got != c.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", c.in, c.secrets, got, c.want)
		}
	}
}
