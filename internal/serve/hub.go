package serve

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Live-reload events, in increasing strength: a pending reload swallows a
// pending CSS refresh.
const (
	evNone   = ""
	evCSS    = "css"
	evReload = "reload"
)

const (
	eventsPath  = "/__glassboard/events"
	scriptPath  = "/__glassboard/live.js"
	pingEvery   = 30 * time.Second // keeps proxies from closing a quiet stream, finds gone clients
	sseWriteMax = 10 * time.Second // a client that takes longer to accept an event is dropped
)

// hub holds the live-reload streams of one server.
type hub struct {
	mu      sync.Mutex
	clients map[*client]struct{}
	max     int
	closed  bool
	done    chan struct{} // closed by close
}

// client is one open event stream. Events are coalesced rather than
// queued: a slow client gets the strongest pending event once.
type client struct {
	notify  chan struct{} // capacity 1
	pending string
	token   string
}

func newHub(max int) *hub {
	return &hub{clients: map[*client]struct{}{}, max: max, done: make(chan struct{})}
}

// join registers a stream; it fails when the hub is full or closed.
func (h *hub) join() (*client, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || len(h.clients) >= h.max {
		return nil, false
	}
	c := &client{notify: make(chan struct{}, 1)}
	h.clients[c] = struct{}{}
	return c, true
}

func (h *hub) leave(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// broadcast tells every stream about a new site version.
func (h *hub) broadcast(event, token string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if c.pending != evReload {
			c.pending = event
		}
		c.token = token
		select {
		case c.notify <- struct{}{}:
		default:
		}
	}
}

// take returns and clears the client's pending event.
func (h *hub) take(c *client) (event, token string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	event, token = c.pending, c.token
	c.pending = evNone
	return event, token
}

// close ends every stream and refuses new ones.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// events streams live-reload events. The first, "hello", carries the
// current site version so that a page built from an older one reloads at
// once (it may have been served just before a rebuild finished).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	c, ok := s.hub.join()
	if !ok {
		h.Del("Content-Type")
		http.Error(w, "too many live-reload connections (or the preview is stopping)", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.leave(c)

	// The stream outlives the server's read and write timeouts: lift them
	// for this connection only, and bound each write instead.
	rc := http.NewResponseController(w)
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return
	}
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		return
	}
	send := func(format string, args ...any) bool {
		rc.SetWriteDeadline(time.Now().Add(sseWriteMax))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	w.WriteHeader(http.StatusOK)
	if !send("retry: 1000\nevent: hello\ndata: %s\n\n", s.view().token) {
		return
	}
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-ping.C:
			if !send(": ping\n\n") {
				return
			}
		case <-c.notify:
			event, token := s.hub.take(c)
			if event == evNone {
				continue
			}
			if !send("event: %s\ndata: %s\n\n", event, token) {
				return
			}
		}
	}
}
