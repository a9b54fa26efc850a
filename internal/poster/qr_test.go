package poster

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// needTool returns the path of a command-line tool the test needs. Locally
// a missing tool skips the test; in CI (CI set) it fails it.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (see .ci/run): %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

var pathCmd = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)

// rasterize draws the SVG's path (our own M x y h n v1 h-n z rectangles) at
// scale pixels per module.
func rasterize(t *testing.T, svg string, scale int) image.Image {
	t.Helper()
	vb := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(svg)
	if vb == nil {
		t.Fatalf("no viewBox in %q", svg[:min(len(svg), 200)])
	}
	n, _ := strconv.Atoi(vb[1])
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, m := range pathCmd.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	return img
}

func TestQRSVGDecodes(t *testing.T) {
	zbar := needTool(t, "zbarimg")
	tests := []string{
		"https://board.example.org/notices/2019-q3-development-targets/?v=1a2b3c4d",
		"https://board.example.org/sub/path/units/gangou-yao/?v=00ff00ff",
		"https://xn--fiq228c.example/commitments/c-000001/?v=deadbeef",
	}
	for _, url := range tests {
		t.Run(url, func(t *testing.T) {
			svg, err := QRSVG(url, "QR code")
			if err != nil {
				t.Fatal(err)
			}
			s := string(svg)
			if !strings.HasPrefix(s, "<svg") || !strings.Contains(s, "<title>QR code</title>") || !strings.Contains(s, `shape-rendering="crispEdges"`) {
				t.Errorf("not the SVG we want: %s", s[:min(len(s), 300)])
			}
			img := rasterize(t, s, 6)
			// The quiet zone stays white.
			for i := 0; i < QuietZone*6; i++ {
				if img.(*image.Gray).GrayAt(i, i).Y != 255 {
					t.Fatalf("quiet zone not white at %d", i)
				}
			}
			file := filepath.Join(t.TempDir(), "qr.png")
			f, _ := os.Create(file)
			png.Encode(f, img)
			f.Close()
			out, err := exec.Command(zbar, "-q", "--raw", file).Output()
			if err != nil {
				t.Fatalf("zbarimg could not read the code: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != url {
				t.Errorf("decoded %q, want %q", got, url)
			}
		})
	}
}

func TestQRLabelEscaped(t *testing.T) {
	svg, err := QRSVG("https://x.example/", `<script>alert(1)</script>`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(svg), "<script>") {
		t.Error("label not escaped")
	}
}

func TestFindChrome(t *testing.T) {
	if _, err := FindChrome(func(string) string { return "/no/such/browser" }); err == nil {
		t.Error("a GLASSBOARD_CHROME that does not exist must be an error")
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := FindChrome(func(string) string { return "" }); err != ErrNoBrowser {
		t.Errorf("no browser on PATH: got %v", err)
	}
}
