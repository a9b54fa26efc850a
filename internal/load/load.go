// Package load reads a board folder into the domain types of package board,
// reporting every problem at once as a diagnostic with file, line and column.
// It is the only importer of the TOML library.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // any machine knows the board's timezone
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/BurntSushi/toml"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/diag"
)

// MaxFileSize is the largest record file accepted.
const MaxFileSize = 2 << 20

// ErrNotABoard is returned when the folder has no board.toml.
var ErrNotABoard = errors.New("no board.toml: not a glassboard board (create one with: glassboard new site DIR)")

// record folders under content/ and the file extension each holds.
var kinds = []struct{ dir, ext string }{
	{"commitments", ".toml"},
	{"notices", ".toml"},
	{"ratings", ".toml"},
	{"pages", ".md"},
}

// Load reads the board in fsys (rooted at the board folder), checks every
// rule and returns the board with all diagnostics, sorted. The error is for
// environment problems only (no board.toml, unreadable folders); content
// problems are diagnostics.
func Load(fsys fs.FS) (*board.Board, diag.List, error) {
	return load(fsys, nil, nil, nil)
}

// LoadReading is Load that also calls onRead with the content of every
// file the board is made of (board.toml, the records and pages), as read:
// once a file is read, and before it is decoded, from several goroutines
// at a time. data is only valid during the call. A file that could not be
// read is not passed, and neither is one Load passes over (see Ignored) or
// reports as an error (a stray file, a link). The build fingerprints the
// board with it (package build, fingerprint.go), from exactly the bytes it
// was built from.
func LoadReading(fsys fs.FS, onRead func(file string, data []byte)) (*board.Board, diag.List, error) {
	return load(fsys, nil, nil, onRead)
}

// LoadAlongside is Load that also calls alongside, when not nil, with the
// decoded board on another goroutine while the rules are checked, as
// Cache.Load does, and returns after both. The same terms hold: alongside
// must only read the board, not its base_url; its work is wasted when the
// board has errors; it is not called when board.toml does not decode.
func LoadAlongside(fsys fs.FS, alongside func(*board.Board)) (*board.Board, diag.List, error) {
	return load(fsys, nil, alongside, nil)
}

// Cache keeps the decoded record files of one board between loads, so that
// a load after an edit decodes only what changed (the preview rebuilds on
// every save). A record that was not decoded again is the same value as in
// the previous load, so callers may tell unchanged records by identity. A
// Cache is not safe for concurrent use.
type Cache struct {
	files map[string]decoded // by slash path, "content/notices/x.toml"

	// What the last walk of content/ and static/ found: the record files
	// in walk order, its diagnostics and the static files. A load after
	// edits of record files only takes them over instead of walking again.
	order     []job
	walkDiags diag.List
	static    map[string]bool
	reuseWalk bool // this load takes over the last walk

	// check runs again only the rules of the records decoded again.
	check board.Checker
}

// decoded is one record file's outcome.
type decoded struct {
	result
	diags diag.List
}

// Load loads the board like the package's Load, decoding again only the
// record files named in changed (slash-separated paths relative to the
// board folder) and those not seen before. changed nil decodes every file.
// board.toml is always read afresh.
//
// alongside, when not nil, is called with the decoded board on another
// goroutine while the rules are checked (so a caller can derive the board
// meanwhile), and Load returns after both. It must only read the board,
// and not its base_url, which Load completes afterwards; its work is
// wasted when the board has errors. It is not called when board.toml
// does not decode.
func (c *Cache) Load(fsys fs.FS, changed []string, alongside func(*board.Board)) (*board.Board, diag.List, error) {
	if changed == nil || c.files == nil {
		c.files, c.order = map[string]decoded{}, nil
	}
	for _, p := range changed {
		delete(c.files, p)
	}
	c.reuseWalk = c.order != nil && c.updateOrder(fsys, changed)
	return load(fsys, c, alongside, nil)
}

// updateOrder brings the last walk up to date without walking again, when
// every changed path is a record file that is there (or gone) as a
// regular file, or one the walk ignores. It reports false, changing
// nothing, when a walk is needed.
func (c *Cache) updateOrder(fsys fs.FS, changed []string) bool {
	if reflect.TypeOf(fsys) != dirFSType {
		return false
	}
	dir := reflect.ValueOf(fsys).String()
	order := c.order
	for _, p := range changed {
		for _, d := range c.walkDiags {
			if p == d.File || strings.HasPrefix(p, d.File+"/") {
				return false // the walk said something of it: let it look again
			}
		}
		j, ok, ignore := recordJob(p)
		if ignore {
			continue
		}
		if !ok {
			return false
		}
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
		present := err == nil && fi.Mode().IsRegular()
		if err != nil && !errors.Is(err, fs.ErrNotExist) || err == nil && !present {
			return false
		}
		i, found := slices.BinarySearchFunc(order, p, func(j job, p string) int { return walkCompare(j.file, p) })
		switch {
		case present && !found:
			order = slices.Insert(slices.Clip(order), i, j)
		case !present && found:
			order = slices.Delete(slices.Clone(order), i, i+1)
		}
	}
	c.order = order
	return true
}

// Ignored reports whether Load passes over the file or folder at p (a
// slash path relative to the board, under content/) without reading it or
// saying a word: a hidden or backup name anywhere in the path. Every other
// file under content/ is read, or is an error.
func Ignored(p string) bool {
	_, _, ignore := recordJob(p)
	return ignore
}

// recordJob reports whether p (a slash path relative to the board) is a
// record file the walk of content/ would hand on without a word, and
// whether the walk would ignore it altogether.
func recordJob(p string) (j job, ok, ignore bool) {
	rel, inContent := strings.CutPrefix(p, "content/")
	if !inContent {
		return job{}, false, false
	}
	parts := strings.Split(rel, "/")
	for _, part := range parts {
		if ignored(part) {
			return job{}, false, true
		}
	}
	if len(parts) < 2 {
		return job{}, false, false
	}
	for _, k := range kinds {
		if k.dir == parts[0] {
			name := parts[len(parts)-1]
			if path.Ext(name) != k.ext || !board.ValidID(recordID(name)) {
				return job{}, false, false
			}
			return job{kind: k.dir, file: p}, true, false
		}
	}
	return job{}, false, false
}

// walkCompare orders slash paths as fs.WalkDir visits them: by name,
// folder by folder.
func walkCompare(a, b string) int {
	for a != "" || b != "" {
		ah, arest, _ := strings.Cut(a, "/")
		bh, brest, _ := strings.Cut(b, "/")
		if c := strings.Compare(ah, bh); c != 0 {
			return c
		}
		a, b = arest, brest
	}
	return 0
}

func load(fsys fs.FS, cache *Cache, alongside func(*board.Board), onRead func(string, []byte)) (*board.Board, diag.List, error) {
	if _, err := fs.Stat(fsys, "board.toml"); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, ErrNotABoard
		}
		return nil, nil, err
	}
	l := &loader{fsys: fsys, cache: cache, alongside: alongside, onRead: onRead, b: &board.Board{Config: board.DefaultConfig(), Static: map[string]bool{}, Unreadable: map[string]bool{}}}
	if reflect.TypeOf(fsys) == dirFSType {
		l.dir = reflect.ValueOf(fsys).String()
	}
	if err := l.run(); err != nil {
		return nil, nil, err
	}
	l.diags.Sort()
	return l.b, l.diags, nil
}

type loader struct {
	fsys  fs.FS
	cache *Cache // nil: decode every file
	// alongside runs beside the rules (see Cache.Load); nil: nothing does.
	alongside func(*board.Board)
	// onRead is given every file's content as read (see LoadReading).
	onRead func(file string, data []byte)
	dir    string // the folder of fsys when it is an os.DirFS
	b      *board.Board
	mu     sync.Mutex
	diags  diag.List
}

func (l *loader) add(ds ...diag.Diagnostic) {
	l.mu.Lock()
	l.diags = append(l.diags, ds...)
	l.mu.Unlock()
}

type job struct {
	kind string // commitments, notices, ratings, pages
	file string
}

func (l *loader) run() error {
	cfgOK := l.config()

	// Decode records in parallel as the walk finds them; keep the order of
	// the walk. The files go to the decoders a batch at a time: one
	// hand-over per file cost more than reading a small one.
	type slot struct {
		job
		dir *dirHandle // the file's folder, when open
		decoded
	}
	const batchSize = 16
	var (
		slots []*slot
		block []slot // slots are allocated a block at a time
		batch []*slot
		wg    sync.WaitGroup
		next  = make(chan []*slot, 256/batchSize)
	)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Go(func() {
			scratch := make([]byte, readScratch)
			for b := range next {
				for _, s := range b {
					s.decoded = l.decodeFile(s.job, s.dir, scratch)
				}
			}
		})
	}
	send := func() {
		if len(batch) > 0 {
			next <- batch
			batch = nil
		}
	}
	var fresh map[string]bool // files decoded by this load, for the cache
	if l.cache != nil {
		fresh = map[string]bool{}
	}
	found := func(j job, dir *dirHandle) {
		if len(block) == cap(block) {
			block = make([]slot, 0, 256)
		}
		block = append(block, slot{job: j, dir: dir})
		s := &block[len(block)-1]
		slots = append(slots, s)
		if l.cache != nil {
			if d, ok := l.cache.files[j.file]; ok {
				s.decoded = d
				return
			}
		}
		if fresh != nil {
			fresh[j.file] = true
		}
		dir.hold()
		if batch == nil {
			batch = make([]*slot, 0, batchSize)
		}
		if batch = append(batch, s); len(batch) == batchSize {
			send()
		}
	}
	var err error
	if c := l.cache; c != nil && c.reuseWalk {
		for _, j := range c.order {
			found(j, nil)
		}
		l.add(c.walkDiags...)
		for p := range c.static {
			l.b.Static[p] = true
		}
	} else {
		var walkDiags diag.List
		walkDiags, err = l.files(found)
		l.add(walkDiags...)
		if err == nil {
			err = l.static()
		}
		if c := l.cache; c != nil {
			c.order = make([]job, len(slots))
			for i, s := range slots {
				c.order[i] = s.job
			}
			c.walkDiags, c.static = walkDiags, maps.Clone(l.b.Static)
			if err != nil {
				c.order = nil
			}
		}
	}
	send()
	if err == nil {
		l.links()
	}
	close(next)
	wg.Wait()
	if err != nil {
		return err
	}

	if c := l.cache; c != nil {
		if c.files == nil {
			c.files = make(map[string]decoded, len(slots))
		}
		for _, s := range slots {
			if fresh[s.file] {
				c.files[s.file] = s.decoded
			}
		}
		if len(c.files) > len(slots) { // files gone since the last load are forgotten
			seen := make(map[string]bool, len(slots))
			for _, s := range slots {
				seen[s.file] = true
			}
			for f := range c.files {
				if !seen[f] {
					delete(c.files, f)
				}
			}
		}
	}
	for _, s := range slots {
		l.add(s.diags...)
		r, j := s.result, s.job
		id := recordID(j.file)
		switch {
		case r.failed:
			l.b.Unreadable[j.kind+"/"+id] = true
		case r.c != nil:
			r.c.ID, r.c.File = id, j.file
			l.b.Commitments = append(l.b.Commitments, r.c)
		case r.n != nil:
			r.n.ID, r.n.File = id, j.file
			l.b.Notices = append(l.b.Notices, r.n)
		case r.r != nil:
			r.r.ID, r.r.File = id, j.file
			l.b.Ratings = append(l.b.Ratings, r.r)
		case r.p != nil:
			r.p.ID, r.p.File = id, j.file
			l.b.Pages = append(l.b.Pages, r.p)
		}
	}
	if cfgOK {
		var wg sync.WaitGroup
		if l.alongside != nil {
			wg.Go(func() { l.alongside(l.b) })
		}
		if l.cache != nil {
			l.locateProblems(l.cache.check.Check(l.b))
		} else {
			l.locateProblems(l.b.Check())
		}
		wg.Wait()
		// Only after the checks, so that their messages quote base_url as written.
		if cfg := &l.b.Config; cfg.BaseURL != "" && !strings.HasSuffix(cfg.BaseURL, "/") {
			cfg.BaseURL += "/"
		}
	}
	return nil
}

// result is one decoded record file.
type result struct {
	c *board.Commitment
	n *board.Notice
	r *board.Rating
	p *board.Page
	// failed: the file exists but could not be read or decoded; the
	// checks must not also call references to it unknown.
	failed bool
}

// decodeFile reads and decodes one record file. Should a decoder bug panic
// on some input, the file gets a diagnostic instead of the program a stack
// trace.
func (l *loader) decodeFile(j job, dir *dirHandle, scratch []byte) (out decoded) {
	data, ds := l.readIn(j.file, dir, scratch)
	if data == nil {
		return decoded{result{failed: true}, ds}
	}
	f := &fileDecoder{file: j.file, src: data, validUTF8: true} // read checked it
	defer func() {
		if v := recover(); v != nil {
			f.errorf(Pos{Line: 1, Col: 1}, "internal error while reading this file (please report it): %v", v)
			out.result = result{failed: true}
		}
		out.diags = f.diags
	}()
	switch j.kind {
	case "commitments":
		c := &board.Commitment{}
		if f.decode(c) {
			return decoded{result: result{c: c}}
		}
	case "notices":
		n := &noticeFile{}
		if f.decode(n) {
			return decoded{result: result{n: n.notice()}}
		}
	case "ratings":
		r := &board.Rating{MaxStars: 5}
		if f.decode(r) {
			return decoded{result: result{r: r}}
		}
	case "pages":
		if p := f.page(); p != nil {
			return decoded{result: result{p: p}}
		}
	}
	return decoded{result: result{failed: true}}
}

func recordID(file string) string {
	base := path.Base(file)
	return strings.TrimSuffix(base, path.Ext(base))
}

// config reads board.toml; it reports whether it decoded.
func (l *loader) config() bool {
	data, ds := l.read("board.toml")
	if data == nil {
		l.add(ds...)
		return false
	}
	f := &fileDecoder{file: "board.toml", src: data, validUTF8: true} // read checked it
	ok := f.decode(&l.b.Config)
	if ok {
		cfg := &l.b.Config
		if _, err := time.LoadLocation(cfg.Timezone); err != nil || cfg.Timezone == "" || cfg.Timezone == "Local" {
			p := f.loc().Pos("timezone")
			f.errorf(p, "unknown timezone %q (want an IANA name like Asia/Shanghai or UTC)", cfg.Timezone)
		}
	}
	l.add(f.diags...)
	return ok
}

// files walks content/ and hands each record file to found, in the order
// of the walk, with its folder when it is open (see dirHandle); it returns
// what it has to say of stray ones.
func (l *loader) files(found func(job, *dirHandle)) (diag.List, error) {
	var ds diag.List
	var dirs dirStack
	defer dirs.leave("")
	err := fs.WalkDir(l.fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == "content" {
				return fs.SkipDir
			}
			ds.Errorf(p, 1, 1, "cannot read: %v", unwrapPath(err))
			return nil
		}
		name := d.Name()
		if p != "content" && ignored(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel := strings.TrimPrefix(p, "content/")
		top, _, nested := strings.Cut(rel, "/")
		if p == "content" {
			return nil
		}
		kind := -1
		for i, k := range kinds {
			if k.dir == top {
				kind = i
			}
		}
		if kind < 0 {
			if d.IsDir() {
				ds.Errorf(p, 1, 1, "unknown content folder %q (want commitments, notices, ratings or pages)", name)
				return fs.SkipDir
			}
			ds.Errorf(p, 1, 1, "stray file in content/: records go in content/commitments/, notices/, ratings/ or pages/")
			return nil
		}
		if d.IsDir() {
			if l.dir != "" {
				dirs.enter(l.dir, p)
			}
			return nil
		}
		if !nested {
			ds.Errorf(p, 1, 1, "content/%s must be a folder", top)
			return nil
		}
		if !d.Type().IsRegular() {
			ds.Errorf(p, 1, 1, "not a regular file (links and devices are not read)")
			return nil
		}
		k := kinds[kind]
		if path.Ext(name) != k.ext {
			ds.Errorf(p, 1, 1, "stray file in content/%s/: only %s files belong here", k.dir, k.ext)
			return nil
		}
		if id := recordID(name); !board.ValidID(id) {
			ds.Errorf(p, 1, 1, "invalid id %q (the file name): use %s", id, board.IDRule)
			return nil
		}
		found(job{kind: k.dir, file: p}, dirs.of(p))
		return nil
	})
	return ds, err
}

// dirHandle is an open folder of the board, whose record files are read
// relative to it: the kernel then looks up one name per file instead of
// every folder of the path. It is closed when the walk has left it and
// every file handed on from it has been read.
type dirHandle struct {
	fd   int
	refs atomic.Int32
}

func (h *dirHandle) hold() {
	if h != nil {
		h.refs.Add(1)
	}
}

func (h *dirHandle) release() {
	if h != nil && h.refs.Add(-1) == 0 {
		closeDir(h.fd)
	}
}

// dirStack holds the folders the walk is in, the innermost last, each
// with its handle (nil when it could not be opened).
type dirStack []struct {
	path string
	h    *dirHandle
}

// enter opens the folder p (a slash path in the board at root) that the
// walk goes into next.
func (st *dirStack) enter(root, p string) {
	st.leave(path.Dir(p))
	var h *dirHandle
	if fd, ok := openDir(filepath.Join(root, filepath.FromSlash(p))); ok {
		h = &dirHandle{fd: fd}
		h.refs.Store(1) // the walk's
	}
	*st = append(*st, struct {
		path string
		h    *dirHandle
	}{p, h})
}

// leave lets go of the folders the walk has left on its way to p.
func (st *dirStack) leave(p string) {
	s := *st
	for len(s) > 0 {
		top := s[len(s)-1].path
		if p == top || strings.HasPrefix(p, top+"/") {
			break
		}
		s[len(s)-1].h.release()
		s = s[:len(s)-1]
	}
	*st = s
}

// of returns the handle of the file p's folder, or nil.
func (st *dirStack) of(p string) *dirHandle {
	dir := path.Dir(p)
	st.leave(dir)
	if s := *st; len(s) > 0 && s[len(s)-1].path == dir {
		return s[len(s)-1].h
	}
	return nil
}

// ignored reports whether a name is hidden or an editor's backup.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"))
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// static lists the files under static/ for evidence and photo checks.
func (l *loader) static() error {
	err := fs.WalkDir(l.fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "static" && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() {
			l.b.Static[strings.TrimPrefix(p, "static/")] = true
		}
		return nil
	})
	return err
}

// dirFSType is the type os.DirFS returns: its files can be read directly.
var dirFSType = reflect.TypeOf(os.DirFS("."))

// readFile reads a file of the board.
func (l *loader) readFile(file string) ([]byte, error) {
	if l.dir != "" && fs.ValidPath(file) {
		if data, ok := readDirect(filepath.Join(l.dir, filepath.FromSlash(file))); ok {
			return data, nil
		}
	}
	return fs.ReadFile(l.fsys, file)
}

// read returns a file's content, or nil and the diagnostics that explain why not.
func (l *loader) read(file string) ([]byte, diag.List) { return l.readIn(file, nil, nil) }

// readIn is read for a file in the open folder dir (nil: none is open),
// which it lets go of, reading through scratch (see readAt).
func (l *loader) readIn(file string, dir *dirHandle, scratch []byte) ([]byte, diag.List) {
	var ds diag.List
	var data []byte
	var err error
	if dir != nil {
		var ok bool
		data, ok = readAt(dir.fd, path.Base(file), scratch)
		dir.release()
		if !ok {
			data, err = l.readFile(file)
		}
	} else {
		data, err = l.readFile(file)
	}
	if err == nil && l.onRead != nil {
		l.onRead(file, data)
	}
	data = bytes.TrimPrefix(data, bom) // accepted, and not a column
	switch {
	case err != nil:
		ds.Errorf(file, 1, 1, "cannot read: %v", unwrapPath(err))
	case len(data) > MaxFileSize:
		ds.Errorf(file, 1, 1, "file is %d bytes; the limit is %d (2 MiB)", len(data), MaxFileSize)
	case len(bytes.TrimSpace(data)) == 0:
		ds.Errorf(file, 1, 1, "file is empty")
	case !utf8.Valid(data):
		line, col := invalidUTF8(data)
		ds.Errorf(file, line, col, "invalid UTF-8: save the file as UTF-8")
	case bytes.IndexByte(data, 0) >= 0:
		i := bytes.IndexByte(data, 0)
		line := bytes.Count(data[:i], []byte("\n")) + 1
		col := utf8.RuneCount(data[bytes.LastIndexByte(data[:i], '\n')+1:i]) + 1
		ds.Errorf(file, line, col, "NUL byte in text file")
	default:
		return data, nil
	}
	return nil, ds
}

var bom = []byte("\uFEFF")

func invalidUTF8(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

// locateProblems turns domain problems into positioned diagnostics,
// re-reading only the files that have problems.
func (l *loader) locateProblems(ps []board.Problem) {
	byFile := map[string][]board.Problem{}
	for _, p := range ps {
		byFile[p.File] = append(byFile[p.File], p)
	}
	for file, ps := range byFile {
		var loc *locator
		offset := 0
		if data, err := fs.ReadFile(l.fsys, file); err == nil {
			src := string(bytes.TrimPrefix(data, bom))
			if strings.HasSuffix(file, ".md") {
				if fm, _, ok := splitFrontMatter(src); ok {
					src, offset = fm, 1
				}
			}
			loc = locate(src, offset)
		} else {
			loc = locate("", 0)
		}
		for _, p := range ps {
			pos := loc.Pos(p.Field)
			sev := diag.Error
			if p.Warning {
				sev = diag.Warning
			}
			l.add(diag.Diagnostic{File: file, Line: pos.Line, Col: pos.Col, Severity: sev, Message: p.Message})
		}
	}
}

// fileDecoder decodes one TOML text and collects its diagnostics.
type fileDecoder struct {
	file    string
	src     []byte
	offset  int // line offset (front matter)
	md      toml.MetaData
	locator *locator
	diags   diag.List
	// validUTF8: src is known to be valid UTF-8 (read checks every file),
	// and the fast path need not check it again.
	validUTF8 bool
}

func (f *fileDecoder) loc() *locator {
	if f.locator == nil {
		f.locator = locate(string(f.src), f.offset)
	}
	return f.locator
}

func (f *fileDecoder) errorf(p Pos, format string, args ...any) {
	f.diags = append(f.diags, diag.Diagnostic{File: f.file, Line: p.Line, Col: p.Col, Severity: diag.Error, Message: fmt.Sprintf(format, args...)})
}

// The patterns of the TOML library's messages. They are compiled when a
// file first needs them, not at every start of the program.
var (
	mismatch = lazyRegexp(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

	incompatible  = lazyRegexp(`^incompatible types: TOML value has type (.+); destination has type (.+)$`)
	tableMismatch = lazyRegexp(`^type mismatch for .+: expected table but found (.+)$`)
	definedTwice  = lazyRegexp(`^Key '(.*)' has already been defined\.$`)
	foundInstead  = lazyRegexp(`^expected value but found (.+) instead$`)
	itemEnd       = lazyRegexp(`^expected a top-level item to end with a newline, comment, or EOF, but got (.+) instead$`)
	badDatetime   = lazyRegexp(`^invalid datetime: (".*")$`)
)

// lazyRegexp returns the pattern, compiled on its first use.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// decode decodes into v and checks that every key is one the schema knows,
// spelled exactly. It reports whether v is usable.
func (f *fileDecoder) decode(v any) bool {
	// The strings decoded point into f.src, which is never written to.
	if fastDecodeUTF8(unsafe.String(unsafe.SliceData(f.src), len(f.src)), v, f.validUTF8) {
		return true // plain TOML, every key known: nothing to report
	}
	return f.decodeSlow(v)
}

// decodeSlow is decode with the TOML library only.
func (f *fileDecoder) decodeSlow(v any) bool {
	if off, deep := tooDeep(f.src); deep {
		f.errorf(f.offsetPos(off), "nested more than %d levels deep (arrays, tables or dotted keys): records need three at most", maxDepth)
		return false
	}
	md, err := toml.Decode(string(f.src), v)
	if err != nil {
		// A value that does not fit stops the decoder; the keys of a file
		// that parses are still checked, so that all is reported at once.
		if generic, ok := f.decodeError(err, reflect.TypeOf(v)); ok {
			f.checkKeys(generic, reflect.TypeOf(v))
		}
		return false
	}
	f.md = md
	f.checkKeys(md, reflect.TypeOf(v))
	return true // unknown keys are reported, the known ones are still checked
}

// checkKeys reports the keys of md that the schema of t does not allow.
func (f *fileDecoder) checkKeys(md toml.MetaData, t reflect.Type) {
	s := schemaOf(t)
	seen := map[string]int{}
	reported := map[string]bool{}
	for _, key := range md.Keys() {
		bare := key.String()
		n := seen[bare]
		seen[bare] = n + 1
		depth, hint, inArray, bad := s.unknownKey(key)
		if !bad {
			continue
		}
		// Report each unknown key (the same typo in two [[updates]] twice),
		// but a key inside an unknown table only with the table.
		badPath := strings.Join(key[:depth+1], ".")
		if len(key) > depth+1 && reported[badPath] {
			continue
		}
		reported[badPath] = true
		p, ok := f.loc().Occurrence(bare, n)
		if !ok {
			p = f.loc().Pos(strings.Join(key[:depth], "."))
		}
		where := "at the top level"
		switch {
		case depth > 0 && inArray:
			where = "in [[" + key[:depth].String() + "]]"
		case depth > 0:
			where = "in [" + key[:depth].String() + "]"
		}
		if depth == 1 && key[0] == "candidates" && slices.Contains(board.PersonalKeys, key[1]) {
			f.errorf(p, "personal data %q must go under [candidates.private], which is never published", key[1])
			continue
		}
		f.errorf(p, "unknown key %q %s%s", key[depth], where, hint)
	}
}

// decodeError reports why a file did not decode. A syntax error is placed
// by its byte offset (the library's line is wrong after CRLF, its column
// counts bytes). A value that does not fit its field is placed at the value
// of the right occurrence of its key: the library names the key but, inside
// an array of tables, gives the position of the last element's.
//
// It returns the metadata of the document when it parses (a value error).
func (f *fileDecoder) decodeError(err error, t reflect.Type) (toml.MetaData, bool) {
	var generic map[string]any
	md, serr := toml.Decode(string(f.src), &generic)
	if serr != nil {
		var pe toml.ParseError
		if errors.As(serr, &pe) {
			f.errorf(f.offsetPos(pe.Position.Start), "%s", plainMessage(pe.Message))
		} else {
			f.errorf(Pos{Line: 1 + f.offset, Col: 1}, "%s", plainMessage(serr.Error()))
		}
		return md, false
	}
	var key, msg string
	var p Pos
	var pe toml.ParseError
	if errors.As(err, &pe) {
		key, msg, p = pe.LastKey, plainMessage(pe.Message), f.offsetPos(pe.Position.Start)
	} else if m := mismatch().FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		key, msg, p = m[2], plainMessage(m[3]), f.keyPos(line, m[2])
	} else {
		f.errorf(Pos{Line: 1 + f.offset, Col: 1}, "%s", plainMessage(err.Error()))
		return md, true
	}
	if n, ok := badValue(f.src, t, key); ok {
		if vp, ok := f.loc().ValueOccurrence(key, n); ok {
			p = vp
		}
	}
	if name := lastPart(key); name != "" && !mentions(msg, name) {
		msg = name + ": " + msg // "progress: want a whole number, …"
	}
	f.errorf(p, "%s", msg)
	return md, true
}

// mentions reports whether msg has word as a whole word ("unknown status").
func mentions(msg, word string) bool {
	return slices.Contains(strings.FieldsFunc(msg, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-'
	}), word)
}

// offsetPos turns a byte offset in the source into a line and a column in
// characters.
func (f *fileDecoder) offsetPos(off int) Pos {
	off = max(0, min(off, len(f.src)))
	// The library may point into the middle of a character (an unclosed
	// string that ends in one): count from the character's start.
	for off > 0 && off < len(f.src) && !utf8.RuneStart(f.src[off]) {
		off--
	}
	before := f.src[:off]
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return Pos{
		Line: bytes.Count(before, []byte("\n")) + 1 + f.offset,
		Col:  utf8.RuneCount(before[lineStart:]) + 1,
	}
}

// badValue finds which occurrence (0-based, in document order) of the dotted
// key holds a value that does not decode into its field of t, the type the
// whole document decodes into.
func badValue(src []byte, t reflect.Type, key string) (int, bool) {
	if key == "" || strings.ContainsAny(key, "\"'") {
		return 0, false
	}
	var top map[string]toml.Primitive
	md, err := toml.Decode(string(src), &top)
	if err != nil {
		return 0, false
	}
	n := 0
	var walk func(tbl map[string]toml.Primitive, t reflect.Type, rest []string) bool
	walk = func(tbl map[string]toml.Primitive, t reflect.Type, rest []string) bool {
		prim, ok := tbl[rest[0]]
		if !ok {
			return false
		}
		ft, ok := fieldType(t, rest[0])
		if !ok {
			return false
		}
		if len(rest) == 1 {
			if md.PrimitiveDecode(prim, reflect.New(ft).Interface()) != nil {
				return true
			}
			n++
			return false
		}
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Slice {
			var elems []map[string]toml.Primitive
			if md.PrimitiveDecode(prim, &elems) != nil {
				return false
			}
			for _, e := range elems {
				if walk(e, ft.Elem(), rest[1:]) {
					return true
				}
			}
			return false
		}
		var sub map[string]toml.Primitive
		if md.PrimitiveDecode(prim, &sub) != nil {
			return false
		}
		return walk(sub, ft, rest[1:])
	}
	if walk(top, t, strings.Split(key, ".")) {
		return n, true
	}
	return 0, false
}

// fieldType returns the type of the struct field the TOML key decodes into,
// looking into embedded structs as the decoder does.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	var embedded []reflect.Type
	for f := range t.Fields() {
		tag := strings.Split(f.Tag.Get("toml"), ",")[0]
		switch {
		case tag == "-" || !f.IsExported():
		case f.Anonymous && tag == "":
			embedded = append(embedded, f.Type)
		case tag == key || (tag == "" && strings.EqualFold(f.Name, key)):
			return f.Type, true
		}
	}
	for _, e := range embedded {
		if ft, ok := fieldType(e, key); ok {
			return ft, true
		}
	}
	return nil, false
}

func lastPart(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// keyPos finds the key on a line of the source, or the line's start.
func (f *fileDecoder) keyPos(line int, key string) Pos {
	if line < 1 { // the library named no line (found by FuzzNotice)
		return f.loc().Pos(key)
	}
	if p, ok := f.loc().KeyOnLine(line+f.offset, lastPart(key)); ok {
		return p
	}
	return Pos{Line: line + f.offset, Col: 1}
}

// plainMessage rewrites the TOML library's messages in plain words.
func plainMessage(m string) string {
	m = strings.TrimPrefix(m, "toml: ")
	if g := incompatible().FindStringSubmatch(m); g != nil {
		return fmt.Sprintf("want %s, not %s", typeWord(g[2]), typeWord(g[1]))
	}
	if g := tableMismatch().FindStringSubmatch(m); g != nil {
		return fmt.Sprintf("want a table, not %s", typeWord(g[1]))
	}
	if g := definedTwice().FindStringSubmatch(m); g != nil {
		return fmt.Sprintf("%q is defined twice (each key or table only once)", g[1])
	}
	if g := foundInstead().FindStringSubmatch(m); g != nil {
		if g[1] == `'\n'` || g[1] == `'\r'` || g[1] == `'#'` {
			return "the value is missing after ="
		}
		return fmt.Sprintf(`expected a value but found %s (text goes in quotes: "…")`, g[1])
	}
	if g := itemEnd().FindStringSubmatch(m); g != nil {
		return fmt.Sprintf(`unexpected %s after the value (one key = value per line; text goes in quotes: "…")`, g[1])
	}
	if g := badDatetime().FindStringSubmatch(m); g != nil {
		return fmt.Sprintf("%s is not a valid date (want a real day written like 2019-09-02)", g[1])
	}
	switch m {
	case "strings cannot contain newlines":
		return `the text in quotes is not closed on this line: add the closing " (text over several lines goes between """ and """)`
	case `unexpected EOF; expected '"'`:
		return `the text in quotes is not closed: add the closing "`
	case `unexpected EOF; expected '"""'`:
		return `the text in """ is not closed: add the closing """`
	}
	return m
}

// typeWord names a TOML or Go type, as the library prints it, in plain words.
func typeWord(t string) string {
	switch t {
	case "integer", "int64":
		return "a whole number"
	case "string", "primitive (string-like)":
		return "text in quotes"
	case "float", "float64":
		return "a decimal number"
	case "bool", "boolean":
		return "true or false"
	case "time.Time":
		return "a date or time"
	case "array", "slice", "[]any", "[]map[string]any":
		return "a list [ … ]"
	case "map", "table", "struct", "map[string]any":
		return "a table"
	}
	return t
}

// page splits a Markdown page into front matter and body.
func (f *fileDecoder) page() *board.Page {
	fm, body, ok := splitFrontMatter(string(f.src))
	if !ok {
		first, _, _ := strings.Cut(string(f.src), "\n")
		if strings.TrimRight(first, " \t\r") == "+++" {
			f.errorf(Pos{1, 1}, "the front matter opened by +++ on line 1 is not closed: add a +++ line after it")
		} else {
			f.errorf(Pos{1, 1}, "a page starts with TOML front matter between +++ lines (+++ / title = \"…\" / +++)")
		}
		return nil
	}
	f.src, f.offset = []byte(fm), 1
	p := &board.Page{}
	if !f.decode(p) {
		return nil
	}
	p.Body = body
	return p
}

func splitFrontMatter(src string) (fm, body string, ok bool) {
	first, rest, found := strings.Cut(src, "\n")
	if !found || strings.TrimRight(first, " \t\r") != "+++" {
		return "", "", false
	}
	end := 0
	for {
		line, after, more := strings.Cut(rest[end:], "\n")
		if strings.TrimRight(line, " \t\r") == "+++" {
			return rest[:end], after, true
		}
		if !more {
			return "", "", false
		}
		end += len(line) + 1
	}
}
