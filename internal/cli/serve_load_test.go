package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/glassboard/glassboard/internal/sample"
)

// The preview under load and attack (issue 8, point 4). These tests treat
// `glassboard serve` as a black box: it runs in a process of its own (this
// test binary, re-executed as TestHelperServe) and is spoken to over HTTP on
// loopback only, so that they hold whatever the preview does inside.

// TestHelperServe is `glassboard serve` in a subprocess; its arguments come
// in GB_SERVE_ARGS, one per line.
func TestHelperServe(t *testing.T) {
	if os.Getenv("GLASSBOARD_HELPER_SERVE") != "1" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, strings.Split(os.Getenv("GB_SERVE_ARGS"), "\n"), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// preview is a running `glassboard serve`.
type preview struct {
	url  string
	addr string // host:port
	cmd  *exec.Cmd
}

// startPreview runs serve on a board in a subprocess and waits for its URL.
// tmp is its TMPDIR (where it builds the site).
func startPreview(t *testing.T, board, tmp string, args ...string) *preview {
	t.Helper()
	all := append([]string{"serve", "-s", board, "--port", "0", "--now", "2026-06-15"}, args...)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
	cmd.Env = append(os.Environ(), "GLASSBOARD_HELPER_SERVE=1", "GB_SERVE_ARGS="+strings.Join(all, "\n"), "TMPDIR="+tmp)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &preview{cmd: cmd}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not stop cleanly: %v\n%s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Error("serve did not stop within 30 s of SIGTERM")
		}
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		url := ""
		for sc.Scan() {
			if m := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(sc.Text()); m != "" {
				url = m
			}
			if strings.Contains(sc.Text(), "Press Ctrl+C") {
				urls <- url
			}
		}
		close(urls)
	}()
	select {
	case url, ok := <-urls:
		if !ok || url == "" {
			t.Fatalf("serve printed no URL; stderr:\n%s", stderr.String())
		}
		p.url = url
		p.addr = strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	case <-time.After(5 * time.Minute):
		t.Fatalf("serve did not start within 5 minutes; stderr:\n%s", stderr.String())
	}
	return p
}

// rss is the resident memory of the preview process, in bytes.
func (p *preview) rss(t *testing.T) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("no VmRSS in /proc/PID/status")
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

// scratch returns a folder for a big board and its preview: a tmpfs when
// running as root (creating 40,000 files on this machine's ext4 is slow,
// see docs/performance.md), else a temporary folder.
func scratch(t *testing.T) string {
	dir := t.TempDir()
	if os.Geteuid() == 0 && unix.Mount("tmpfs", dir, "tmpfs", 0, "size=4g,mode=0755") == nil {
		t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	}
	return dir
}

// recordPaths lists the URL paths of the first n records of each kind.
func recordPaths(t *testing.T, board string, n int) []string {
	var paths []string
	for _, kind := range []string{"commitments", "notices", "ratings"} {
		count := 0
		filepath.WalkDir(filepath.Join(board, "content", kind), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || count >= n {
				return err
			}
			count++
			paths = append(paths, "/"+kind+"/"+strings.TrimSuffix(d.Name(), ".toml")+"/index.html")
			return nil
		})
	}
	if len(paths) == 0 {
		t.Fatal("no records")
	}
	return paths
}

// TestServeUnderLoad: with serve running on a 10,000-record board, 2,000
// keep-alive connections on loopback ask for pages without a pause for
// 10 s. Every response must be a complete 200, and the preview's memory
// must stay flat once all connections are open.
func TestServeUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 10,000-record board and 2,000 connections")
	}
	records, conns, duration := 10000, 2000, 10*time.Second
	if n, err := strconv.Atoi(os.Getenv("GLASSBOARD_LOAD_RECORDS")); err == nil {
		records = n // a quicker run while working on the test
	}
	dir := scratch(t)
	board := filepath.Join(dir, "board")
	start := time.Now()
	if err := sample.Write(board, records, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o755)
	p := startPreview(t, board, tmp)
	t.Logf("board of %d records written and first built in %v", records, time.Since(start).Round(time.Millisecond))
	paths := append(recordPaths(t, board, 30), "/", "/notices/index.html", "/ratings/index.html")

	// Open every connection first, then start asking on all of them.
	var (
		wg       sync.WaitGroup
		requests atomic.Int64
		failures atomic.Int64
		firstErr atomic.Value
		opened   sync.WaitGroup
		go_      = make(chan struct{})
		stop     atomic.Bool
	)
	fail := func(err error) {
		failures.Add(1)
		firstErr.CompareAndSwap(nil, err)
	}
	opened.Add(conns)
	for i := range conns {
		wg.Go(func() {
			c, err := net.DialTimeout("tcp", p.addr, 10*time.Second)
			opened.Done()
			if err != nil {
				fail(fmt.Errorf("dial: %w", err))
				return
			}
			defer c.Close()
			<-go_
			r := bufio.NewReader(c)
			for n := i; !stop.Load(); n++ {
				path := paths[n%len(paths)]
				c.SetDeadline(time.Now().Add(30 * time.Second))
				if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, p.addr); err != nil {
					fail(fmt.Errorf("write %s: %w", path, err))
					return
				}
				resp, err := http.ReadResponse(r, nil)
				if err != nil {
					fail(fmt.Errorf("read %s: %w", path, err))
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case err != nil:
					fail(fmt.Errorf("body of %s: %w", path, err))
					return
				case resp.StatusCode != 200:
					fail(fmt.Errorf("%s: status %d", path, resp.StatusCode))
				case !strings.Contains(string(body), "</html>"):
					fail(fmt.Errorf("%s: incomplete page (%d bytes)", path, len(body)))
				case resp.Close:
					fail(fmt.Errorf("%s: the server closed a keep-alive connection", path))
					return
				}
				requests.Add(1)
			}
		})
	}
	opened.Wait()
	before := p.rss(t)
	close(go_)
	samples := []int64{}
	for range int(duration / time.Second) {
		time.Sleep(time.Second)
		samples = append(samples, p.rss(t))
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("%d connections, %d requests in %v (%.0f/s), %d failures; RSS with the connections open %d MiB, then each second: %v MiB",
		conns, requests.Load(), duration, float64(requests.Load())/duration.Seconds(), failures.Load(), before>>20, mib(samples))
	if failures.Load() > 0 {
		t.Fatalf("%d failed requests; the first: %v", failures.Load(), firstErr.Load())
	}
	if requests.Load() < int64(conns) {
		t.Errorf("only %d requests on %d connections", requests.Load(), conns)
	}
	// Flat: over the second half of the load, memory grows by no more
	// than an eighth and 32 MiB (the collector's own slack). The first
	// half is the heap and the connections' buffers settling, which takes
	// longer on a slow or busy machine (on one, the RSS still rose from
	// 478 to 636 MiB in the first five seconds, then stayed at 638–644).
	mid := samples[len(samples)/2]
	last := samples[len(samples)-1]
	if last > mid+mid/8+32<<20 {
		t.Errorf("memory grows under steady load: %d MiB half way, %d MiB at the end", mid>>20, last>>20)
	}
}

func mib(xs []int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = x >> 20
	}
	return out
}

// TestServeRebuildsNeverShowHalfPages edits a record 100 times in a row
// while readers keep asking for its page and for the lists: every answer
// must be a complete page (200, ending in </html>) of some version, never a
// 404, an error or a mix.
func TestServeRebuildsNeverShowHalfPages(t *testing.T) {
	if testing.Short() {
		t.Skip("100 rebuilds")
	}
	dir := scratch(t)
	board := filepath.Join(dir, "board")
	if err := sample.Write(board, 12, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	rec := filepath.Join(board, "content", "commitments", "edited.toml")
	write := func(v int) {
		text := fmt.Sprintf("title = \"Version %d of the wells\"\nunit = %q\nowner = \"Li Ming\"\nmade = 2026-01-15\ndue = 2026-12-31\nstatus = \"in-progress\"\nbody = %q\n",
			v, firstUnit(t, board), strings.Repeat(fmt.Sprintf("Paragraph of version %d.\n\n", v), 40))
		// As an editor saves: a new file renamed over the old one.
		if err := os.WriteFile(rec+".tmp~", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(rec+".tmp~", rec); err != nil {
			t.Fatal(err)
		}
	}
	write(0)
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o755)
	p := startPreview(t, board, tmp)

	paths := []string{"/commitments/edited/index.html", "/", "/commitments/index.html", "/data/commitments.json"}
	version := regexp.MustCompile(`Version (\d+) of the wells`)
	var (
		wg       sync.WaitGroup
		stop     atomic.Bool
		requests atomic.Int64
		mu       sync.Mutex
		problems []string
	)
	for i := range 4 {
		wg.Go(func() {
			client := &http.Client{Timeout: 30 * time.Second}
			for n := i; !stop.Load(); n++ {
				path := paths[n%len(paths)]
				resp, err := client.Get(p.url + strings.TrimPrefix(path, "/"))
				var body []byte
				if err == nil {
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				requests.Add(1)
				bad := ""
				switch {
				case err != nil:
					bad = err.Error()
				case resp.StatusCode != 200:
					bad = fmt.Sprintf("status %d", resp.StatusCode)
				case strings.HasSuffix(path, ".html") || path == "/":
					if !strings.Contains(string(body), "</html>") {
						bad = fmt.Sprintf("incomplete page (%d bytes)", len(body))
					} else if path == paths[0] {
						vs := version.FindAllStringSubmatch(string(body), -1)
						if len(vs) == 0 {
							bad = "the record's page without its title"
						}
						for _, v := range vs[1:] {
							if v[1] != vs[0][1] {
								bad = fmt.Sprintf("a page mixing versions %s and %s", vs[0][1], v[1])
							}
						}
					}
				case !strings.HasSuffix(strings.TrimSpace(string(body)), "]") && !strings.HasSuffix(strings.TrimSpace(string(body)), "}"):
					bad = fmt.Sprintf("incomplete JSON (%d bytes)", len(body))
				}
				if bad != "" {
					mu.Lock()
					problems = append(problems, path+": "+bad)
					mu.Unlock()
				}
			}
		})
	}
	client := &http.Client{Timeout: 30 * time.Second}
	start := time.Now()
	for v := 1; v <= 100; v++ {
		write(v)
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := client.Get(p.url + "commitments/edited/index.html")
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if strings.Contains(string(body), fmt.Sprintf("Version %d of the wells", v)) {
					break
				}
			}
			if time.Now().After(deadline) {
				stop.Store(true)
				wg.Wait()
				t.Fatalf("rebuild %d did not show within 30 s", v)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("100 rebuilds in %v; %d requests by 4 readers meanwhile", time.Since(start).Round(time.Millisecond), requests.Load())
	if len(problems) > 0 {
		t.Fatalf("%d bad answers during rebuilds, the first ones:\n%s", len(problems), strings.Join(problems[:min(10, len(problems))], "\n"))
	}
}

func firstUnit(t *testing.T, board string) string {
	data, err := os.ReadFile(filepath.Join(board, "board.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^id = "([^"]+)"`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no unit in board.toml")
	}
	return string(m[1])
}

// rawRequest sends text as it is (no client cleans the path) and returns
// the status code, 0 when the connection was closed without an answer.
func rawRequest(t *testing.T, addr, text string) int {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(c, text); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeRefusesAttacks: path traversal in every spelling gets 404 and
// nothing of the board's sources or of the system; oversized headers are
// refused; the live-reload stream caps its connections.
func TestServeRefusesAttacks(t *testing.T) {
	dir := t.TempDir()
	board := filepath.Join(dir, "board")
	if err := sample.Write(board, 5, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o755)
	p := startPreview(t, board, tmp)
	get := func(path string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: " + p.addr + "\r\nConnection: close\r\n\r\n"
	}
	if code := rawRequest(t, p.addr, get("/")); code != 200 {
		t.Fatalf("home: %d", code)
	}
	for _, path := range []string{
		"/../board.toml", "/../../../../etc/passwd", "/%2e%2e/board.toml", "/%2e%2e%2fboard.toml",
		"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/..%5cboard.toml", "/..%5c..%5cetc%5cpasswd", "/%5c..%5cboard.toml",
		"//etc/passwd", "/%2fetc%2fpasswd", "/etc/passwd", "/board.toml", "/content/commitments/",
		"/index.html%00", "/%00", "/index.html%00.png", "/.glassboard-output", "/.%2e/board.toml",
		"/commitments/..%2f..%2fboard.toml", "/%c0%ae%c0%ae/board.toml", "/..;/board.toml",
	} {
		if code := rawRequest(t, p.addr, get(path)); code != 404 {
			t.Errorf("GET %s: %d, want 404", path, code)
		}
	}
	// Absolute URLs in the request line name the same paths.
	for _, target := range []string{"http://" + p.addr + "/../board.toml", "http://" + p.addr + "/%2e%2e/etc/passwd"} {
		if code := rawRequest(t, p.addr, get(target)); code != 404 {
			t.Errorf("GET %s: %d, want 404", target, code)
		}
	}
	// A raw NUL in the request line is not HTTP at all (400 from net/http);
	// a raw backslash reaches the preview, which refuses it.
	for path, want := range map[string]int{"/\x00": 400, "/index.html\x00.png": 400, "/..\\board.toml": 404, "/..\\..\\etc\\passwd": 404} {
		if code := rawRequest(t, p.addr, get(path)); code != want {
			t.Errorf("GET %q: %d, want %d", path, code, want)
		}
	}

	// Oversized request headers: 431 Request Header Fields Too Large.
	big := "GET / HTTP/1.1\r\nHost: " + p.addr + "\r\nX-Big: " + strings.Repeat("a", 1<<20) + "\r\n\r\n"
	if code := rawRequest(t, p.addr, big); code != 431 {
		t.Errorf("1 MiB header: %d, want 431", code)
	}
	many := "GET / HTTP/1.1\r\nHost: " + p.addr + "\r\n" + strings.Repeat("X-A: b\r\n", 20000) + "\r\n"
	if code := rawRequest(t, p.addr, many); code != 431 {
		t.Errorf("20,000 headers: %d, want 431", code)
	}

	// The live-reload stream: 256 connections at most, the next gets 503.
	var streams []net.Conn
	defer func() {
		for _, c := range streams {
			c.Close()
		}
	}()
	refused := 0
	for i := range 300 {
		c, err := net.DialTimeout("tcp", p.addr, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, c)
		c.SetDeadline(time.Now().Add(20 * time.Second))
		fmt.Fprintf(c, "GET /__glassboard/events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", p.addr)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("stream %d: %v", i, err)
		}
		if resp.StatusCode == 503 {
			refused++
		} else if resp.StatusCode != 200 {
			t.Fatalf("stream %d: status %d", i, resp.StatusCode)
		}
	}
	if refused != 300-256 {
		t.Errorf("%d of 300 live-reload connections refused, want %d", refused, 300-256)
	}
	// The pages are still served while the streams are held.
	if code := rawRequest(t, p.addr, get("/")); code != 200 {
		t.Errorf("home while 256 streams are open: %d", code)
	}
}
