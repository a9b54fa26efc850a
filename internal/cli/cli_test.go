package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/load"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), stdout: &out, stderr: &errb,
		now: func() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) }, getenv: func(string) string { return "" }}
	code = a.run(args)
	return code, out.String(), errb.String()
}

func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"build", "--help"}, {"check", "-h"}, {"new", "--help"},
		{"new", "site", "--help"}, {"new", "commitment", "--help"}, {"new", "notice", "-help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, _ := runCLI(t, args...)
			if code != 0 || !strings.Contains(out, "glassboard") {
				t.Errorf("exit %d, stdout %q", code, out)
			}
		})
	}
}

func TestExitStatus(t *testing.T) {
	good := t.TempDir()
	if code, _, stderr := runCLI(t, "new", "site", good, "--sample", "20", "--now", "2026-06-15"); code != 0 {
		t.Fatalf("new site: %d %s", code, stderr)
	}
	bad := t.TempDir()
	if code, _, _ := runCLI(t, "new", "site", bad); code != 0 {
		t.Fatal("new site failed")
	}
	os.WriteFile(filepath.Join(bad, "content", "commitments", "x.toml"), []byte("title = \"x\"\nstatus = \"don\"\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want int
		out  string // in stdout or stderr
	}{
		{"no command", nil, 2, "Usage"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"build", "--frob"}, 2, "flag provided but not defined"},
		{"bad --now", []string{"check", "-s", good, "--now", "2019-13-01"}, 2, "invalid date"},
		{"not a board", []string{"check", "-s", t.TempDir()}, 2, "no board.toml"},
		{"check ok", []string{"check", "-s", good, "--now", "2026-06-15"}, 0, "Next change:"},
		{"check errors", []string{"check", "-s", bad}, 1, `content/commitments/x.toml:2:10: unknown status "don"`},
		{"build refuses errors", []string{"build", "-s", bad}, 1, "nothing was built"},
		{"build ok", []string{"build", "--source", good, "--now", "2026-06-15"}, 0, "Built "},
		{"new record", []string{"new", "notice", "n-new", "-s", good}, 0, "Created"},
		{"new record twice", []string{"new", "notice", "n-new", "-s", good}, 2, "already"},
		{"new bad id", []string{"new", "page", "Bad Id", "-s", good}, 2, "invalid id"},
		{"version", []string{"version"}, 0, "glassboard"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tc.args...)
			if code != tc.want || !strings.Contains(out+errs, tc.out) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant text %q", code, tc.want, out, errs, tc.out)
			}
		})
	}
	// The new notice skeleton is valid as written.
	if code, out, errs := runCLI(t, "check", "-s", good, "--now", "2026-06-15"); code != 0 {
		t.Errorf("skeleton notice does not check: %s %s", out, errs)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, "new", "site", dir)
	os.WriteFile(filepath.Join(dir, "content", "commitments", "x.toml"), []byte("title = \"x\"\nunit = \"main\"\nTitel = 1\n"), 0o644)
	code, out, _ := runCLI(t, "check", "-s", dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var got []struct {
		File, Severity, Message string
		Line, Col               int
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got) == 0 || got[0].File != "content/commitments/x.toml" || got[0].Severity != "error" || got[0].Line == 0 {
		t.Errorf("got %+v", got)
	}
	found := false
	for _, d := range got {
		if d.Line == 3 && d.Col == 1 && strings.Contains(d.Message, `unknown key "Titel"`) && strings.Contains(d.Message, "did you mean title") {
			found = true
		}
	}
	if !found {
		t.Errorf("no did-you-mean diagnostic at 3:1 in %+v", got)
	}
}

func TestNewSiteBuilds(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCLI(t, "new", "site", dir); code != 0 {
		t.Fatal(errs)
	}
	for _, kind := range []string{"commitment", "notice", "rating", "page"} {
		if code, _, errs := runCLI(t, "new", kind, "first-"+kind, "-s", dir); code != 0 {
			t.Fatalf("new %s: %s", kind, errs)
		}
	}
	code, out, errs := runCLI(t, "build", "-s", dir)
	if code != 0 {
		t.Fatalf("build of a fresh site: %s %s", out, errs)
	}
	for _, p := range []string{"index.html", "commitments/first-commitment/index.html", "notices/first-notice/index.html", "ratings/first-rating/index.html", "first-page/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, "public", p)); err != nil {
			t.Error(err)
		}
	}
}

// TestTodayInBoardTimezone: 20:00 UTC on 14 June is already 15 June in
// Shanghai, and the board's timezone decides.
func TestTodayInBoardTimezone(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, "new", "site", dir) // timezone = "Asia/Shanghai"
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), stdout: &out, stderr: &errb,
		now: func() time.Time { return time.Date(2026, 6, 14, 20, 0, 0, 0, time.UTC) }, getenv: func(string) string { return "" }}
	if code := a.run([]string{"check", "-s", dir}); code != 0 {
		t.Fatalf("check: %s", errb.String())
	}
	if !strings.Contains(out.String(), "as of 2026-06-15") {
		t.Errorf("today should be 2026-06-15 in Asia/Shanghai: %s", out.String())
	}
}

// TestSourceDateEpoch: SOURCE_DATE_EPOCH fixes the generated timestamp of
// the data files, so two builds on different days give the same bytes.
func TestSourceDateEpoch(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, "new", "site", dir)
	build := func(clock time.Time) []byte {
		var out, errb bytes.Buffer
		a := &app{ctx: context.Background(), stdout: &out, stderr: &errb,
			now: func() time.Time { return clock },
			getenv: func(k string) string {
				if k == "SOURCE_DATE_EPOCH" {
					return "1573776000" // 2019-11-15T00:00:00Z
				}
				return ""
			}}
		if code := a.run([]string{"build", "-s", dir, "--now", "2019-11-15"}); code != 0 {
			t.Fatalf("build: %s", errb.String())
		}
		b, err := os.ReadFile(filepath.Join(dir, "public", "data", "schedule.json"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := build(time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC))
	second := build(time.Date(2026, 7, 1, 18, 30, 0, 0, time.UTC))
	if !bytes.Equal(first, second) || !bytes.Contains(first, []byte(`"generated":"2019-11-15T00:00:00Z"`)) {
		t.Errorf("generated not fixed by SOURCE_DATE_EPOCH:\n%s\n%s", first, second)
	}
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), stdout: &out, stderr: &errb, now: time.Now,
		getenv: func(string) string { return "yesterday" }}
	if code := a.run([]string{"build", "-s", dir}); code != 2 || !strings.Contains(errb.String(), "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH: exit %d, %s", code, errb.String())
	}
}

// TestBuildSaysWhatItDid: a build into an empty folder says it built, the
// same build again that nothing changed; without --now, a build later the
// same day rewrites only the data files that carry the time.
func TestBuildSaysWhatItDid(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "new", "site", dir, "--sample", "20", "--now", "2026-06-15"); code != 0 {
		t.Fatalf("new site: %s", stderr)
	}
	build := func(clock time.Time, args ...string) string {
		var out, errb bytes.Buffer
		a := &app{ctx: context.Background(), stdout: &out, stderr: &errb,
			now: func() time.Time { return clock }, getenv: func(string) string { return "" }}
		if code := a.run(append([]string{"build", "-s", dir}, args...)); code != 0 {
			t.Fatalf("build: %s", errb.String())
		}
		line, _, _ := strings.Cut(out.String(), "\n")
		return line
	}
	noon := time.Date(2026, 6, 15, 4, 0, 0, 0, time.UTC) // noon in Asia/Shanghai
	for _, step := range []struct {
		name  string
		clock time.Time
		args  []string
		want  string
	}{
		{"first", noon, []string{"--now", "2026-06-15"}, "Built "},
		{"again", noon, []string{"--now", "2026-06-15"}, "Nothing changed since the last build: "},
		{"not pinned", noon, nil, "Built "},
		{"not pinned, a minute later", noon.Add(time.Minute), nil, "Only the time of generation changed since the last build: rewrote the "},
		{"not pinned, the same second", noon.Add(time.Minute + time.Millisecond), nil, "Nothing changed since the last build: "},
	} {
		got := build(step.clock, step.args...)
		if !strings.HasPrefix(got, step.want) || !strings.Contains(got, " as of 2026-06-15 in ") {
			t.Errorf("%s: %q, want %q…", step.name, got, step.want)
		}
	}
}

// TestCheckDerivesTheDay: check derives the day's states beside the rules;
// what it prints must be what loading first and deriving afterwards gives,
// with --now or without (the clock in the board's timezone), on a board
// with changes ahead, one with none, and one with errors.
func TestCheckDerivesTheDay(t *testing.T) {
	good := t.TempDir()
	if code, _, errs := runCLI(t, "new", "site", good, "--sample", "60", "--now", "2026-06-15"); code != 0 {
		t.Fatal(errs)
	}
	bad := t.TempDir()
	runCLI(t, "new", "site", bad, "--sample", "10", "--now", "2026-06-15")
	os.WriteFile(filepath.Join(bad, "content", "commitments", "x.toml"), []byte("title = \"x\"\nstatus = \"don\"\n"), 0o644)
	tests := []struct {
		name string
		dir  string
		now  string // "" for the clock: 2026-06-15 12:00 UTC
		want int
	}{
		{"now given", good, "2026-06-15", 0},
		{"clock", good, "", 0},
		{"before everything", good, "2000-01-01", 0},
		{"nothing ahead", good, "2099-12-31", 0},
		{"errors", bad, "2026-06-15", 1},
		{"errors, clock", bad, "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"check", "-s", tc.dir}
			if tc.now != "" {
				args = append(args, "--now", tc.now)
			}
			code, out, _ := runCLI(t, args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d: %s", code, tc.want, out)
			}
			if code != 0 {
				if strings.Contains(out, "Next change") || strings.Contains(out, "OK:") {
					t.Errorf("a board with errors has no schedule: %s", out)
				}
				return
			}
			b, ds, err := load.Load(os.DirFS(tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			today := board.DateOf(time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
			if tc.now != "" {
				if today, err = board.ParseDate(tc.now); err != nil {
					t.Fatal(err)
				}
			}
			var want bytes.Buffer
			ds.WriteText(&want)
			a := &app{}
			fmt.Fprintf(&want, "OK: %s, %s, %s and %s; %s; as of %s.\n",
				plural(len(b.Commitments), "commitment", "commitments"), plural(len(b.Notices), "notice", "notices"),
				plural(len(b.Ratings), "rating board", "rating boards"), plural(len(b.Pages), "page", "pages"),
				plural(len(ds), "warning", "warnings"), today)
			a.printSchedule(&want, b.At(today).Changes)
			if out != want.String() {
				t.Errorf("got\n%s\nwant\n%s", out, want.String())
			}
		})
	}
}
