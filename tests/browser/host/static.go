package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

// pluginMeta is what Grafana's /api/plugins/:id/settings returns: the
// plugin.json of the built plugin plus where its files are served.
type pluginMeta map[string]any

// loadPluginMeta reads dist/plugin.json and adds Grafana's serving fields.
func loadPluginMeta(distDir string) (pluginMeta, string, error) {
	raw, err := os.ReadFile(filepath.Join(distDir, "plugin.json"))
	if err != nil {
		return nil, "", fmt.Errorf("read built plugin.json (run the build first): %w", err)
	}
	var meta pluginMeta
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, "", fmt.Errorf("dist/plugin.json is not valid JSON: %w", err)
	}
	id, _ := meta["id"].(string)
	if id == "" {
		return nil, "", fmt.Errorf("dist/plugin.json has no id")
	}
	meta["baseUrl"] = "public/plugins/" + id
	meta["module"] = "public/plugins/" + id + "/module.js"
	meta["enabled"] = true
	meta["signature"] = "unsigned"
	return meta, id, nil
}

// staticRoutes serves the page, the grafana shell bundle, the built plugin
// under Grafana's public/plugins/<id>/ path, and Grafana's icons under
// public/img/ and public/build/img/ (from @grafana/ui's package, as Grafana
// serves them). Grafana's fonts are not in any npm package: the page falls
// back to system fonts.
func staticRoutes(mux *http.ServeMux, pluginID, distDir, shellDir, pageDir, publicImgDir string) {
	noStore := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			h.ServeHTTP(w, r)
		})
	}
	prefix := "/public/plugins/" + pluginID + "/"
	mux.Handle("GET "+prefix, noStore(http.StripPrefix(prefix, http.FileServer(http.Dir(distDir)))))
	mux.Handle("GET /public/img/", http.StripPrefix("/public/img/", http.FileServer(http.Dir(publicImgDir))))
	// @grafana/ui asks for its icons under Grafana's build path.
	mux.Handle("GET /public/build/img/", http.StripPrefix("/public/build/img/", http.FileServer(http.Dir(publicImgDir))))
	mux.Handle("GET /shell/", noStore(http.StripPrefix("/shell/", http.FileServer(http.Dir(shellDir)))))
	mux.Handle("GET /{$}", noStore(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(pageDir, "index.html"))
	})))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
}
