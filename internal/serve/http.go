package serve

import (
	"bytes"
	_ "embed"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed live.js
var liveJS []byte

// ServeHTTP serves the built site, the live-reload stream and its script.
// Only files inside the built site are served: paths with "..", ".",
// backslashes, NUL bytes, empty segments (an absolute path such as
// "//etc/passwd") or hidden names get 404, and so does a folder without an
// index.html. HTML responses carry the live-reload script and, while the
// content has errors, the error overlay; nothing of this is on disk.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the preview is read-only", http.StatusMethodNotAllowed)
		return
	}
	if !s.hostAllowed(r) {
		http.Error(w, "this preview answers only to localhost, 127.0.0.1 or [::1] (start it with --bind to be reached by another name)", http.StatusMisdirectedRequest)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store") // a reload must show the new build
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeContent(w, r, "live.js", time.Time{}, bytes.NewReader(liveJS))
		return
	}

	v := s.view() // before reading the site: see view
	if !v.hasSite {
		s.writeHTML(w, r, http.StatusServiceUnavailable, []byte(noSitePage), v)
		return
	}
	rel, ok := sitePath(r.URL.Path)
	if !ok {
		s.notFound(w, r, v)
		return
	}
	// A rebuild swaps the folder, then removes the old one: a request that
	// opened the old one just before may find its file gone. The path then
	// names the new site: look once more there before answering 404.
	if !s.serveSite(w, r, v, rel, false) {
		s.serveSite(w, r, v, rel, true)
	}
}

// serveSite serves rel from the site folder as it is now. When the file is
// not there it answers 404 if last, else it writes nothing and returns
// false.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request, v view, rel string, last bool) bool {
	notFound := func() bool {
		if last {
			s.notFound(w, r, v)
		}
		return last
	}
	// Open the site afresh for each request: a rebuild swaps the folder, and
	// one request should read one version. os.Root also refuses any name
	// that would leave the folder, symbolic links included.
	root, err := os.OpenRoot(s.cfg.Site)
	if err != nil {
		if !last {
			return false
		}
		http.Error(w, "the site folder is gone: "+err.Error(), http.StatusInternalServerError)
		return true
	}
	defer root.Close()

	name := rel
	fi, err := root.Stat(name)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			// Pages link relative to their folder: /notices must become
			// /notices/ before index.html can be served.
			target := r.URL.EscapedPath() + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return true
		}
		name = path.Join(rel, "index.html")
		fi, err = root.Stat(name)
	}
	if err != nil || !fi.Mode().IsRegular() || name == rel && strings.HasSuffix(r.URL.Path, "/") {
		return notFound()
	}
	if isHTML(name) {
		data, err := root.ReadFile(name)
		if err != nil {
			return notFound()
		}
		s.writeHTML(w, r, http.StatusOK, data, v)
		return true
	}
	f, err := root.Open(name)
	if err != nil {
		return notFound()
	}
	defer f.Close()
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	// No Last-Modified: a rebuild within the same second must not be
	// answered with 304 Not Modified.
	http.ServeContent(w, r, name, time.Time{}, f)
	return true
}

// sitePath turns a URL path into a name inside the site ("." for the root),
// or reports that it names nothing the site may serve.
func sitePath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	rest := strings.TrimSuffix(p[1:], "/")
	if rest == "" {
		return ".", p == "/"
	}
	for _, seg := range strings.Split(rest, "/") {
		switch {
		case seg == "", seg == ".", seg == "..":
			return "", false
		case strings.HasPrefix(seg, ".") && seg != ".well-known":
			return "", false // hidden files, the build's marker among them
		}
	}
	if !fs.ValidPath(rest) {
		return "", false
	}
	return rest, true
}

func isHTML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".html" || ext == ".htm"
}

// notFound serves the site's 404.html with status 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, v view) {
	data, err := readSiteFile(s.cfg.Site, "404.html")
	if err != nil {
		data = []byte("<!doctype html>\n<title>Not found</title>\n<h1>Not found</h1>\n<p>This page is not in the preview.</p>\n")
	}
	s.writeHTML(w, r, http.StatusNotFound, data, v)
}

func readSiteFile(site, name string) ([]byte, error) {
	root, err := os.OpenRoot(site)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.ReadFile(name)
}

// writeHTML sends a page with the preview's additions.
func (s *Server) writeHTML(w http.ResponseWriter, r *http.Request, status int, page []byte, v view) {
	body := inject(page, v)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		http.ServeContent(w, r, "page.html", time.Time{}, bytes.NewReader(body))
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// inject adds the error overlay (when there are errors) and the
// live-reload script before the page's last </body>, or at its end.
func inject(page []byte, v view) []byte {
	data := struct {
		Token    string
		HasSite  bool
		Problems []string
	}{v.token, v.hasSite, v.problems}
	var add bytes.Buffer
	if v.problems != nil {
		if err := overlay.Execute(&add, data); err != nil {
			add.Reset()
		}
	}
	if err := scriptTag.Execute(&add, data); err != nil {
		return page
	}
	at := lastIndexFold(page, []byte("</body>"))
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+add.Len())
	out = append(out, page[:at]...)
	out = append(out, add.Bytes()...)
	return append(out, page[at:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case.
func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

var scriptTag = template.Must(template.New("script").Parse(
	`<script src="` + scriptPath + `" data-token="{{.Token}}"></script>` + "\n"))

// The overlay is a plain HTML panel: it shows without JavaScript, and its
// styles are inline so that no board stylesheet can hide it.
var overlay = template.Must(template.New("overlay").Parse(`<div id="glassboard-errors" role="alert" style="position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#5a0000;border-bottom:4px solid #b00020;box-shadow:0 2px 12px rgba(0,0,0,.35);font:15px/1.5 system-ui,sans-serif;text-align:left">
<p style="margin:0 0 .5rem;font-weight:bold">{{if .HasSite}}The board has errors. This preview still shows the last good version; it updates by itself once they are fixed.{{else}}The board has errors, so there is no site to show yet. This page updates by itself once they are fixed.{{end}}</p>
<ul style="margin:0;padding:0 0 0 1.25rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere">
{{range .Problems}}<li>{{.}}</li>
{{end}}</ul>
</div>
`))

const noSitePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>glassboard preview: errors</title>
</head>
<body>
</body>
</html>
`
