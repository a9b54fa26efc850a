package build

import (
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/glassboard/glassboard"
	"github.com/glassboard/glassboard/internal/load"
	"github.com/glassboard/glassboard/internal/opendata"
	"github.com/glassboard/glassboard/internal/render"
	"github.com/glassboard/glassboard/internal/sample"
)

// Page weight budgets of issue 7 for a board of 10,000 records.
const (
	maxDashboardHTML  = 200 << 10 // the dashboard's HTML
	maxDashboardTotal = 300 << 10 // its HTML with the CSS and scripts it loads (no images)
	maxPage           = 1 << 20   // any HTML page
)

var loadedAsset = regexp.MustCompile(`<(?:link rel="stylesheet"|script) (?:href|src)="([^"]+)"`)

// TestPageWeight10k renders the pages of a `new site --sample 10000` board
// into memory and holds them to the budgets: the dashboard stays a summary,
// and the lists are paginated so that no page grows with the board. Record
// pages and posters, one per record, are sampled (every 97th).
func TestPageWeight10k(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a 10,000-record board")
	}
	src := t.TempDir()
	if err := sample.Write(src, 10000, today("2026-06-15").Time()); err != nil {
		t.Fatal(err)
	}
	srcFS := os.DirFS(src)
	bd, ds, err := load.Load(srcFS)
	if err != nil || ds.Errors() > 0 {
		t.Fatal(err, ds)
	}
	s := bd.At(today("2026-06-15"))
	st, err := newSite(srcFS, glassboard.Theme, &bd.Config, false, opendata.New(s, today("2026-06-15").Time()))
	if err != nil {
		t.Fatal(err)
	}
	var jobs []render.Job
	records := 0
	for _, j := range render.Jobs(s) {
		p := j.Page
		if p.Commitment != nil || p.Notice != nil || p.Rating != nil {
			if records++; records%97 != 0 {
				continue
			}
		}
		jobs = append(jobs, j)
	}
	var mu sync.Mutex
	sizes := map[string]int{}
	var home string
	err = st.renderPages(jobs, func(p string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		sizes[p] = len(data)
		if p == "index.html" {
			home = string(data)
		}
		return nil
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}

	total := len(home)
	for _, m := range loadedAsset.FindAllStringSubmatch(home, -1) {
		b, err := fs.ReadFile(st.static, "assets/"+assetName(st, m[1]))
		if err != nil {
			t.Fatalf("the dashboard loads %s: %v", m[1], err)
		}
		total += len(b)
	}
	if len(home) > maxDashboardHTML {
		t.Errorf("dashboard HTML is %d KB, want at most %d KB", len(home)>>10, maxDashboardHTML>>10)
	}
	if total > maxDashboardTotal {
		t.Errorf("dashboard with its CSS and scripts is %d KB, want at most %d KB", total>>10, maxDashboardTotal>>10)
	}
	largest := map[string]string{} // kind of page → its largest page
	for p, n := range sizes {
		if n > maxPage {
			t.Errorf("%s is %d KB, want at most %d KB", p, n>>10, maxPage>>10)
		}
		k := pageKind(p)
		if sizes[largest[k]] < n {
			largest[k] = p
		}
	}
	t.Logf("%d pages rendered of %d; dashboard %d KB, with CSS and scripts %d KB", len(sizes), len(render.Jobs(s)), len(home)>>10, total>>10)
	for _, k := range slices.Sorted(maps.Keys(largest)) {
		p := largest[k]
		t.Logf("largest %s: %s, %d KB", k, p, sizes[p]>>10)
	}
	if n := sizes["commitments/page/2/index.html"]; n == 0 {
		t.Error("the commitments list has no page 2")
	}
}

// assetName turns a fingerprinted asset link back into its name under
// static/assets/.
func assetName(st *site, href string) string {
	for name, p := range st.assets {
		if strings.HasSuffix(href, p) {
			return name
		}
	}
	return href
}

// pageKind names the kind of a page by its path, for the log.
func pageKind(p string) string {
	parts := strings.Split(p, "/")
	switch {
	case len(parts) == 1:
		return p
	case parts[0] == "posters":
		return "poster"
	case parts[0] == "units" && len(parts) == 3:
		return "unit page"
	case parts[0] == "units" && len(parts) > 3:
		return "unit list"
	case len(parts) == 2 && strings.Contains("commitments notices ratings units", parts[0]):
		return parts[0] + " list"
	case len(parts) == 2:
		return "free page"
	case parts[1] == "page" || parts[1] == "status" || parts[1] == "flag":
		return parts[0] + " list"
	}
	return parts[0] + " record"
}
