package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/sample"
)

// mountTmpfs mounts a tmpfs of the given size (bytes) on a new folder and
// unmounts it when the test ends. It needs root: without it the test is
// skipped, except in CI (CI runs as root), where it fails.
func mountTmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	err := unix.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0755", size))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mounting a tmpfs (CI runs as root): %v", err)
		}
		t.Skipf("mounting a tmpfs needs root: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// usedBytes is how much of the file system holding dir is in use.
func usedBytes(t *testing.T, dir string) int64 {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Blocks-st.Bfree) * st.Bsize
}

// sampleBoard writes a sample board of n records into a new folder.
func sampleBoard(t *testing.T, n int) string {
	t.Helper()
	src := t.TempDir()
	if err := sample.Write(src, n, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	return src
}

// retitle changes the board's title, so that every page changes.
func retitle(t *testing.T, src, title string) {
	t.Helper()
	p := filepath.Join(src, "board.toml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(data), "\n", -1)
	for i, l := range lines {
		if strings.HasPrefix(l, "title = ") {
			lines[i] = fmt.Sprintf("title = %q", title)
			break
		}
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func onlyDest(t *testing.T, dest string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(dest) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the output: %v, want only %s", names, filepath.Base(dest))
	}
}

// TestFullDiskKeepsPreviousSite builds onto a tmpfs with room for one site
// but not for two: the next build, which changes every page, runs out of
// space. It must fail with a clear error, leave the previous site exactly
// as it was and leave no temporary folder behind.
func TestFullDiskKeepsPreviousSite(t *testing.T) {
	src := sampleBoard(t, 150)
	// How much room one site takes.
	big := mountTmpfs(t, 256<<20)
	empty := usedBytes(t, big)
	run(t, src, filepath.Join(big, "public"), "2026-06-15")
	need := usedBytes(t, big) - empty

	disk := mountTmpfs(t, need+need/2)
	dest := filepath.Join(disk, "public")
	run(t, src, dest, "2026-06-15")
	before := tree(t, dest)

	retitle(t, src, "A new title on every page")
	_, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2026-06-15")})
	if err == nil {
		t.Fatalf("a build needing %d more bytes succeeded on a %d-byte disk", need, need+need/2)
	}
	for _, want := range []string{"no space left on device", "the disk is full", "the previous site in " + dest + " is unchanged"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	sameTree(t, before, tree(t, dest))
	onlyDest(t, dest)

	// Once there is room again, the same build goes through.
	if err := unix.Mount("", disk, "", unix.MS_REMOUNT, fmt.Sprintf("size=%d", 3*need)); err != nil {
		t.Fatalf("remount larger: %v", err)
	}
	run(t, src, dest, "2026-06-15")
	if !strings.Contains(tree(t, dest)["index.html"], "A new title on every page") {
		t.Error("the build after freeing space did not publish the change")
	}
	onlyDest(t, dest)
}

// TestReadOnlyDestKeepsPreviousSite builds onto a tmpfs, remounts it
// read-only (root ignores permission bits, not a read-only mount) and
// builds again: a clear error, the site unchanged.
func TestReadOnlyDestKeepsPreviousSite(t *testing.T) {
	src := sampleBoard(t, 20)
	disk := mountTmpfs(t, 64<<20)
	dest := filepath.Join(disk, "public")
	run(t, src, dest, "2026-06-15")
	before := tree(t, dest)
	if err := unix.Mount("", disk, "", unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	retitle(t, src, "Changed")
	_, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2026-06-15")})
	if err == nil {
		t.Fatal("a build onto a read-only file system succeeded")
	}
	for _, want := range []string{"read-only file system", "is unchanged"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	sameTree(t, before, tree(t, dest))
	onlyDest(t, dest)
}

// TestRefusesDangerousDestinations: the root folder, the home folder and
// any folder holding it, the board and its folders are never replaced,
// and nothing is written into them.
func TestRefusesDangerousDestinations(t *testing.T) {
	src := t.TempDir()
	writeBoard(t, src, map[string]string{"board.toml": boardTOML})
	home := filepath.Join(t.TempDir(), "home", "clerk")
	writeBoard(t, home, map[string]string{"notes.txt": "mine"})
	t.Setenv("HOME", home)
	for _, tc := range []struct{ name, dest, want string }{
		{"root", "/", "it is the root of the file system"},
		{"home", home, "refusing to build into your home folder"},
		{"home with a trailing slash", home + "/", "refusing to build into your home folder"},
		{"a folder holding home", filepath.Dir(home), "it contains your home folder"},
		{"the source", src, "contains the board's source"},
		{"the source, relative", src + "/content/..", "contains the board's source"},
		{"content", filepath.Join(src, "content"), "inside the board's content/"},
		{"layouts", filepath.Join(src, "layouts"), "inside the board's layouts/"},
		{"static", filepath.Join(src, "static", "x"), "inside the board's static/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(Options{Source: src, Dest: tc.dest, Theme: glassboard.Theme, Today: today("2019-11-15")})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(home, "notes.txt")); string(b) != "mine" {
		t.Error("the home folder was touched")
	}
	if entries, _ := os.ReadDir(src); len(entries) != 1 {
		t.Errorf("something was written into the board: %v", entries)
	}
}

// TestConcurrentBuildsTakeTurns starts builds of different days into one
// folder at the same moment, in this process and in other processes: the
// lock makes them take turns, so the result is exactly the site of one of
// them, with nothing else beside it.
func TestConcurrentBuildsTakeTurns(t *testing.T) {
	src := sampleBoard(t, 40)
	days := []string{"2026-06-15", "2026-07-01", "2026-09-01"}
	want := map[string]map[string]string{}
	for _, d := range days {
		dest := filepath.Join(t.TempDir(), "public")
		run(t, src, dest, d)
		want[d] = tree(t, dest)
	}
	dest := filepath.Join(t.TempDir(), "public")
	for round := range 1 {
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(days))
		for _, d := range days {
			wg.Go(func() {
				_, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today(d)})
				errs <- err
			})
			wg.Go(func() { // and the same in a process of its own
				errs <- helperBuild(src, dest, d)
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		got := tree(t, dest)
		match := ""
		for d, w := range want {
			if len(got) == len(w) && equalTrees(got, w) {
				match = d
			}
		}
		if match == "" {
			t.Fatalf("round %d: the output is not the site of any one of the builds (%d files)", round, len(got))
		}
		onlyDest(t, dest)
	}
}

func equalTrees(a, b map[string]string) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

// helperBuild builds in a subprocess (TestHelperBuild).
func helperBuild(src, dest, day string) error {
	cmd := helperCommand(src, dest)
	cmd.Env = append(cmd.Env, "GB_DAY="+day)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("helper build: %v: %s", err, out)
	}
	return nil
}

// TestBuildWaitsForTheLock: while another build holds the output folder's
// lock (here: the test, in another open file description, as another
// process would), a build waits, and goes on when the lock is released.
func TestBuildWaitsForTheLock(t *testing.T) {
	src := t.TempDir()
	writeBoard(t, src, map[string]string{"board.toml": boardTOML})
	dest := filepath.Join(t.TempDir(), "public")
	unlock, err := lockDest(dest)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Run(Options{Source: src, Dest: dest, Theme: glassboard.Theme, Today: today("2019-11-15")})
		done <- err
	}()
	select {
	case err := <-done:
		unlock()
		t.Fatalf("the build did not wait for the lock: %v", err)
	case <-time.After(500 * time.Millisecond):
	}
	if _, err := os.Stat(dest); err == nil {
		t.Error("the waiting build wrote the output")
	}
	unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the build did not go on after the lock was released")
	}
	onlyDest(t, dest)
}

// TestDirectionControlsAreShown: a right-to-left override in a name is a
// warning, the build goes on, and every page shows the character as
// [U+202E] instead of letting it reverse the text after it.
func TestDirectionControlsAreShown(t *testing.T) {
	src := t.TempDir()
	writeBoard(t, src, map[string]string{
		"board.toml": boardTOML,
		"content/ratings/r.toml": "title = \"Posts\"\nunit = \"xinfang\"\nperiod = \"2019\"\nrated = 2019-11-01\n" +
			"[[entries]]\nname = \"Wang\u202Eexe.gnp\"\npost = \"Patrol\u2067x\u2069\"\nstars = 4\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	res := run(t, src, dest, "2019-11-15")
	if len(res.Diags) != 1 || !strings.Contains(res.Diags[0].String(), "warning: name \"Wang\\u202eexe.gnp\" contains U+202E") {
		t.Errorf("diagnostics: %v", res.Diags)
	}
	seen := false
	for name, text := range tree(t, dest) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, r := range "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069" {
			if strings.ContainsRune(text, r) {
				t.Errorf("%s: U+%04X is in the page, where it would be obeyed", name, r)
			}
		}
		seen = seen || strings.Contains(text, "Wang[U+202E]exe.gnp")
	}
	if !seen {
		t.Error("no page shows the name with [U+202E]")
	}
}
