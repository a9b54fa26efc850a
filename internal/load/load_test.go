package load

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/glassboard/glassboard/internal/board"
)

const testBoard = `title = "Test board"
base_url = "https://board.example.org/"
[objections]
phone = "0313-0000000"
[[units]]
id = "xinfang"
name = "Xinfang"
kind = "rural"
`

func TestSmoke(t *testing.T) {
	fsys := fstest.MapFS{
		"board.toml": {Data: []byte(testBoard)},
		"content/notices/a.toml": {Data: []byte(`title = "N"
issuer = "Me"
purpose = "membership"
published = 2019-09-02
opens = 2019-09-02
closes = 2019-09-06
[[candidates]]
name = "Zhang San"
unit = "xinfang"
born = 1996
[candidates.private]
phone = "SECRET"
[[candidates]]
name = "Li Si"
unit = "xinfang"
phone = "123"
`)},
	}
	b, ds, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v", ds)
	if len(b.Notices) != 1 {
		t.Fatalf("notice not decoded")
	}
	if len(ds) != 1 || !strings.Contains(ds[0].String(), "content/notices/a.toml:16:1: personal data") {
		t.Fatalf("got %v", ds)
	}
}

// LoadAlongside gives what Load gives, and calls its function once with
// the board it returns, unless board.toml does not decode.
func TestLoadAlongside(t *testing.T) {
	notice := "title = \"N\"\nissuer = \"Me\"\npurpose = \"membership\"\npublished = 2019-09-02\nopens = 2019-09-02\ncloses = 2019-09-06\n"
	tests := []struct {
		name       string
		files      fstest.MapFS
		wantCalled bool
	}{
		{"good", fstest.MapFS{"board.toml": {Data: []byte(testBoard)}, "content/notices/a.toml": {Data: []byte(notice)}}, true},
		{"record errors", fstest.MapFS{"board.toml": {Data: []byte(testBoard)}, "content/notices/a.toml": {Data: []byte(notice + "status = 1\n")}}, true},
		{"board.toml broken", fstest.MapFS{"board.toml": {Data: []byte("title = \n")}, "content/notices/a.toml": {Data: []byte(notice)}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, wantDs, err := Load(tc.files)
			if err != nil {
				t.Fatal(err)
			}
			calls := 0
			var seen *board.Board
			got, gotDs, err := LoadAlongside(tc.files, func(b *board.Board) { calls++; seen = b })
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotDs, wantDs) || !reflect.DeepEqual(got, want) {
				t.Errorf("LoadAlongside differs from Load:\n%v\n%v", gotDs, wantDs)
			}
			if called := calls == 1 && seen == got; called != tc.wantCalled || calls > 1 {
				t.Errorf("called %d times (with the board returned: %v), want called: %v", calls, seen == got, tc.wantCalled)
			}
		})
	}
}
