package diag

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestSortFormatJSON(t *testing.T) {
	var l List
	l.Errorf("b.toml", 2, 1, "second file")
	l.Errorf("a.toml", 10, 3, "later line")
	l.Errorf("a.toml", 2, 5, "earlier line")
	l.Errorf("a.toml", 2, 5, "earlier line") // an exact repeat is dropped
	l = append(l, Diagnostic{File: "a.toml", Line: 0, Col: 0, Severity: Warning, Message: "whole file"})
	l.Sort()
	var text bytes.Buffer
	l.WriteText(&text)
	want := "a.toml:1:1: warning: whole file\na.toml:2:5: earlier line\na.toml:10:3: later line\nb.toml:2:1: second file\n"
	if text.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", text.String(), want)
	}
	if l.Errors() != 3 {
		t.Errorf("errors = %d", l.Errors())
	}
	var js bytes.Buffer
	l.WriteJSON(&js)
	var back []map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back) != 4 || back[1]["line"] != 2.0 || back[1]["severity"] != "error" {
		t.Errorf("json: %s %v", js.String(), err)
	}
	var empty bytes.Buffer
	List(nil).WriteJSON(&empty)
	if empty.String() != "[]\n" {
		t.Errorf("empty list as JSON: %q", empty.String())
	}
}
