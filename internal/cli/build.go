package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/build"
	"github.com/glassboard/glassboard/internal/load"
)

func (a *app) build(args []string) int {
	fs := a.flags("build", "glassboard build [-s DIR] [-d DIR] [--now DATE] [--base-url URL]",
		"Checks the board and writes the website into the output folder, replacing\nthe previous build in one step. Refuses to build content with errors.")
	src := sourceFlag(fs)
	dest := fs.String("dest", "", "the output `DIR` (default: public inside the board folder)")
	fs.StringVar(dest, "d", "", "shorthand for --dest")
	now := nowFlag(fs)
	baseURL := fs.String("base-url", "", "publish at `URL` instead of board.toml's base_url")
	if code, done := a.parse(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return a.errorf("build takes no arguments, got %q", fs.Args())
	}
	epoch, err := a.sourceDateEpoch()
	if err != nil {
		return a.errorf("%v", err)
	}
	start := time.Now()
	res, err := build.Run(build.Options{
		Generated: epoch,
		Source:    *src,
		Dest:      *dest,
		Theme:     glassboard.Theme,
		Today:     now.d,
		Now:       a.now(),
		BaseURL:   *baseURL,
		// A soft memory limit from the board's size, unless the user
		// chose one.
		LimitMemory: os.Getenv("GOMEMLIMIT") == "",
	})
	if res != nil {
		res.Diags.WriteText(a.stderr)
	}
	switch {
	case errors.Is(err, build.ErrContent):
		fmt.Fprintf(a.stderr, "glassboard: %s; nothing was built and the previous site is unchanged\n", plural(res.Diags.Errors(), "error", "errors"))
		return exitContent
	case err != nil:
		return a.errorf("%v", err)
	}
	rel := res.Dest
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, res.Dest); err == nil {
			rel = r
		}
	}
	pages, files, took := plural(res.Pages, "page", "pages"), plural(res.Files, "file", "files"), time.Since(start).Round(time.Millisecond)
	switch {
	case res.Unchanged:
		fmt.Fprintf(a.stdout, "Nothing changed since the last build: %s (%s) in %s are up to date as of %s in %s.\n",
			pages, files, rel, res.Snapshot.Today, took)
	case res.Refreshed > 0:
		fmt.Fprintf(a.stdout, "Only the time of generation changed since the last build: rewrote the %s that carry it; %s (%s) in %s are up to date as of %s in %s.\n",
			plural(res.Refreshed, "data file", "data files"), pages, files, rel, res.Snapshot.Today, took)
	default:
		fmt.Fprintf(a.stdout, "Built %s (%s) into %s as of %s in %s.\n", pages, files, rel, res.Snapshot.Today, took)
	}
	a.printSchedule(a.stdout, res.Snapshot.Changes)
	return exitOK
}

func (a *app) check(args []string) int {
	fs := a.flags("check", "glassboard check [-s DIR] [--now DATE] [--format text|json]",
		"Checks every record of the board and reports all problems at once as\nPATH:LINE:COL: message, then the next date on which a derived state changes.")
	src := sourceFlag(fs)
	now := nowFlag(fs)
	format := fs.String("format", "text", "output `FORMAT`: text or json")
	if code, done := a.parse(fs, args); done {
		return code
	}
	if *format != "text" && *format != "json" {
		return a.errorf("unknown format %q (want text or json)", *format)
	}
	if fs.NArg() > 0 {
		return a.errorf("check takes no arguments, got %q", fs.Args())
	}
	// The day's changes are derived while the rules are checked (text
	// only: JSON has no schedule).
	var d *derived
	var alongside func(*board.Board)
	if *format == "text" {
		d = &derived{today: now.d, now: a.now}
		alongside = func(b *board.Board) {
			// The board may have errors, and then the snapshot is not
			// used: a panic is left for the check below, which derives
			// again only when the board has none.
			defer func() { recover() }()
			d.derive(b)
		}
	}
	b, ds, err := load.LoadAlongside(os.DirFS(*src), alongside)
	if err != nil {
		return a.errorf("%s: %v", *src, err)
	}
	if *format == "json" {
		ds.WriteJSON(a.stdout)
	} else {
		ds.WriteText(a.stdout)
	}
	if ds.Errors() > 0 {
		if *format == "text" {
			fmt.Fprintf(a.stderr, "glassboard: %s, %s\n", plural(ds.Errors(), "error", "errors"), plural(len(ds)-ds.Errors(), "warning", "warnings"))
		}
		return exitContent
	}
	if *format == "text" {
		if !d.done {
			d.derive(b) // not called, or it panicked: here again, as before
		}
		if d.err != nil {
			return a.errorf("%v", d.err)
		}
		fmt.Fprintf(a.stdout, "OK: %s, %s, %s and %s; %s; as of %s.\n",
			plural(len(b.Commitments), "commitment", "commitments"), plural(len(b.Notices), "notice", "notices"),
			plural(len(b.Ratings), "rating board", "rating boards"), plural(len(b.Pages), "page", "pages"),
			plural(len(ds), "warning", "warnings"), d.today)
		a.printSchedule(a.stdout, d.changes)
	}
	return exitOK
}

// derived is what check says of the day: today (from --now, or the clock
// in the board's timezone) and the changes to come of the states derived
// on that day.
type derived struct {
	today   board.Date
	now     func() time.Time
	changes []board.Change
	err     error
	done    bool // derive returned
}

// derive works out today and the changes to come.
func (d *derived) derive(b *board.Board) {
	if d.today.IsZero() {
		loc, err := time.LoadLocation(b.Config.Timezone)
		if err != nil {
			d.err, d.done = err, true
			return
		}
		d.today = board.DateOf(d.now().In(loc))
	}
	d.changes = b.Changes(d.today)
	d.done = true
}
