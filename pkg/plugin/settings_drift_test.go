package plugin

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The config editor validates settings before Save & test with constants of
// its own (src/components/configValidation.ts). This test reads them from the
// TypeScript source and compares them with the ones the backend enforces, so
// the editor never accepts what the backend refuses (or the reverse).
func TestConfigValidationConstantsMatchBackend(t *testing.T) {
	path := filepath.Join("..", "..", "src", "components", "configValidation.ts")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	consts := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^export const ([A-Z_]+) = ([^;]+);`).FindAllStringSubmatch(string(src), -1) {
		consts[m[1]] = strings.TrimSpace(m[2])
	}
	// tsInt evaluates an integer literal or a product of them ("30 * 24 * 3600").
	tsInt := func(name string) int {
		expr, ok := consts[name]
		if !ok {
			t.Fatalf("%s does not export %s", path, name)
		}
		n := 1
		for _, f := range strings.Split(expr, "*") {
			v, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				t.Fatalf("%s = %s: not a product of integer literals", name, expr)
			}
			n *= v
		}
		return n
	}
	if got := tsInt("MAX_CONCURRENT_LIMIT"); got != MaxConcurrentLimit {
		t.Errorf("MAX_CONCURRENT_LIMIT is %d in TypeScript, the backend accepts up to %d", got, MaxConcurrentLimit)
	}
	if got := tsInt("MAX_CACHE_SECONDS"); got != MaxCacheSeconds {
		t.Errorf("MAX_CACHE_SECONDS is %d in TypeScript, the backend accepts up to %d", got, MaxCacheSeconds)
	}
	if got := tsInt("MIN_SHARED_LEASE_SECONDS"); got != MinSharedLeaseSeconds {
		t.Errorf("MIN_SHARED_LEASE_SECONDS is %d in TypeScript, the backend's minimum is %d", got, MinSharedLeaseSeconds)
	}
	if got := tsInt("MAX_SHARED_LEASE_SECONDS"); got != MaxSharedLeaseSeconds {
		t.Errorf("MAX_SHARED_LEASE_SECONDS is %d in TypeScript, the backend's maximum is %d", got, MaxSharedLeaseSeconds)
	}
	if got, err := strconv.Unquote(strings.ReplaceAll(consts["DEFAULT_BASE_URL"], "'", `"`)); err != nil || got != DefaultBaseURL {
		t.Errorf("DEFAULT_BASE_URL is %s in TypeScript (%v), the backend's default is %q", consts["DEFAULT_BASE_URL"], err, DefaultBaseURL)
	}
}
