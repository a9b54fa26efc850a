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
		"Builds the board into a private temporary folder and serves it for preview\n"+
			"(http://127.0.0.1:1313/ unless that port is busy). Every change to board.toml,\n"+
			"content/, layouts/, static/ or i18n/ rebuilds the site and reloads the open\n"+
			"pages. While the content has errors, the last good site stays served and\n"+
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

	// The preview is built into a private folder, never into public/: what
	// is published stays what `glassboard build` last wrote.
	tmp, err := os.MkdirTemp("", "glassboard-serve-")
	if err != nil {
		return a.errorf("creating a folder for the preview: %v", err)
	}
	defer removePreview(tmp)
	opts := build.Options{
		Generated: epoch,
		Source:    source,
		Dest:      filepath.Join(tmp, "site"),
		Theme:     glassboard.Theme,
		Today:     now.d,
	}
	rebuild := func(changed []string) (serve.Build, error) {
		o := opts
		o.Now = a.now() // a preview left running past midnight shows the new day
		// A full build. An incremental one replaces this line and uses changed.
		res, err := build.Run(o)
		var b serve.Build
		if res != nil {
			b.Pages, b.Diags = res.Pages, res.Diags
		}
		if err != nil && !errors.Is(err, build.ErrContent) {
			err = fmt.Errorf("the site could not be built: %w", err)
		}
		return b, err
	}

	srv, err := serve.New(serve.Config{
		Source:  source,
		Site:    opts.Dest,
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

// removePreview removes the preview's folder. A rebuild left running by
// Ctrl+C may still be writing into it: the folder is moved away and a file
// put in its place, so that those writes fail at once instead of
// recreating the folder while it is being removed.
func removePreview(dir string) {
	gone := dir + "-stopped"
	if err := os.Rename(dir, gone); err != nil {
		os.RemoveAll(dir)
		return
	}
	block, err := os.OpenFile(dir, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	os.RemoveAll(gone)
	if err == nil {
		block.Close()
		os.Remove(dir)
	}
}
