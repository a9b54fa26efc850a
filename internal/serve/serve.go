// Package serve is the watch-mode preview behind `glassboard serve`: it
// serves a built site over HTTP, watches the board's sources with fsnotify,
// calls a rebuild function after each burst of changes, and tells the open
// pages to reload (or, for a CSS-only change, to refresh their styles) over
// Server-Sent Events. While the content has errors the last good site stays
// served and every page carries an overlay listing them.
//
// The package does not know how a site is built: it is given a Rebuild
// function that returns each new site as a file system (glassboard's is
// in memory), which replaces the previous one in one step. Whether that
// function builds everything or only what changed is its own business; it
// is told which source files changed.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/glassboard/glassboard/internal/diag"
)

// Build is what one rebuild reports.
type Build struct {
	// Site is the new site, served from now on in place of the previous
	// one: each request reads one version, never a mix. It must not change
	// once returned. Nil on failure.
	Site  fs.FS
	Pages int // HTML pages in the new site
	// Rendered counts the pages rendered by this build when it kept the
	// others from the previous one; 0 when it rendered all.
	Rendered int
	Diags    diag.List // problems found; on failure they say why
}

// Rebuild builds the site and returns it.
// changed lists the source files (slash-separated, relative to the board)
// that changed since the previous call; nil means "anything may have
// changed" (the first build, or a lost event queue). An error means no new
// site was produced and the previous one, if any, is still in place: the
// Diags of the returned Build, or else the error's text, are shown to the
// user. Rebuild is never called concurrently.
type Rebuild func(changed []string) (Build, error)

// Config says what to serve and watch.
type Config struct {
	Source  string  // the board folder; its board.toml, content/, layouts/, static/ and i18n/ are watched
	Bind    string  // address to listen on; default 127.0.0.1
	Port    int     // first port to try (the next 20 are tried when it is busy); 0: any free port
	Rebuild Rebuild // builds the site

	Stdout io.Writer // progress: the URL, rebuild times
	Stderr io.Writer // problems: content errors, warnings

	Debounce   time.Duration // quiet period that ends a burst of changes; default 100ms
	MaxClients int           // concurrent live-reload connections; default 256
}

// Defaults.
const (
	DefaultBind       = "127.0.0.1"
	DefaultPort       = 1313
	defaultDebounce   = 100 * time.Millisecond
	maxBatchDelay     = time.Second // a steady trickle of changes still rebuilds this often
	defaultMaxClients = 256
	portAttempts      = 21 // the port asked for and the next 20
	shutdownTimeout   = 5 * time.Second
	rebuildGrace      = 2 * time.Second // how long stopping waits for a rebuild in progress
)

// Server is one preview: a listener, a watcher, the live-reload hub and
// the state of the last build. Make it with New, then call Start and Serve.
type Server struct {
	cfg      Config
	hub      *hub
	http     *http.Server
	ln       net.Listener
	watch    *watcher
	url      string
	started  bool
	loopback bool // bound to loopback: only local host names are answered

	instance string      // tells a restarted server's pages from this one's
	stopping atomic.Bool // Serve is shutting down

	mu       sync.Mutex
	gen      int      // bumped whenever what the pages show changes
	site     fs.FS    // the last good site; nil before the first
	problems []string // lines of the overlay; nil when the last build succeeded
}

// New checks the configuration and fills in defaults.
func New(cfg Config) (*Server, error) {
	if cfg.Source == "" || cfg.Rebuild == nil {
		return nil, errors.New("serve: Source and Rebuild are required")
	}
	if cfg.Bind == "" {
		cfg.Bind = DefaultBind
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("port %d out of range (want 1–65535, or 0 for any free port)", cfg.Port)
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Debounce <= 0 {
		cfg.Debounce = defaultDebounce
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = defaultMaxClients
	}
	src, err := filepath.Abs(cfg.Source)
	if err != nil {
		return nil, err
	}
	cfg.Source = src
	s := &Server{
		cfg:      cfg,
		loopback: isLoopback(cfg.Bind),
		hub:      newHub(cfg.MaxClients),
		instance: strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second, // lifted for the event stream only
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	return s, nil
}

// URL is where the preview is served, once Start has returned.
func (s *Server) URL() string { return s.url }

// Start listens, starts watching the board and builds it once. A failed
// first build is not an error: the pages then show what is wrong until a
// change fixes it. Start prints the URL and how to stop.
func (s *Server) Start() (err error) {
	if s.started {
		return errors.New("serve: already started")
	}
	s.started = true
	defer func() {
		if err != nil {
			s.cleanup()
		}
	}()
	if err := s.listen(); err != nil {
		return err
	}
	if s.watch, err = newWatcher(s.cfg.Source); err != nil {
		return err
	}
	s.rebuild(nil, true)

	out := s.cfg.Stdout
	fmt.Fprintf(out, "Serving the preview at %s\n", s.url)
	if !s.loopback {
		fmt.Fprintf(s.cfg.Stderr, "warning: listening on %s, not on loopback: anyone who can reach this machine over the network can see the preview, edits not yet published included; use --bind 127.0.0.1 to keep it private\n", s.cfg.Bind)
	}
	fmt.Fprintf(out, "Watching for changes in %s (%s)\n", s.cfg.Source, strings.Join(watchedNames, ", "))
	fmt.Fprintln(out, "Press Ctrl+C to stop")
	return nil
}

// Serve serves the preview and rebuilds on changes until ctx is cancelled,
// then stops the watcher, closes the live-reload streams and shuts the HTTP
// server down. It returns nil after a clean stop.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil || s.watch == nil {
		return errors.New("serve: Serve called without a successful Start")
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- s.http.Serve(s.ln) }()
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		s.loop(ctx)
	}()

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
		err = fmt.Errorf("serving: %w", err)
	}
	s.stopping.Store(true)
	s.watch.close()
	select {
	case <-watchDone:
	case <-time.After(rebuildGrace):
		// A full build of a large board cannot be interrupted: do not make
		// Ctrl+C wait for it. Its result is thrown away with the process.
		fmt.Fprintln(s.cfg.Stdout, "Stopping without waiting for the rebuild in progress.")
	}
	s.hub.close()
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if serr := s.http.Shutdown(shutCtx); serr != nil {
		s.http.Close()
	}
	if err == nil {
		if serr := <-serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = fmt.Errorf("serving: %w", serr)
		}
	}
	s.ln = nil
	if err == nil {
		fmt.Fprintln(s.cfg.Stdout, "Stopped.")
	}
	return err
}

// cleanup releases what a failed Start acquired.
func (s *Server) cleanup() {
	if s.watch != nil {
		s.watch.close()
	}
	if s.ln != nil {
		s.ln.Close()
		s.ln = nil
	}
	s.hub.close()
}

// listen binds cfg.Port, or the next free one of the following 20.
func (s *Server) listen() error {
	port, last := s.cfg.Port, s.cfg.Port+portAttempts-1
	if port == 0 {
		last = 0
	}
	last = min(last, 65535)
	var firstErr error
	for p := port; p <= last; p++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(s.cfg.Bind, strconv.Itoa(p)))
		if err == nil {
			s.ln = ln
			host := s.cfg.Bind
			if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
				host = "127.0.0.1" // what the local browser can open; the warning says who else can
			}
			s.url = "http://" + net.JoinHostPort(host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)) + "/"
			if p != port {
				fmt.Fprintf(s.cfg.Stdout, "Port %d is busy; using %d instead.\n", port, p)
			}
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	if port != 0 && errors.Is(firstErr, syscall.EADDRINUSE) {
		return fmt.Errorf("ports %d to %d on %s are all busy: choose another with --port", port, last, s.cfg.Bind)
	}
	return fmt.Errorf("cannot listen on %s: %w", net.JoinHostPort(s.cfg.Bind, strconv.Itoa(port)), firstErr)
}

// isLoopback reports whether an address to bind is reachable only from
// this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// hostAllowed guards a loopback preview against DNS rebinding: a web page
// whose domain name is made to point to 127.0.0.1 must not be able to read
// the preview. Only local names are answered then.
func (s *Server) hostAllowed(r *http.Request) bool {
	if !s.loopback || r.Host == "" {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	return isLoopback(host) || strings.HasSuffix(host, ".localhost")
}

// view is what a response is built from: taken under the lock, before the
// site is read, so that a page is never tagged newer than its content.
type view struct {
	token    string
	site     fs.FS // nil: no site yet
	problems []string
}

func (s *Server) view() view {
	s.mu.Lock()
	defer s.mu.Unlock()
	return view{token: s.tokenLocked(), site: s.site, problems: s.problems}
}

func (s *Server) tokenLocked() string { return s.instance + "-" + strconv.Itoa(s.gen) }

// rebuild calls Rebuild, records the outcome, prints it and tells the
// pages. changed nil means a full rebuild.
func (s *Server) rebuild(changed []string, first bool) {
	if !first {
		fmt.Fprintln(s.cfg.Stdout, describeChange(changed))
	}
	start := time.Now()
	b, err := s.safeRebuild(changed)
	took := time.Since(start).Round(time.Millisecond)
	if s.stopping.Load() {
		return // finished after Ctrl+C: nobody is waiting for it
	}

	var problems []string
	if err != nil {
		for _, d := range b.Diags {
			problems = append(problems, d.String())
		}
		if b.Diags.Errors() == 0 {
			problems = append(problems, err.Error())
		}
	}

	s.mu.Lock()
	wasBroken := s.problems != nil
	if err == nil && b.Site != nil {
		s.site = b.Site
		s.problems = nil
	} else {
		s.problems = problems
	}
	hasSite := s.site != nil
	s.gen++
	token := s.tokenLocked()
	s.mu.Unlock()

	verb := "Rebuilt"
	if first {
		verb = "Built"
	}
	if err == nil {
		b.Diags.WriteText(s.cfg.Stderr) // warnings
		pages := plural(b.Pages, "page", "pages")
		if b.Rendered > 0 && b.Rendered < b.Pages {
			pages = fmt.Sprintf("%d of %s rendered again", b.Rendered, pages)
		}
		fmt.Fprintf(s.cfg.Stdout, "%s in %s (%s)\n", verb, took, pages)
	} else {
		for _, p := range problems {
			fmt.Fprintln(s.cfg.Stderr, p)
		}
		n := b.Diags.Errors()
		what := plural(max(n, 1), "error", "errors")
		if n == 0 {
			what = "the build failed"
		}
		if hasSite {
			fmt.Fprintf(s.cfg.Stderr, "glassboard: %s; still serving the last good site, with the errors shown on every page\n", what)
		} else {
			fmt.Fprintf(s.cfg.Stderr, "glassboard: %s; there is no site to show yet: the browser shows the errors until they are fixed\n", what)
		}
	}

	event := evReload
	if err == nil && !wasBroken && cssOnly(changed) {
		event = evCSS
	}
	s.hub.broadcast(event, token)
}

// safeRebuild calls Rebuild; a bug in it is shown like any other failed
// build rather than ending the preview with a stack trace.
func (s *Server) safeRebuild(changed []string) (b Build, err error) {
	defer func() {
		if v := recover(); v != nil {
			b, err = Build{}, fmt.Errorf("internal error while building (please report it with the change you made): %v", v)
		}
	}()
	return s.cfg.Rebuild(changed)
}

// cssOnly reports whether every change is a stylesheet under static/,
// which the pages can pick up without reloading.
func cssOnly(changed []string) bool {
	if len(changed) == 0 {
		return false
	}
	for _, p := range changed {
		if !strings.HasPrefix(p, "static/") || !strings.EqualFold(filepath.Ext(p), ".css") {
			return false
		}
	}
	return true
}

func describeChange(changed []string) string {
	if changed == nil {
		return "Changes detected; rebuilding everything"
	}
	sort.Strings(changed)
	if len(changed) == 1 {
		return "Changed: " + changed[0]
	}
	return fmt.Sprintf("Changed: %s (and %d more)", changed[0], len(changed)-1)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
