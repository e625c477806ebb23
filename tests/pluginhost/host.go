// Package pluginhost starts a BUILT backend plugin binary the way Grafana
// does (hashicorp/go-plugin handshake, then gRPC) and gives typed access to
// its CheckHealth, QueryData and CallResource services. Protocol tests and
// the browser test host use it in place of a Grafana server.
package pluginhost

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// handshake mirrors the SDK's (unexported) handshake config: Grafana and the
// plugin must agree on protocol version and magic cookie.
var handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// pluginSet is the gRPC plugin map Grafana dispenses from a backend plugin.
func pluginSet() map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		grpcplugin.ProtocolVersion: {
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"stream":      &grpcplugin.StreamGRPCPlugin{},
		},
	}
}

// Options tune how the plugin process is started.
type Options struct {
	// Env is the plugin's environment. Like Grafana (which skips host
	// environment variables for plugins) the host environment is NOT passed.
	Env []string
	// StartTimeout bounds the handshake; default 30s.
	StartTimeout time.Duration
}

// Host is a running plugin process with typed clients for its services.
type Host struct {
	client      *goplugin.Client
	diagnostics pluginv2.DiagnosticsClient
	data        pluginv2.DataClient
	resource    pluginv2.ResourceClient
	logs        *syncBuffer
}

// Start launches the plugin binary at binaryPath with default options.
func Start(binaryPath string) (*Host, error) {
	return StartWithOptions(binaryPath, Options{})
}

// StartWithOptions launches the plugin binary at binaryPath, performs the
// go-plugin handshake and dispenses the gRPC services Grafana uses.
func StartWithOptions(binaryPath string, opts Options) (*Host, error) {
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 30 * time.Second
	}
	logs := &syncBuffer{}
	cmd := exec.Command(binaryPath)
	cmd.Env = append([]string{"GF_VERSION=12.3.0", "GF_EDITION=oss"}, opts.Env...)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		Cmd:              cmd,
		HandshakeConfig:  handshake,
		VersionedPlugins: pluginSet(),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		SkipHostEnv:      true,
		StartTimeout:     opts.StartTimeout,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "plugin",
			Level:  hclog.Trace,
			Output: logs,
		}),
		GRPCDialOptions: []grpc.DialOption{grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64 << 20))},
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("start plugin %s: %w (plugin output: %s)", binaryPath, err, logs.String())
	}
	h := &Host{client: client, logs: logs}
	for name, dst := range map[string]any{"diagnostics": &h.diagnostics, "data": &h.data, "resource": &h.resource} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
		if err := assign(dst, raw); err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
	}
	return h, nil
}

func assign(dst, raw any) error {
	switch d := dst.(type) {
	case *pluginv2.DiagnosticsClient:
		c, ok := raw.(grpcplugin.DiagnosticsClient)
		if !ok {
			return fmt.Errorf("unexpected client type %T", raw)
		}
		*d = c
	case *pluginv2.DataClient:
		c, ok := raw.(grpcplugin.DataClient)
		if !ok {
			return fmt.Errorf("unexpected client type %T", raw)
		}
		*d = c
	case *pluginv2.ResourceClient:
		c, ok := raw.(grpcplugin.ResourceClient)
		if !ok {
			return fmt.Errorf("unexpected client type %T", raw)
		}
		*d = c
	}
	return nil
}

// CheckHealth calls the plugin's health check.
func (h *Host) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	resp, err := h.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{
		PluginContext: backend.ToProto().PluginContext(req.PluginContext),
		Headers:       req.Headers,
	})
	if err != nil {
		return nil, err
	}
	return backend.FromProto().CheckHealthResponse(resp), nil
}

// QueryData runs queries through the plugin.
func (h *Host) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp, err := h.data.QueryData(ctx, backend.ToProto().QueryDataRequest(req))
	if err != nil {
		return nil, err
	}
	return backend.FromProto().QueryDataResponse(resp)
}

// CallResource calls a resource route and gathers the streamed response
// (status and headers from the first message, body from all) into one.
func (h *Host) CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	stream, err := h.resource.CallResource(ctx, backend.ToProto().CallResourceRequest(req))
	if err != nil {
		return nil, err
	}
	var out *backend.CallResourceResponse
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		part := backend.FromProto().CallResourceResponse(msg)
		if out == nil {
			out = part
			continue
		}
		out.Body = append(out.Body, part.Body...)
	}
	if out == nil {
		return nil, errors.New("plugin sent no resource response")
	}
	return out, nil
}

// Exited reports whether the plugin process has exited.
func (h *Host) Exited() bool { return h.client.Exited() }

// Logs returns everything the plugin logged so far (its stderr, as relayed
// by go-plugin), so tests can assert on it (e.g. that no secret is logged).
func (h *Host) Logs() string { return h.logs.String() }

// KillHard kills the plugin process at once (SIGKILL on Unix), as a
// crashing replica dies: no cleanup runs in it.
func (h *Host) KillHard() error {
	rc := h.client.ReattachConfig()
	if rc == nil || rc.Pid == 0 {
		return errors.New("plugin process is not running")
	}
	p, err := os.FindProcess(rc.Pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

// Build compiles the plugin backend (./pkg of the repository at root) into
// dir as gpx_locus_<os>_<arch>, stripped as the SDK's release build does,
// and returns its path.
func Build(root, dir string) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("gpx_locus_%s_%s", runtime.GOOS, runtime.GOARCH))
	if runtime.GOOS == "windows" {
		path += ".exe"
	}
	build := exec.Command("go", "build", "-ldflags", "-w -s", "-o", path, "./pkg")
	build.Dir = root
	out, err := build.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build plugin binary: %w\n%s", err, out)
	}
	return path, nil
}

// Close stops the plugin process.
func (h *Host) Close() { h.client.Kill() }

// DataSourceContext builds the plugin context Grafana sends for a data
// source instance with the given jsonData and decrypted secureJsonData.
// updated distinguishes settings versions (a change makes a new instance).
func DataSourceContext(pluginID, uid string, jsonData []byte, secure map[string]string, updated time.Time) backend.PluginContext {
	return backend.PluginContext{
		OrgID:    1,
		PluginID: pluginID,
		User:     &backend.User{Login: "admin", Name: "Admin", Role: "Admin"},
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID:                      1,
			UID:                     uid,
			Name:                    "Locus " + uid,
			Type:                    pluginID,
			JSONData:                jsonData,
			DecryptedSecureJSONData: secure,
			Updated:                 updated,
		},
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of the
// plugin's stderr relay and reads by tests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
