package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/build"
	"github.com/glassboard/glassboard/internal/poster"
)

// posterKinds maps what the user types to the poster folder.
var posterKinds = map[string]string{
	"commitments": "commitments", "commitment": "commitments",
	"notices": "notices", "notice": "notices",
	"ratings": "ratings", "rating": "ratings",
	"units": "units", "unit": "units",
}

func (a *app) poster(args []string) int {
	fs := a.flags("poster", "glassboard poster KIND/ID [-s DIR] [--paper A4|A3] [--pdf FILE] [--now DATE]",
		"Prints the one-sheet wall poster of a record (KIND: commitments, notices or ratings)\n"+
			"or of a unit's wall (units/UNIT) to a PDF, through a locally installed Chromium\n"+
			"(chromium, chromium-browser or google-chrome on PATH, or $GLASSBOARD_CHROME).")
	src := sourceFlag(fs)
	paper := fs.String("paper", "", "paper size `A4` or A3 (default: board.toml's [print] paper)")
	pdf := fs.String("pdf", "", "write the PDF to `FILE` (default: KIND-ID.pdf in the current folder)")
	now := nowFlag(fs)
	if code, done := a.parse(fs, interleave(fs, args)); done {
		return code
	}
	target, err := oneArg(fs, "KIND/ID")
	if err != nil {
		return a.errorf("poster: %v", err)
	}
	kindArg, id, ok := strings.Cut(target, "/")
	kind := posterKinds[kindArg]
	if !ok || kind == "" || !board.ValidID(id) {
		return a.errorf("poster: want KIND/ID with KIND commitments, notices, ratings or units, like notices/2019-q3-development; got %q", target)
	}
	if *paper != "" && *paper != "A4" && *paper != "A3" {
		return a.errorf("poster: unknown paper %q (want A4 or A3)", *paper)
	}
	chrome, err := poster.FindChrome(a.getenv)
	if err != nil {
		return a.errorf("poster: %v", err)
	}
	out := *pdf
	if out == "" {
		out = kind + "-" + id + ".pdf"
	}
	tmp, err := os.MkdirTemp("", "glassboard-poster-")
	if err != nil {
		return a.errorf("poster: %v", err)
	}
	defer os.RemoveAll(tmp)
	site := filepath.Join(tmp, "site")
	res, err := build.Run(build.Options{Source: *src, Dest: site, Theme: glassboard.Theme, Today: now.d, Now: a.now(), Paper: *paper})
	if res != nil {
		res.Diags.WriteText(a.stderr)
	}
	switch {
	case errors.Is(err, build.ErrContent):
		fmt.Fprintf(a.stderr, "glassboard: %s; no poster printed\n", plural(res.Diags.Errors(), "error", "errors"))
		return exitContent
	case err != nil:
		return a.errorf("poster: %v", err)
	}
	page := filepath.Join(site, "posters", kind, id, "index.html")
	if _, err := os.Stat(page); err != nil {
		return a.errorf("poster: there is no published %s with id %q (as of %s)", strings.TrimSuffix(kind, "s"), id, res.Snapshot.Today)
	}
	if err := poster.PrintPDF(a.ctx, chrome, page, out); err != nil {
		return a.errorf("poster: %v", err)
	}
	fmt.Fprintf(a.stdout, "Printed %s/%s to %s (%s, as of %s).\n", kind, id, out, res.Snapshot.Config.Print.Paper, res.Snapshot.Today)
	return exitOK
}
