package poster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrNoBrowser is returned when no Chromium can be found.
var ErrNoBrowser = errors.New("no Chromium found to print with: install one (Debian/Ubuntu: apt-get install chromium; or Google Chrome), or set GLASSBOARD_CHROME to its path")

// FindChrome returns the browser to print with: $GLASSBOARD_CHROME, else
// chromium, chromium-browser or google-chrome on PATH (SPEC §2).
func FindChrome(getenv func(string) string) (string, error) {
	if p := getenv("GLASSBOARD_CHROME"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("GLASSBOARD_CHROME=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// PrintPDF prints the HTML file page to the PDF file out with the headless
// browser chrome. Page size and margins come from the page's CSS @page.
func PrintPDF(ctx context.Context, chrome, page, out string) error {
	abs, err := filepath.Abs(page)
	if err != nil {
		return err
	}
	outAbs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "glassboard-chrome-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	os.Remove(outAbs) // Chromium can exit 0 without writing: never trust an old file
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chrome,
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--mute-audio",
		"--user-data-dir="+profile,
		"--no-pdf-header-footer",
		"--print-to-pdf="+outAbs,
		"file://"+filepath.ToSlash(abs))
	output, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s failed: %v\n%s", filepath.Base(chrome), err, lastLines(string(output), 5))
	}
	if fi, err := os.Stat(outAbs); err != nil || fi.Size() == 0 {
		return fmt.Errorf("%s exited without writing %s\n%s", filepath.Base(chrome), out, lastLines(string(output), 5))
	}
	return nil
}

// lastLines returns the last n non-empty lines of s, indented, for error
// messages that quote the browser's output.
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, "  "+l+"\n")
		}
	}
	return strings.Join(lines[max(0, len(lines)-n):], "")
}
