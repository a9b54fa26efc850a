// Package board is glassboard's domain: the records of a transparency board
// (commitments, public notices, star-rating boards, pages), the rules they
// must obey and the states derived from them on a given day.
//
// It does no I/O and reads no clock: callers pass "today" in. Field tags name
// the TOML keys of SPEC §1; the loader decodes straight into these types.
package board

import (
	"fmt"
	"strings"
)

// Board is everything loaded from one board folder.
type Board struct {
	Config      Config
	Commitments []*Commitment
	Notices     []*Notice
	Ratings     []*Rating
	Pages       []*Page
	// Static holds the slash-separated paths of the files under static/,
	// so that evidence and photo paths can be checked.
	Static map[string]bool
	// Unreadable holds "commitments/ID", "ratings/ID"… of record files that
	// exist but could not be decoded: they are reported already, so a
	// reference to them is not also reported as unknown.
	Unreadable map[string]bool
}

// Config is board.toml.
type Config struct {
	Title        string          `toml:"title"`
	BaseURL      string          `toml:"base_url"`
	Language     string          `toml:"language"`
	Timezone     string          `toml:"timezone"`
	Description  string          `toml:"description"`
	Organization Organization    `toml:"organization"`
	Units        []Unit          `toml:"units"`
	Objections   Contacts        `toml:"objections"`
	Commitments  CommitmentRules `toml:"commitments"`
	Notices      NoticeRules     `toml:"notices"`
	Print        Print           `toml:"print"`
}

// DefaultConfig returns the values board.toml keys take when omitted.
func DefaultConfig() Config {
	return Config{
		Language:    "en",
		Timezone:    "UTC",
		Commitments: CommitmentRules{StaleAfterDays: 90},
		Notices:     NoticeRules{MinWorkingDays: 5, RedactAfterDays: 30},
		Print:       Print{Paper: "A4", Orientation: "portrait"},
	}
}

// Organization is the body that runs the board.
type Organization struct {
	Name    string `toml:"name"`
	Address string `toml:"address"`
}

// Unit is a body that records belong to: a village branch, a school, a plant.
type Unit struct {
	ID      string `toml:"id"`
	Name    string `toml:"name"`
	Kind    string `toml:"kind"`
	Members int    `toml:"members"`
}

// Contacts says where the public sends objections.
type Contacts struct {
	Phone   string `toml:"phone"`
	Email   string `toml:"email"`
	Address string `toml:"address"`
	Hours   string `toml:"hours"`
}

// IsZero reports whether no contact is given.
func (c Contacts) IsZero() bool { return c == Contacts{} }

// Merge returns c with the fields that o sets replaced.
func (c Contacts) Merge(o *Contacts) Contacts {
	if o == nil {
		return c
	}
	if o.Phone != "" {
		c.Phone = o.Phone
	}
	if o.Email != "" {
		c.Email = o.Email
	}
	if o.Address != "" {
		c.Address = o.Address
	}
	if o.Hours != "" {
		c.Hours = o.Hours
	}
	return c
}

// CommitmentRules is the [commitments] table of board.toml.
type CommitmentRules struct {
	StaleAfterDays int `toml:"stale_after_days"`
}

// NoticeRules is the [notices] table of board.toml.
type NoticeRules struct {
	MinWorkingDays  int    `toml:"min_working_days"`
	RedactAfterDays int    `toml:"redact_after_days"`
	Holidays        []Date `toml:"holidays"`
	Workdays        []Date `toml:"workdays"`
}

// Print is the [print] table of board.toml.
type Print struct {
	Paper       string `toml:"paper"`
	Orientation string `toml:"orientation"`
}

// Unit returns the unit with the given id, or nil.
func (c *Config) Unit(id string) *Unit {
	for i := range c.Units {
		if c.Units[i].ID == id {
			return &c.Units[i]
		}
	}
	return nil
}

// Commitment is a public promise: who is accountable, by when, how it goes.
type Commitment struct {
	ID   string `toml:"-"`
	File string `toml:"-"` // source path, slash-separated, relative to the board

	Title    string   `toml:"title"`
	Unit     string   `toml:"unit"`
	Owner    string   `toml:"owner"`
	Made     Date     `toml:"made"`
	Due      Date     `toml:"due"`
	Status   Status   `toml:"status"`
	Progress *int     `toml:"progress"`
	Parent   string   `toml:"parent"`
	Category string   `toml:"category"`
	Target   string   `toml:"target"`
	Body     string   `toml:"body"`
	Updates  []Update `toml:"updates"`
}

// Update is one dated entry in a commitment's history.
type Update struct {
	Date     Date     `toml:"date"`
	Note     string   `toml:"note"`
	Status   Status   `toml:"status"`
	Progress *int     `toml:"progress"`
	Evidence []string `toml:"evidence"`
}

// Status is the state a commitment's owner reports.
type Status string

// The statuses of SPEC §1.
const (
	Planned    Status = "planned"
	InProgress Status = "in-progress"
	Stalled    Status = "stalled"
	Done       Status = "done"
	Partial    Status = "partial"
	Missed     Status = "missed"
	Dropped    Status = "dropped"
)

// Statuses lists every status in display order.
var Statuses = []Status{Planned, InProgress, Stalled, Done, Partial, Missed, Dropped}

// Unfinished reports whether work is still expected (planned, in-progress, stalled).
func (s Status) Unfinished() bool { return s == Planned || s == InProgress || s == Stalled }

// UnmarshalText accepts only the statuses of SPEC §1.
func (s *Status) UnmarshalText(b []byte) error {
	v := Status(b)
	for _, ok := range Statuses {
		if v == ok {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("unknown status %q (want %s)", v, orList(Statuses))
}

// Notice is a public notice of candidates with a window for objections.
type Notice struct {
	ID   string `toml:"-"`
	File string `toml:"-"`

	Title      string      `toml:"title"`
	Issuer     string      `toml:"issuer"`
	Purpose    Purpose     `toml:"purpose"`
	Stage      string      `toml:"stage"`
	Published  Date        `toml:"published"`
	Opens      Date        `toml:"opens"`
	Closes     Date        `toml:"closes"`
	Body       string      `toml:"body"`
	Objections *Contacts   `toml:"objections"`
	Posted     *Posting    `toml:"posted"`
	Outcome    *Outcome    `toml:"outcome"`
	Candidates []Candidate `toml:"candidates"`
}

// Purpose says what a notice proposes candidates for.
type Purpose string

// The purposes of SPEC §1.
const (
	Membership  Purpose = "membership"
	Appointment Purpose = "appointment"
	Election    Purpose = "election"
	Award       Purpose = "award"
	Other       Purpose = "other"
)

// Purposes lists every purpose.
var Purposes = []Purpose{Membership, Appointment, Election, Award, Other}

// UnmarshalText accepts only the purposes of SPEC §1.
func (p *Purpose) UnmarshalText(b []byte) error {
	v := Purpose(b)
	for _, ok := range Purposes {
		if v == ok {
			*p = v
			return nil
		}
	}
	return fmt.Errorf("unknown purpose %q (want %s)", v, orList(Purposes))
}

// Posting is proof that the paper notice was put up.
type Posting struct {
	Date  Date   `toml:"date"`
	Where string `toml:"where"`
	Photo string `toml:"photo"`
}

// Outcome is what came of the objections after the window.
type Outcome struct {
	Date       Date   `toml:"date"`
	Objections *int   `toml:"objections"`
	Summary    string `toml:"summary"`
}

// Candidate is a person proposed in a notice. It has, by design, no field
// for the [candidates.private] table: private data cannot reach an output.
type Candidate struct {
	Name          string `toml:"name"`
	Unit          string `toml:"unit"`
	Gender        string `toml:"gender"`
	Born          Born   `toml:"born"`
	Education     string `toml:"education"`
	Applied       Date   `toml:"applied"`
	ActivistSince Date   `toml:"activist_since"`
	Role          string `toml:"role"`
	Note          string `toml:"note"`
}

// PersonalKeys are candidate keys that must only appear under private.
var PersonalKeys = []string{"id_number", "id_card", "phone", "mobile", "email", "address", "birthday"}

// Rating is a star-rating board: members' posts rated for public supervision.
type Rating struct {
	ID   string `toml:"-"`
	File string `toml:"-"`

	Title    string   `toml:"title"`
	Unit     string   `toml:"unit"`
	Period   string   `toml:"period"`
	Rated    Date     `toml:"rated"`
	MaxStars int      `toml:"max_stars"`
	Criteria []string `toml:"criteria"`
	Previous string   `toml:"previous"`
	Body     string   `toml:"body"`
	Entries  []Entry  `toml:"entries"`
}

// Entry is one rated person (or unit) on a rating board.
type Entry struct {
	Name   string `toml:"name"`
	Post   string `toml:"post"`
	Duty   string `toml:"duty"`
	Stars  *int   `toml:"stars"`
	Scores []int  `toml:"scores"`
	Note   string `toml:"note"`
}

// Page is a free Markdown page such as "how to object".
type Page struct {
	ID   string `toml:"-"` // the slug
	File string `toml:"-"`

	Title  string `toml:"title"`
	Weight int    `toml:"weight"`
	Body   string `toml:"-"`
}

func orList[T ~string](vs []T) string {
	var b strings.Builder
	for i, v := range vs {
		switch {
		case i == len(vs)-1 && i > 0:
			b.WriteString(" or ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(string(v))
	}
	return b.String()
}
