package build

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/board"
	"github.com/glassboard/glassboard/internal/sample"
)

const boardTOML = `title = "Test Board"
base_url = "https://board.example.org/sub/"
timezone = "Asia/Shanghai"
[organization]
name = "Org"
[[units]]
id = "xinfang"
name = "Xinfang"
[[units]]
id = "gangou"
name = "Gangou"
[objections]
phone = "0313-0000000"
`

// writeBoard writes files (slash paths → text) under dir.
func writeBoard(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func today(s string) board.Date {
	d, err := board.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func run(t *testing.T, src, dest string, now string) *Result {
	t.Helper()
	res, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today(now)})
	if err != nil {
		if res != nil {
			t.Logf("diagnostics:\n%v", res.Diags)
		}
		t.Fatalf("build: %v", err)
	}
	return res
}

// tree reads every file under dir into a map of slash paths, except the
// manifest of an output folder, which records inodes and times and so
// differs from build to build (the manifest tests look at it).
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == manifestName {
			return nil
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, a, b map[string]string) {
	t.Helper()
	for k, v := range a {
		if w, ok := b[k]; !ok {
			t.Errorf("%s missing in second tree", k)
		} else if v != w {
			t.Errorf("%s differs", k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			t.Errorf("%s only in second tree", k)
		}
	}
}

const privateNotice = `title = "Notice %[1]s"
issuer = "Org"
purpose = "membership"
published = %[2]s
opens = %[2]s
closes = %[3]s
body = "Body of %[1]s: REDACTME-BODY-%[1]s"
stage = "REDACTME-STAGE-%[1]s"
[posted]
date = %[2]s
where = "Gate"
[outcome]
date = %[4]s
objections = 0
summary = "REDACTME-SUMMARY-%[1]s"
[[candidates]]
name = "REDACTME-NAME-%[1]s"
unit = "xinfang"
born = 1996
education = "REDACTME-EDU-%[1]s"
note = "REDACTME-NOTE-%[1]s"
role = "REDACTME-ROLE-%[1]s"
[candidates.private]
id_number = "PRIVATE-ID-%[1]s"
phone = "PRIVATE-PHONE-%[1]s"
address = "PRIVATE-ADDRESS-%[1]s"
[[candidates]]
name = "Li Si %[1]s"
unit = "gangou"
[candidates.private]
email = "PRIVATE-EMAIL-%[1]s"
`

// TestPrivacy builds a board full of markers and searches every output file:
// nothing under private may appear, ever; nothing of a redacted notice's
// candidates may appear once it is redacted.
func TestPrivacy(t *testing.T) {
	src := t.TempDir()
	writeBoard(t, src, map[string]string{
		"board.toml":                    boardTOML,
		"content/notices/open.toml":     fmt.Sprintf(privateNotice, "open", "2019-11-11", "2019-11-19", "2019-11-25"),
		"content/notices/closed.toml":   fmt.Sprintf(privateNotice, "closed", "2019-10-21", "2019-10-25", "2019-10-28"),
		"content/notices/redacted.toml": fmt.Sprintf(privateNotice, "redacted", "2019-09-02", "2019-09-06", "2019-09-10"),
		"content/pages/about.md":        "+++\ntitle = \"About\"\n+++\nAbout.\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	run(t, src, dest, "2019-11-15")
	files := tree(t, dest)
	if len(files) < 10 {
		t.Fatalf("only %d files written", len(files))
	}
	redacted := regexp.MustCompile(`REDACTME-[A-Z]+-redacted|Li Si redacted`)
	seenOpen := false
	for name, text := range files {
		if strings.Contains(text, "PRIVATE-") {
			t.Errorf("%s contains a private value: %q", name, excerpt(text, "PRIVATE-"))
		}
		if m := redacted.FindString(text); m != "" {
			t.Errorf("%s contains a redacted candidate detail: %q", name, excerpt(text, m))
		}
		if strings.Contains(text, "REDACTME-NAME-open") {
			seenOpen = true
		}
	}
	if !seenOpen {
		t.Error("the open notice's candidate is not shown at all: the test proves nothing")
	}
	page := files["notices/redacted/index.html"]
	if page == "" || !strings.Contains(page, "Notice redacted") {
		t.Errorf("the redacted notice's page is missing or lost its title")
	}
}

func excerpt(text, m string) string {
	i := strings.Index(text, m)
	return text[max(0, i-60):min(len(text), i+len(m)+20)]
}

// TestHostileTextIsInert feeds scripts, event handlers, javascript: links
// and raw HTML through every text field.
func TestHostileTextIsInert(t *testing.T) {
	src := t.TempDir()
	hostile := `<script>alert('x')</script><img src=x onerror=alert(1)>`
	writeBoard(t, src, map[string]string{
		"board.toml": strings.Replace(boardTOML, `title = "Test Board"`, `title = "Board `+strings.ReplaceAll(hostile, `'`, "")+`"`, 1),
		"content/commitments/c.toml": `title = "` + strings.ReplaceAll(hostile, `'`, "") + `"
unit = "xinfang"
owner = "<b onmouseover=alert(1)>Owner</b>"
made = 2019-01-01
due = 2019-12-31
status = "in-progress"
body = """
Click [me](javascript:alert(1)) or [me too](JaVaScRiPt:alert(1)) or <javascript:alert(1)>.

<script>alert("raw")</script>

<div onclick="alert(1)">raw div</div>

[ref][r]

[r]: javascript:alert(1)
"""
[[updates]]
date = 2019-02-01
note = "<iframe src='javascript:alert(1)'></iframe> [x](vbscript:msgbox(1)) [y](data:text/html;base64,PHNjcmlwdD4=)"
evidence = ["https://example.org/ok"]
`,
		"content/pages/about.md": "+++\ntitle = \"<script>alert(1)</script>\"\n+++\n<script>alert(2)</script>\n\n[x](javascript:alert(3))\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	run(t, src, dest, "2019-11-15")
	bad := []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script>`),
		regexp.MustCompile(`(?i)<script[^>]*>[^<]*alert`),
		regexp.MustCompile(`(?i)(href|src)="\s*(javascript|vbscript|data:text)`),
		regexp.MustCompile(`(?i)<iframe`),
	}
	for name, text := range tree(t, dest) {
		if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".xml") {
			continue // JSON and CSV carry the text as data, not markup
		}
		// An event handler attribute in a real tag (quoted values removed:
		// escaped text inside an attribute value is inert).
		for _, tag := range htmlTag.FindAllString(text, -1) {
			if m := eventAttr.FindString(quoted.ReplaceAllString(tag, `""`)); m != "" {
				t.Errorf("%s: live event handler %q in %q", name, m, tag)
			}
		}
		for _, re := range bad {
			if m := re.FindString(text); m != "" {
				t.Errorf("%s: hostile text came out live: %q", name, excerpt(text, m))
			}
		}
	}
	page := tree(t, dest)["commitments/c/index.html"]
	if !strings.Contains(page, "&lt;script&gt;") {
		t.Error("the hostile title should be shown escaped, not dropped")
	}
}

var (
	htmlTag   = regexp.MustCompile(`(?i)<[a-z][^>]*>`)
	quoted    = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	eventAttr = regexp.MustCompile(`(?i)\son\w+\s*=`)
)

func TestReproducible(t *testing.T) {
	src := t.TempDir()
	if err := sample.Write(src, 300, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	run(t, src, a, "2026-06-15")
	run(t, src, b, "2026-06-15")
	sameTree(t, tree(t, a), tree(t, b))
}

func TestDeletedRecordDisappears(t *testing.T) {
	src := t.TempDir()
	if err := sample.Write(src, 30, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	run(t, src, dest, "2026-06-15")
	var victim string
	filepath.WalkDir(filepath.Join(src, "content", "commitments"), func(p string, d fs.DirEntry, err error) error {
		if victim == "" && strings.HasSuffix(p, ".toml") {
			victim = p
		}
		return nil
	})
	id := strings.TrimSuffix(filepath.Base(victim), ".toml")
	if _, err := os.Stat(filepath.Join(dest, "commitments", id, "index.html")); err != nil {
		t.Fatalf("page of %s not built: %v", id, err)
	}
	// Make sure no other record refers to it as parent.
	filepath.WalkDir(filepath.Join(src, "content"), func(p string, d fs.DirEntry, err error) error {
		if strings.HasSuffix(p, ".toml") {
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.ReplaceAll(b, []byte(`parent = "`+id+`"`), nil), 0o644)
		}
		return nil
	})
	if err := os.Remove(victim); err != nil {
		t.Fatal(err)
	}
	run(t, src, dest, "2026-06-15")
	if _, err := os.Stat(filepath.Join(dest, "commitments", id)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the deleted record's page is still there: %v", err)
	}
	for name, text := range tree(t, dest) {
		if strings.Contains(text, "commitments/"+id+"/index.html") {
			t.Errorf("%s still links to the deleted record", name)
		}
	}
}

// TestFailedBuildKeepsPreviousSite breaks the content, then a template, and
// checks that the output is untouched and no temporary folder is left.
func TestFailedBuildKeepsPreviousSite(t *testing.T) {
	src := t.TempDir()
	if err := sample.Write(src, 40, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	run(t, src, dest, "2026-06-15")
	before := tree(t, dest)

	t.Run("content error", func(t *testing.T) {
		writeBoard(t, src, map[string]string{"content/commitments/broken.toml": "title = \"x\"\nstatus = \"don\"\n"})
		defer os.Remove(filepath.Join(src, "content/commitments/broken.toml"))
		res, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2026-06-15")})
		if !errors.Is(err, ErrContent) || res.Diags.Errors() == 0 {
			t.Fatalf("want content errors, got %v", err)
		}
		sameTree(t, before, tree(t, dest))
	})
	t.Run("template error while rendering", func(t *testing.T) {
		writeBoard(t, src, map[string]string{"layouts/notices/single.html": `{{define "main"}}{{.Notice.NoSuchField}}{{end}}`})
		defer os.RemoveAll(filepath.Join(src, "layouts"))
		_, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2026-06-15")})
		if err == nil || !strings.Contains(err.Error(), "NoSuchField") {
			t.Fatalf("want a template error, got %v", err)
		}
		sameTree(t, before, tree(t, dest))
	})
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}
}

func TestBoardLayoutOverridesTheme(t *testing.T) {
	src := t.TempDir()
	writeBoard(t, src, map[string]string{
		"board.toml":                boardTOML,
		"content/pages/about.md":    "+++\ntitle = \"About\"\n+++\nHello.\n",
		"layouts/pages/single.html": `{{define "main"}}<p id="mine">OVERRIDDEN {{.Page.Title}}</p>{{end}}`,
		"static/files/minutes.txt":  "minutes",
		"static/assets/style.css":   "body{color:red}",
		"i18n/en.toml":              "status_done = \"Finished\"\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	run(t, src, dest, "2019-11-15")
	files := tree(t, dest)
	if !strings.Contains(files["about/index.html"], "OVERRIDDEN About") {
		t.Error("the board's layout did not win over the theme's")
	}
	if files["files/minutes.txt"] != "minutes" {
		t.Error("static file not copied verbatim")
	}
	found := false
	for name, text := range files {
		if strings.HasPrefix(name, "assets/style.") && strings.HasSuffix(name, ".css") {
			found = text == "body{color:red}"
		}
	}
	if !found {
		t.Error("the board's static/assets/style.css did not replace the theme's")
	}
	if !strings.Contains(files["index.html"], "Test Board") {
		t.Error("theme layouts still used for the rest")
	}
}

func TestRefusesForeignOutput(t *testing.T) {
	src := t.TempDir()
	writeBoard(t, src, map[string]string{"board.toml": boardTOML})
	foreign := t.TempDir()
	writeBoard(t, foreign, map[string]string{"thesis.docx": "precious"})
	tests := []struct {
		name, dest, want string
	}{
		{"non-empty folder not made by glassboard", foreign, "not made by glassboard"},
		{"the source itself", src, "contains the board's source"},
		{"a parent of the source", filepath.Dir(src), "contains the board's source"},
		{"inside content", filepath.Join(src, "content", "out"), "inside the board's content/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(Options{Source: src, Dest: tc.dest, Theme: glassboard.Theme, Today: today("2019-11-15")})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "thesis.docx")); string(b) != "precious" {
		t.Fatal("foreign file touched")
	}
}

// TestKilledBuildKeepsPreviousSite kills a build process at random moments
// with SIGKILL; the output must always be a complete, earlier site.
func TestKilledBuildKeepsPreviousSite(t *testing.T) {
	if testing.Short() {
		t.Skip("kills subprocesses; slow")
	}
	src := t.TempDir()
	if err := sample.Write(src, 1500, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	run(t, src, dest, "2026-06-15")
	before := tree(t, dest)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 6 {
		// Without its manifest the output cannot be taken over as it is:
		// the build to kill is a full one, as after a change.
		if err := os.Remove(filepath.Join(dest, manifestName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		cmd := helperCommand(src, dest)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(400)+20) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		after := tree(t, dest)
		if len(after) != len(before) {
			t.Fatalf("kill %d: %d files after, %d before", i, len(after), len(before))
		}
		sameTree(t, before, after)
	}
	// The next build cleans up what the killed ones left.
	run(t, src, dest, "2026-06-15")
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		t.Errorf("temporary folders left after a clean build: %d entries", len(entries))
	}
}

// TestHelperBuild is the build run as a subprocess by the kill test.
func TestHelperBuild(t *testing.T) {
	if os.Getenv("GLASSBOARD_HELPER_BUILD") != "1" {
		return
	}
	day := os.Getenv("GB_DAY")
	if day == "" {
		day = "2026-06-15"
	}
	if _, err := Run(Options{Source: os.Getenv("GB_SRC"), Dest: os.Getenv("GB_DEST"), Theme: glassboard.Theme, Today: today(day)}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// helperCommand runs TestHelperBuild in a new process.
func helperCommand(src, dest string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBuild$")
	cmd.Env = append(os.Environ(), "GLASSBOARD_HELPER_BUILD=1", "GB_SRC="+src, "GB_DEST="+dest)
	return cmd
}
