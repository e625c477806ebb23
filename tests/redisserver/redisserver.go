// Package redisserver runs a real redis-server (the Debian package that
// scripts/setup.sh installs) on 127.0.0.1 for tests and the bench: a free
// port, no persistence, stopped with the test. The shared-state tests use
// it instead of a fake.
package redisserver

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is one redis-server process on 127.0.0.1:Port.
type Server struct {
	Port int

	mu  sync.Mutex
	cmd *exec.Cmd
}

// URL is the server's redis:// URL (database 0).
func (s *Server) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.Port) }

// Start runs redis-server on a free port and waits until it accepts
// connections. A missing redis-server is an error naming the package.
func Start() (*Server, error) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		return nil, fmt.Errorf("redis-server is not installed (scripts/setup.sh installs the Debian package redis-server): %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	s := &Server{Port: port}
	return s, s.Restart()
}

// StartT is Start for a test: it fails the test on error and stops the
// server when the test ends.
func StartT(t testing.TB) *Server {
	t.Helper()
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Restart starts the server (again, after Stop) on the same port and waits
// for its "Ready to accept connections" line.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return nil
	}
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "notice")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	ready := make(chan bool, 1)
	var log strings.Builder
	var logMu sync.Mutex
	go func() {
		sc := bufio.NewScanner(out)
		signalled := false
		for sc.Scan() {
			if !signalled {
				logMu.Lock()
				log.WriteString(sc.Text() + "\n")
				logMu.Unlock()
				if strings.Contains(sc.Text(), "Ready to accept connections") {
					signalled = true
					ready <- true
				}
			}
		}
		if !signalled {
			ready <- false
		}
	}()
	ok := false
	select {
	case ok = <-ready:
	case <-time.After(60 * time.Second): // only ends a broken start
	}
	if ok {
		var c net.Conn
		if c, err = net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port)); err == nil {
			_ = c.Close()
		}
	} else {
		err = errors.New("it never said it was ready")
	}
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logMu.Lock()
		defer logMu.Unlock()
		return fmt.Errorf("redis-server on port %d did not start: %v\n%s", s.Port, err, log.String())
	}
	s.cmd = cmd
	return nil
}

// Stop kills the server and waits for it to exit.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}
