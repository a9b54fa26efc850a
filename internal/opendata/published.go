package opendata

import (
	"github.com/glassboard/glassboard/internal/board"
)

// The published objects: what a record says in public, with its TOML keys
// as field names, and nothing else. Their canonical JSON is hashed into the
// record code, so
//
//   - fields are declared in sorted key order (encoding/json emits struct
//     fields in declaration order; TestCanonicalIsSorted checks that the
//     bytes equal those of a sorted map);
//   - optional fields are omitted when empty, never "" or null, so that
//     writing an empty optional key in the TOML changes no code;
//   - nothing derived from today's date is here: no state, no overdue, no
//     days left, no rank, no URL. Those go into the "state" object of the
//     data files, beside the published object, and are not hashed;
//   - a candidate has no field for [candidates.private]: board.Candidate has
//     none, so private data cannot even be expressed.

type pubCommitment struct {
	Body     string       `json:"body,omitempty"`
	Category string       `json:"category,omitempty"`
	Due      board.Date   `json:"due,omitzero"`
	ID       string       `json:"id"`
	Made     board.Date   `json:"made,omitzero"`
	Owner    string       `json:"owner,omitempty"`
	Parent   string       `json:"parent,omitempty"`
	Progress *int         `json:"progress,omitempty"`
	Status   board.Status `json:"status,omitempty"`
	Target   string       `json:"target,omitempty"`
	Title    string       `json:"title"`
	Unit     string       `json:"unit,omitempty"`
	Updates  []pubUpdate  `json:"updates,omitempty"`
}

type pubUpdate struct {
	Date     board.Date   `json:"date,omitzero"`
	Evidence []string     `json:"evidence,omitempty"`
	Note     string       `json:"note,omitempty"`
	Progress *int         `json:"progress,omitempty"`
	Status   board.Status `json:"status,omitempty"`
}

type pubNotice struct {
	Body           string         `json:"body,omitempty"`
	CandidateCount int            `json:"candidate_count"`
	Candidates     []pubCandidate `json:"candidates,omitempty"`
	Closes         board.Date     `json:"closes,omitzero"`
	ID             string         `json:"id"`
	Issuer         string         `json:"issuer,omitempty"`
	Objections     pubContacts    `json:"objections,omitzero"`
	Opens          board.Date     `json:"opens,omitzero"`
	Outcome        *pubOutcome    `json:"outcome,omitempty"`
	Posted         *pubPosting    `json:"posted,omitempty"`
	Published      board.Date     `json:"published,omitzero"`
	Purpose        board.Purpose  `json:"purpose,omitempty"`
	Stage          string         `json:"stage,omitempty"`
	Title          string         `json:"title"`
}

type pubContacts struct {
	Address string `json:"address,omitempty"`
	Email   string `json:"email,omitempty"`
	Hours   string `json:"hours,omitempty"`
	Phone   string `json:"phone,omitempty"`
}

func (c pubContacts) IsZero() bool { return c == pubContacts{} }

type pubOutcome struct {
	Date       board.Date `json:"date,omitzero"`
	Objections *int       `json:"objections,omitempty"`
	Summary    string     `json:"summary,omitempty"`
}

type pubPosting struct {
	Date  board.Date `json:"date,omitzero"`
	Photo string     `json:"photo,omitempty"`
	Where string     `json:"where,omitempty"`
}

// pubCandidate is every published field of a candidate. board.Candidate has
// no private field, and neither has this.
type pubCandidate struct {
	ActivistSince board.Date `json:"activist_since,omitzero"`
	Applied       board.Date `json:"applied,omitzero"`
	Born          board.Born `json:"born,omitzero"`
	Education     string     `json:"education,omitempty"`
	Gender        string     `json:"gender,omitempty"`
	Name          string     `json:"name"`
	Note          string     `json:"note,omitempty"`
	Role          string     `json:"role,omitempty"`
	Unit          string     `json:"unit,omitempty"`
}

type pubRating struct {
	Body     string     `json:"body,omitempty"`
	Criteria []string   `json:"criteria,omitempty"`
	Entries  []pubEntry `json:"entries,omitempty"`
	ID       string     `json:"id"`
	MaxStars int        `json:"max_stars"`
	Period   string     `json:"period,omitempty"`
	Previous string     `json:"previous,omitempty"`
	Rated    board.Date `json:"rated,omitzero"`
	Title    string     `json:"title"`
	Unit     string     `json:"unit,omitempty"`
}

// pubEntry is a rated entry; stars are the computed stars (given, or the
// mean of the scores rounded half up).
type pubEntry struct {
	Duty   string `json:"duty,omitempty"`
	Name   string `json:"name"`
	Note   string `json:"note,omitempty"`
	Post   string `json:"post,omitempty"`
	Scores []int  `json:"scores,omitempty"`
	Stars  int    `json:"stars"`
}

func publishCommitment(c *board.CommitmentView) *pubCommitment {
	p := &pubCommitment{
		Body: c.Body, Category: c.Category, Due: c.Due, ID: c.ID, Made: c.Made,
		Owner: c.Owner, Parent: c.Commitment.Parent, Progress: c.Commitment.Progress,
		Status: c.Status, Target: c.Target, Title: c.Title, Unit: c.Commitment.Unit,
	}
	if len(c.Updates) > 0 {
		p.Updates = make([]pubUpdate, len(c.Updates))
		for i, u := range c.Updates {
			p.Updates[i] = pubUpdate{Date: u.Date, Evidence: u.Evidence, Note: u.Note, Progress: u.Progress, Status: u.Status}
		}
	}
	return p
}

// publishNotice copies a notice view, which the domain has already redacted
// when its state is redacted (no candidates, no body, stage, outcome summary
// or posting photo).
func publishNotice(n *board.NoticeView) *pubNotice {
	p := &pubNotice{
		Body: n.Body, CandidateCount: n.CandidateCount, Closes: n.Closes, ID: n.ID,
		Issuer: n.Issuer, Opens: n.Opens, Published: n.Published, Purpose: n.Purpose,
		Stage: n.Stage, Title: n.Title,
	}
	if c := n.Objections; !c.IsZero() {
		p.Objections = pubContacts{Address: c.Address, Email: c.Email, Hours: c.Hours, Phone: c.Phone}
	}
	if n.Outcome != nil {
		p.Outcome = &pubOutcome{Date: n.Outcome.Date, Objections: n.Outcome.Objections, Summary: n.Outcome.Summary}
	}
	if n.Posted != nil {
		p.Posted = &pubPosting{Date: n.Posted.Date, Photo: n.Posted.Photo, Where: n.Posted.Where}
	}
	if !n.Redacted() && len(n.Candidates) > 0 {
		p.Candidates = make([]pubCandidate, len(n.Candidates))
		for i, c := range n.Candidates {
			p.Candidates[i] = pubCandidate{
				ActivistSince: c.ActivistSince, Applied: c.Applied, Born: c.Born,
				Education: c.Education, Gender: c.Gender, Name: c.Name, Note: c.Note,
				Role: c.Role, Unit: c.Unit,
			}
		}
	}
	return p
}

// publishRating keeps the entries in the order of the TOML file; ranks are
// derived and go into the state.
func publishRating(r *board.RatingView) *pubRating {
	p := &pubRating{
		Body: r.Body, Criteria: r.Criteria, ID: r.ID, MaxStars: r.MaxStars, Period: r.Period,
		Previous: r.Rating.Previous, Rated: r.Rated, Title: r.Title, Unit: r.Rating.Unit,
	}
	if len(r.Rating.Entries) > 0 {
		p.Entries = make([]pubEntry, len(r.Rating.Entries))
		for i, e := range r.Rating.Entries {
			p.Entries[i] = pubEntry{Duty: e.Duty, Name: e.Name, Note: e.Note, Post: e.Post, Scores: e.Scores, Stars: board.EntryStars(e)}
		}
	}
	return p
}
