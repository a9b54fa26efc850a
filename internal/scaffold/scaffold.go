// Package scaffold writes the skeletons of "glassboard new": a new board and
// new records, valid as written and commented for the clerk who fills them in.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/glassboard/glassboard/internal/board"
)

// Kinds are the record kinds "new" can create, with their content folder.
var Kinds = map[string]string{
	"commitment": "commitments",
	"notice":     "notices",
	"rating":     "ratings",
	"page":       "pages",
}

// Site writes a minimal, valid board into dir, which must not exist or be empty.
func Site(dir string) error {
	if err := emptyDir(dir); err != nil {
		return err
	}
	files := map[string]string{
		"board.toml":                     boardTOML,
		"content/pages/about.md":         aboutPage,
		"content/pages/how-to-object.md": objectPage,
		"content/commitments/.keep":      "",
		"content/notices/.keep":          "",
		"content/ratings/.keep":          "",
		"static/files/.keep":             "",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// emptyDir makes sure dir exists and is empty.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: choose a new folder", dir)
	}
	return nil
}

// Record returns the skeleton of a new record of kind with the given unit,
// dated today. cfg supplies the notice rules for a valid objection window.
func Record(kind, unit string, cfg *board.Config, today board.Date) (string, error) {
	switch kind {
	case "commitment":
		return fmt.Sprintf(commitmentTOML, unit, today, today.AddDays(365)), nil
	case "notice":
		cal := cfg.Calendar()
		closes := today
		for cal.WorkingDays(today, closes) < max(cfg.Notices.MinWorkingDays, 1) {
			closes = closes.AddDays(1)
		}
		return fmt.Sprintf(noticeTOML, cfg.Organization.Name, today, today, closes, max(cfg.Notices.MinWorkingDays, 1), unit), nil
	case "rating":
		return fmt.Sprintf(ratingTOML, unit, today.Year(), today), nil
	case "page":
		return pageMD, nil
	}
	return "", fmt.Errorf("unknown kind %q (want commitment, notice, rating or page)", kind)
}

// Path returns where a new record of kind and id goes, relative to the board.
func Path(kind, id string) string {
	ext := ".toml"
	if kind == "page" {
		ext = ".md"
	}
	return "content/" + Kinds[kind] + "/" + id + ext
}

const boardTOML = `# The board's settings. Every key is spelled exactly as shown; glassboard
# reports unknown keys as errors so that a typo never drops data.
title = "Our Public Supervision Board"
base_url = "https://board.example.org/"   # where the site will be published
language = "en"                             # "en" or "zh-CN"
timezone = "Asia/Shanghai"                  # decides what "today" is
description = "Commitments, public notices and star ratings, posted for public supervision"

[organization]
name = "Our Organization"
address = "Main street 1"

# The bodies that records belong to. Add one [[units]] block per unit.
[[units]]
id = "main"            # lowercase letters, digits and hyphens
name = "Main Branch"
kind = "rural"         # rural, institutional, school, enterprise…
members = 10

# Where the public sends objections to a notice.
[objections]
phone = "000-0000000"
email = "objections@example.org"
address = "Office, room 1"
hours = "Mon–Fri 8:30–17:30"

[commitments]
stale_after_days = 90   # flag unfinished commitments with no update for this long

[notices]
min_working_days = 5    # shortest allowed objection window
redact_after_days = 30  # candidate details leave the site this long after a notice closes
holidays = []           # e.g. [2026-10-01, 2026-10-02]
workdays = []           # weekend days that are working days

[print]
paper = "A4"            # or "A3"
orientation = "portrait"
`

const aboutPage = `+++
title = "About this board"
weight = 20
+++
This board publishes what we have promised, whom we propose for membership or
office, and how our members' posts are rated, so that everyone can follow it.
`

const objectPage = `+++
title = "How to file an objection"
weight = 10
+++
While a public notice is open, anyone may object to a candidate. Use the
contacts shown on the notice. Give your name and a way to reach you; your
objection is handled in confidence.
`

const commitmentTOML = `# A public commitment. Required: title, unit, owner, made, due, status.
title = "What we promise, in one sentence"
unit = %q                      # a unit id from board.toml
owner = "Name, post"            # who is accountable
made = %s                # when it was made or signed
due = %s                 # the deadline
status = "planned"              # planned | in-progress | stalled | done | partial | missed | dropped
# progress = 0                  # 0–100
# parent = "responsibility-book" # the commitment this one is part of
# category = "organization"
# target = "A measurable target"
body = """
Why this matters and how it will be done. Markdown is allowed.
"""

# Add an [[updates]] block for each piece of news, oldest first:
# [[updates]]
# date = 2026-01-31
# note = "What happened."
# status = "in-progress"
# progress = 20
# evidence = ["https://…", "files/minutes.pdf"]   # files go under static/
`

const noticeTOML = `# A public notice of candidates. Required: title, issuer, purpose,
# published, opens, closes and at least one [[candidates]] block.
title = "Notice on the proposed candidates"
issuer = %q
purpose = "membership"          # membership | appointment | election | award | other
# stage = "development target"
published = %s
opens = %s               # first day objections are accepted
closes = %s              # last day; the window needs at least %d working days
body = """
Who is proposed, and why. Markdown is allowed.
"""

[[candidates]]
name = "Full Name"
unit = %q
# gender = "female"
# born = 1998                   # a year, or "1998-04"; never a full date
# education = "college"
# applied = 2025-03-01
# activist_since = 2025-09-01
# role = "…"
# Personal data is kept here for the record and NEVER published:
# [candidates.private]
# id_number = "…"
# phone = "…"
`

const ratingTOML = `# A star-rating board. Required: title, unit, period, rated and entries.
title = "Member posts and star ratings"
unit = %q
period = "%d"
rated = %s
max_stars = 5
# criteria = ["Duty", "Participation", "Example"]   # then give scores, not stars
# previous = "last-years-board-id"                  # for ▲▼ changes

[[entries]]
name = "Full Name"
post = "The post held"
# duty = "What the post involves"
stars = 5
`

const pageMD = `+++
title = "Page title"
weight = 30      # order in the navigation
+++
Write the page in Markdown.
`
