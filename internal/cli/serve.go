package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/build"
	"github.com/glassboard/glassboard/internal/serve"
)

func (a *app) serve(args []string) int {
	fs := a.flags("serve", "glassboard serve [-s DIR] [--bind 127.0.0.1] [--port 1313] [--now DATE]",
		"Builds the board in memory and serves it for preview\n"+
			"(http://127.0.0.1:1313/ unless that port is busy). Every change to board.toml,\n"+
			"content/, layouts/, static/ or i18n/ rebuilds the site and reloads the open\n"+
			"pages; after an edit of records only the pages they appear on are made again.\n"+
			"While the content has errors, the last good site stays served and\n"+
			"every page lists the errors; so does the terminal. Stop with Ctrl+C.\n"+
			"The preview is for checking your edits: publish with glassboard build.")
	src := sourceFlag(fs)
	bind := fs.String("bind", serve.DefaultBind, "listen on `ADDRESS`; anything but loopback makes the preview visible to the network")
	port := fs.Int("port", serve.DefaultPort, "serve on `PORT`, or on the next free one of the 20 after it; 0: any free port")
	now := nowFlag(fs)
	if code, done := a.parse(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return a.errorf("serve takes no arguments, got %q", fs.Args())
	}
	if *port < 0 || *port > 65535 {
		return a.errorf("--port %d is out of range (want 1 to 65535, or 0 for any free port)", *port)
	}
	source, err := filepath.Abs(*src)
	if err != nil {
		return a.errorf("%v", err)
	}
	if fi, err := os.Stat(filepath.Join(source, "board.toml")); err != nil || !fi.Mode().IsRegular() {
		return a.errorf("no board.toml in %s: run serve in a board folder, or name one with -s (glassboard new site DIR makes one)", source)
	}
	epoch, err := a.sourceDateEpoch()
	if err != nil {
		return a.errorf("%v", err)
	}

	// The preview is built in memory, never into public/: what is published
	// stays what `glassboard build` last wrote. After an edit only the
	// changed records are read again and only the pages they reach are
	// rendered again.
	preview, err := build.NewPreview(build.Options{
		Generated: epoch,
		Source:    source,
		Theme:     glassboard.Theme,
		Today:     now.d,
	})
	if err != nil {
		return a.errorf("%v", err)
	}
	rebuild := func(changed []string) (serve.Build, error) {
		preview.SetNow(a.now()) // a preview left running past midnight shows the new day
		res, err := preview.Rebuild(changed)
		var b serve.Build
		if res != nil {
			b.Pages, b.Diags = res.Pages, res.Diags
		}
		if err != nil {
			if !errors.Is(err, build.ErrContent) {
				err = fmt.Errorf("the site could not be built: %w", err)
			}
			return b, err
		}
		b.Site, b.Rendered = res.Site, res.Rendered
		return b, nil
	}

	srv, err := serve.New(serve.Config{
		Source:  source,
		Bind:    *bind,
		Port:    *port,
		Rebuild: rebuild,
		Stdout:  a.stdout,
		Stderr:  a.stderr,
	})
	if err != nil {
		return a.errorf("%v", err)
	}
	if err := srv.Start(); err != nil {
		return a.errorf("%v", err)
	}
	if err := srv.Serve(a.ctx); err != nil {
		return a.errorf("%v", err)
	}
	return exitOK
}
