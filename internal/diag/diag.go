// Package diag is the one shape of a content problem: PATH:LINE:COL: message.
package diag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// Severity says whether a diagnostic stops a build.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Diagnostic is a problem at a position in a board file.
type Diagnostic struct {
	File     string   `json:"file"` // slash-separated, relative to the board
	Line     int      `json:"line"` // 1-based; 0 when unknown
	Col      int      `json:"col"`  // 1-based, in characters; 0 when unknown
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// String formats d as PATH:LINE:COL: message (warnings say so).
func (d Diagnostic) String() string {
	line, col := max(d.Line, 1), max(d.Col, 1)
	if d.Severity == Warning {
		return fmt.Sprintf("%s:%d:%d: warning: %s", d.File, line, col, d.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.File, line, col, d.Message)
}

// List is a set of diagnostics.
type List []Diagnostic

// Errorf adds an error.
func (l *List) Errorf(file string, line, col int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Col: col, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

// Sort orders the list by file, line, column and message, and drops exact repeats.
func (l *List) Sort() {
	slices.SortFunc(*l, func(a, b Diagnostic) int {
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Col, b.Col); c != 0 {
			return c
		}
		return cmp.Compare(a.Message, b.Message)
	})
	*l = slices.Compact(*l)
}

// Errors counts the diagnostics of severity Error.
func (l List) Errors() int {
	n := 0
	for _, d := range l {
		if d.Severity != Warning {
			n++
		}
	}
	return n
}

// WriteText writes one diagnostic per line.
func (l List) WriteText(w io.Writer) error {
	for _, d := range l {
		if _, err := fmt.Fprintln(w, d.String()); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the list as a JSON array of {file, line, col, severity, message}.
func (l List) WriteJSON(w io.Writer) error {
	out := l
	if out == nil {
		out = List{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Error makes a non-empty list usable as an error.
func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no problems"
	case 1:
		return l[0].String()
	}
	return fmt.Sprintf("%s (and %d more)", l[0].String(), len(l)-1)
}
