package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchedNames are the board's sources, at its top level.
var watchedNames = []string{"board.toml", "content", "layouts", "static", "i18n"}

// watchedDirs are the folders among them, watched recursively.
var watchedDirs = watchedNames[1:]

// watcher watches a board's sources. fsnotify watches single folders, so
// every folder is added, and a folder created or moved in later is walked
// and added, its files counted as changed.
type watcher struct {
	root      string
	fsw       *fsnotify.Watcher
	closeOnce sync.Once
}

func newWatcher(root string) (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, watchError(root, err)
	}
	w := &watcher{root: root, fsw: fsw}
	// The board folder itself, for board.toml (editors replace it by
	// renaming) and for source folders created after the start.
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, watchError(root, err)
	}
	for _, d := range watchedDirs {
		if err := w.addTree(filepath.Join(root, d), nil); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

func (w *watcher) close() {
	w.closeOnce.Do(func() { w.fsw.Close() })
}

// addTree watches dir and every folder below it, skipping hidden ones. When
// found is not nil it is told of every file already inside (relative,
// slash-separated): they are new to the site. Only a watch limit is an
// error; a folder that vanished meanwhile is not.
func (w *watcher) addTree(dir string, found func(rel string)) error {
	// A trailing separator makes the walk follow dir itself when it is a
	// symbolic link to a folder, as the build's reading does.
	return filepath.WalkDir(dir+string(filepath.Separator), func(p string, d fs.DirEntry, err error) error {
		p = filepath.Clean(p)
		if err != nil {
			if d != nil && d.IsDir() && p != dir {
				return fs.SkipDir
			}
			return nil
		}
		if p != dir && ignoredName(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if found != nil {
				if rel, ok := w.relevant(p); ok {
					found(rel)
				}
			}
			return nil
		}
		if err := w.fsw.Add(p); err != nil {
			if isLimit(err) {
				return watchError(p, err)
			}
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return nil // unreadable: the build will say so
		}
		return nil
	})
}

// rewatch adds every source folder again, after events were lost.
func (w *watcher) rewatch() error {
	var first error
	for _, d := range watchedDirs {
		if err := w.addTree(filepath.Join(w.root, d), nil); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// relevant turns an event's path into a source path relative to the board,
// or reports that the site does not depend on it.
func (w *watcher) relevant(name string) (string, bool) {
	rel, err := filepath.Rel(w.root, name)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == "board.toml" {
		return rel, true
	}
	top, rest, _ := strings.Cut(rel, "/")
	if !slices.Contains(watchedDirs, top) {
		return "", false
	}
	if rest != "" {
		for _, seg := range strings.Split(rest, "/") {
			if ignoredName(seg) {
				return "", false
			}
		}
	}
	return rel, true
}

// note records what an event changed through add, watching new folders;
// it reports whether anything relevant changed.
func (w *watcher) note(ev fsnotify.Event, add func(rel string)) (bool, error) {
	if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Rename) {
		return false, nil // Chmod alone: indexers, backups, touch
	}
	rel, ok := w.relevant(ev.Name)
	if !ok {
		return false, nil
	}
	add(rel)
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			return true, w.addTree(ev.Name, add)
		}
	}
	return true, nil
}

// ignoredName reports whether a file or folder name is hidden or one of
// the temporary files editors make while saving: backups (x~), vim's swap
// files and write test (.x.swp, .x.swx, 4913), Emacs's auto-saves and locks
// (#x#, .#x), GNOME's .goutputstream-*, JetBrains' safe-write files.
func ignoredName(name string) bool {
	switch {
	case name == "4913",
		strings.HasPrefix(name, "."),
		strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

// isLimit reports whether err is the system refusing more watches.
func isLimit(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "too many open files") || strings.Contains(msg, "no space left on device")
}

const inotifyHelp = `This is the system's limit on watched folders, not a full disk: Linux lets
each user watch only so many folders (fs.inotify.max_user_watches) from so
many programs (fs.inotify.max_user_instances), and editors and other
previews use them too. Raise the limits, for example with
  sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512
(put the same settings in /etc/sysctl.d/ to keep them after a restart),
or close other programs that watch many files.`

func watchError(path string, err error) error {
	if isLimit(err) {
		return fmt.Errorf("cannot watch %s: %w\n%s", path, err, inotifyHelp)
	}
	return fmt.Errorf("cannot watch %s: %w", path, err)
}

// loop collects changes into batches and rebuilds after each batch: when
// no change has come for cfg.Debounce, or at the latest maxBatchDelay
// after its first change. Rebuilds run here, one at a time; changes made
// meanwhile wait in the watcher's queue for the next batch.
func (s *Server) loop(ctx context.Context) {
	w := s.watch
	pending := map[string]bool{}
	full := false // events were lost: rebuild everything
	add := func(rel string) { pending[rel] = true }

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed := false
	var first time.Time
	arm := func() {
		now := time.Now()
		if !armed {
			armed, first = true, now
		}
		timer.Reset(max(0, min(s.cfg.Debounce, maxBatchDelay-now.Sub(first))))
	}

	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			changed, err := w.note(ev, add)
			if err != nil {
				fmt.Fprintf(s.cfg.Stderr, "glassboard: %v\n", err)
			}
			if changed {
				arm()
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				fmt.Fprintln(s.cfg.Stderr, "glassboard: too many changes at once to follow one by one; rebuilding everything")
				full = true
				if err := w.rewatch(); err != nil {
					fmt.Fprintf(s.cfg.Stderr, "glassboard: %v\n", err)
				}
				arm()
				continue
			}
			fmt.Fprintf(s.cfg.Stderr, "glassboard: %v\n", watchError(s.cfg.Source, err))
		case <-timer.C:
			armed = false
			var changed []string
			if !full {
				changed = make([]string, 0, len(pending))
				for p := range pending {
					changed = append(changed, p)
				}
				sort.Strings(changed)
			}
			pending, full = map[string]bool{}, false
			s.rebuild(changed, false)
		}
	}
}
