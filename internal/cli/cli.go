// Package cli is glassboard's command line: subcommands, flags, exit codes,
// the environment and the clock. Nothing imports it but cmd/glassboard.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/glassboard/glassboard/internal/board"
)

// Exit statuses of SPEC §2.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// app is one run of the command line with its environment.
type app struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	getenv func(string) string
}

// Main runs glassboard with args (without the program name) and returns the
// exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	a := &app{ctx: ctx, stdout: stdout, stderr: stderr, now: time.Now, getenv: os.Getenv}
	defer func() {
		// A bug must not greet a clerk with a stack trace.
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "glassboard: internal error (please report it with the command you ran): %v\n", v)
			code = exitUsage
		}
	}()
	return a.run(args)
}

const usage = `glassboard builds a public transparency board: a website, open data and
wall posters from plain TOML records of commitments, public notices and
star ratings.

Usage:
  glassboard build   [-s DIR] [-d DIR] [--now DATE] [--base-url URL]
  glassboard serve   [-s DIR] [--bind 127.0.0.1] [--port 1313] [--now DATE]
  glassboard check   [-s DIR] [--now DATE] [--format text|json]
  glassboard new site DIR [--sample N]
  glassboard new commitment|notice|rating|page ID [-s DIR]
  glassboard poster KIND/ID [-s DIR] [--paper A4|A3] [--pdf FILE] [--now DATE]
  glassboard version

Run "glassboard COMMAND --help" for the options of a command.
Exit status: 0 success, 1 content errors, 2 usage or environment error.
`

func (a *app) run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return a.build(rest)
	case "check":
		return a.check(rest)
	case "serve":
		return a.serve(rest)
	case "new":
		return a.newCmd(rest)
	case "poster":
		return a.poster(rest)
	case "version", "--version":
		fmt.Fprintln(a.stdout, "glassboard", version())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(a.stdout, usage)
		return exitOK
	}
	fmt.Fprintf(a.stderr, "glassboard: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// flags makes a flag set that prints its usage to stderr, or to stdout
// when --help was asked for.
func (a *app) flags(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: %s\n\n%s\n\nOptions:\n", synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; done is true when the command should stop with code.
func (a *app) parse(fs *flag.FlagSet, args []string) (code int, done bool) {
	for _, arg := range args {
		if arg == "-h" || arg == "-help" || arg == "--help" {
			fs.SetOutput(a.stdout)
			fs.Usage()
			return exitOK, true
		}
		if arg == "--" {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage, true
	}
	return 0, false
}

// sourceFlags adds -s/--source.
func sourceFlag(fs *flag.FlagSet) *string {
	s := fs.String("source", ".", "the board folder (`DIR`)")
	fs.StringVar(s, "s", ".", "shorthand for --source")
	return s
}

// dateFlag is a --now DATE flag.
type dateFlag struct{ d board.Date }

func (f *dateFlag) String() string { return f.d.String() }
func (f *dateFlag) Set(s string) error {
	d, err := board.ParseDate(s)
	if err != nil {
		return err
	}
	f.d = d
	return nil
}

func nowFlag(fs *flag.FlagSet) *dateFlag {
	f := &dateFlag{}
	fs.Var(f, "now", "treat `DATE` (YYYY-MM-DD) as today instead of the current date in the board's timezone")
	return f
}

// sourceDateEpoch reads SOURCE_DATE_EPOCH (reproducible-builds.org): when
// set, it fixes every generated timestamp. The zero time means unset.
func (a *app) sourceDateEpoch() (time.Time, error) {
	v := a.getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970", v)
	}
	return time.Unix(n, 0).UTC(), nil
}

func (a *app) errorf(format string, args ...any) int {
	fmt.Fprintf(a.stderr, "glassboard: "+format+"\n", args...)
	return exitUsage
}

func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		v = "devel " + rev[:min(12, len(rev))]
		if dirty {
			v += "+dirty"
		}
	}
	return v + " (" + bi.GoVersion + ")"
}

// describe says in words what a change does.
func describe(c board.Change) string {
	what := map[string]string{
		"published": "is published",
		"opens":     "opens for objections",
		"closes":    "closes (objection window over)",
		"redacted":  "is redacted (candidate details removed)",
		"overdue":   "becomes overdue",
		"no-news":   "is flagged as no news",
		"update":    "shows a scheduled update",
	}[c.What]
	return fmt.Sprintf("%s %s %s %q %s", c.Date, c.Kind, c.ID, c.Title, what)
}

// printSchedule prints the next of the changes (a snapshot's, sorted) and
// how many follow on the same day.
func (a *app) printSchedule(w io.Writer, changes []board.Change) {
	if len(changes) == 0 {
		fmt.Fprintln(w, "Next change: none scheduled; the site stays current until the content changes.")
		return
	}
	first := changes[0]
	fmt.Fprintf(w, "Next change: %s — rebuild on that day. First: %s", first.Date, describe(first))
	same := 0
	for _, c := range changes[1:] {
		if c.Date == first.Date {
			same++
		}
	}
	if same > 0 {
		fmt.Fprintf(w, " (and %d more that day)", same)
	}
	fmt.Fprintln(w)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func oneArg(fs *flag.FlagSet, what string) (string, error) {
	if fs.NArg() != 1 {
		return "", fmt.Errorf("want exactly one %s, got %q", what, strings.Join(fs.Args(), " "))
	}
	return fs.Arg(0), nil
}
