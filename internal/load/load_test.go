package load

import (
	"strings"
	"testing"
	"testing/fstest"
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
