package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeHelp(t *testing.T) {
	code, out, _ := runCLI(t, "serve", "--help")
	if code != 0 || !strings.Contains(out, "glassboard serve [-s DIR] [--bind 127.0.0.1] [--port 1313] [--now DATE]") || !strings.Contains(out, "-port") {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if code, out, _ := runCLI(t, "--help"); code != 0 || !strings.Contains(out, "glassboard serve") {
		t.Errorf("the usage does not list serve: %d %q", code, out)
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "-s", t.TempDir()}, "no board.toml"},
		{[]string{"serve", "--port", "70000"}, "out of range"},
		{[]string{"serve", "extra"}, "serve takes no arguments"},
		{[]string{"serve", "--now", "2019-02-30"}, "invalid date"},
	} {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// lockedBuffer is shared by the command and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServeRunsAndStops(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "board")
	if code, _, stderr := runCLI(t, "new", "site", dir, "--sample", "20", "--now", "2026-06-15"); code != 0 {
		t.Fatalf("new site: %s", stderr)
	}
	tmpdir := t.TempDir()
	t.Setenv("TMPDIR", tmpdir) // to see that the preview writes nothing
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	a := &app{ctx: ctx, stdout: &stdout, stderr: &stderr,
		now: func() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) }, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- a.run([]string{"serve", "-s", dir, "--port", "0", "--now", "2026-06-15"}) }()

	var url string
	deadline := time.Now().Add(60 * time.Second)
	for url == "" {
		if m := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(stdout.String()); m != "" && strings.Contains(stdout.String(), "Press Ctrl+C") {
			url = m
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d early:\n%s\n%s", code, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed:\n%s\n%s", stdout.String(), stderr.String())
		}
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/__glassboard/live.js") {
		t.Errorf("home: %d", resp.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve wrote public/ into the board")
	}
	if entries, _ := os.ReadDir(tmpdir); len(entries) != 0 {
		t.Errorf("the preview, which is built in memory, wrote %v", entries)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after cancel, stderr:\n%s", code, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop")
	}
	if entries, _ := os.ReadDir(tmpdir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
