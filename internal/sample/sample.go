// Package sample writes a synthetic transparency board: the input of
// `glassboard new site DIR --sample N`, of the demos and of the benchmarks.
//
// The board is deterministic: it depends only on the number of records and on
// the anchor date. Every record is generated from its own seeded PCG stream
// (kind, index, anchor), so record c-000042 is the same whatever n is; links
// between records (a commitment's parent, a rating's previous) only ever point
// to records generated earlier, so there are no cycles.
//
// Built with --now equal to the anchor date, the board shows every state:
// open, upcoming, closed, redacted and (a few) scheduled notices; active,
// overdue and concluded commitments, some of them quiet for months; star
// boards with stars and with per-criterion scores, chained by previous.
package sample

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// BaseURL is the base_url of every sample board.
const BaseURL = "https://board.example.org/"

// maxPerFolder bounds the number of record files written into one folder.
const maxPerFolder = 1000

// historyDays is how far back in time records reach from the anchor date.
const historyDays = 5 * 365

// Counts returns how many commitments, notices and ratings a sample of n
// records holds: about 60/25/15 per cent, at least one of each when n >= 3.
func Counts(n int) (commitments, notices, ratings int) {
	if n <= 0 {
		return 0, 0, 0
	}
	ratings = n * 15 / 100
	notices = n * 25 / 100
	if n >= 3 {
		ratings = max(ratings, 1)
		notices = max(notices, 1)
	} else if n == 2 {
		notices = 1
	}
	return n - notices - ratings, notices, ratings
}

// Write creates a complete, valid board in dir (which must be empty or not
// exist) with n records of mixed kinds, anchored at the date asOf so that,
// built with --now asOf, some notices are open, some upcoming, some closed and
// some redacted, and some commitments overdue. The output depends only on n
// and asOf.
func Write(dir string, n int, asOf time.Time) error {
	if n < 0 {
		return fmt.Errorf("sample: negative number of records %d", n)
	}
	if err := checkEmpty(dir); err != nil {
		return err
	}
	y, m, d := asOf.Date()
	g := &gen{
		dir:     dir,
		today:   mkday(y, m, d),
		made:    map[string]bool{},
		perDir:  map[string]int{},
		recentC: make([][]string, len(units)),
		recentR: make([][]ratingRef, len(units)),
		pcg:     rand.NewPCG(0, 0),
	}
	g.r = rand.New(g.pcg)
	g.w = newWritePool()
	g.buf = <-g.w.free
	err := g.generate(n)
	if werr := g.w.close(); err == nil {
		err = werr
	}
	return err
}

func (g *gen) generate(n int) error {
	if err := g.board(); err != nil {
		return err
	}
	if err := g.about(); err != nil {
		return err
	}
	nc, nn, nr := Counts(n)
	for i := range nc {
		if err := g.commitment(i); err != nil {
			return err
		}
	}
	for i := range nn {
		if err := g.notice(i); err != nil {
			return err
		}
	}
	for i := range nr {
		if err := g.rating(i); err != nil {
			return err
		}
	}
	return nil
}

// checkEmpty accepts a missing directory or an empty one.
func checkEmpty(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("sample: %s exists and is not a directory", dir)
	}
	names, err := f.Readdirnames(1)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("sample: %w", err)
	}
	if len(names) > 0 {
		return fmt.Errorf("sample: %s is not empty", dir)
	}
	return nil
}

type ratingRef struct {
	id    string
	rated day
}

// gen holds the state of one Write.
type gen struct {
	dir   string
	today day
	buf   []byte
	pcg   *rand.PCG
	r     *rand.Rand
	w     *writePool

	made   map[string]bool // directories already created
	perDir map[string]int  // record files per kind/unit/year bucket

	recentC [][]string    // per unit: the last commitment ids (parent candidates)
	recentR [][]ratingRef // per unit: the ratings so far, in generation order
}

// seed starts the random stream of record i of a kind.
func (g *gen) seed(kind uint64, i int) {
	a := uint64(int64(g.today))*0x9E3779B97F4A7C15 ^ 0x676c617373626f61 // "glassboa"
	g.pcg.Seed(a, kind<<40|uint64(i))
}

func (g *gen) intn(n int) int         { return g.r.IntN(n) }
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) chance(pct int) bool    { return g.r.IntN(100) < pct }
func pick[T any](g *gen, xs []T) T    { return xs[g.r.IntN(len(xs))] }

// mkdir creates dir (and parents) once.
func (g *gen) mkdir(dir string) error {
	if g.made[dir] {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	g.made[dir] = true
	return nil
}

// recordPath returns the file of a record, spread over
// content/<kind>/<unit>/<year>[-k]/ with at most maxPerFolder files each.
func (g *gen) recordPath(kind, unit string, year int, id string) (string, error) {
	key := kind + "/" + unit + "/" + strconv.Itoa(year)
	c := g.perDir[key]
	g.perDir[key] = c + 1
	folder := strconv.Itoa(year)
	if k := c / maxPerFolder; k > 0 {
		folder += "-" + strconv.Itoa(k+1)
	}
	dir := filepath.Join(g.dir, "content", kind, unit, folder)
	if err := g.mkdir(dir); err != nil {
		return "", err
	}
	return filepath.Join(dir, id+".toml"), nil
}

// flush hands the record in g.buf to the writers and takes a fresh buffer.
func (g *gen) flush(path string) error {
	if err := g.w.error(); err != nil {
		return err
	}
	g.w.jobs <- job{path, g.buf}
	g.buf = (<-g.w.free)[:0]
	return nil
}

// Creating files dominates the run time (the content is generated in
// microseconds), and file systems create files in different folders in
// parallel, so a few goroutines write while the next records are generated.
const (
	writers     = 8
	writeBuffer = 4 * writers
)

type job struct {
	path string
	data []byte
}

type writePool struct {
	jobs chan job
	free chan []byte
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

func newWritePool() *writePool {
	w := &writePool{jobs: make(chan job, writeBuffer), free: make(chan []byte, writeBuffer+1)}
	for range writeBuffer + 1 {
		w.free <- make([]byte, 0, 16<<10)
	}
	for range writers {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for j := range w.jobs {
				if w.error() == nil {
					if err := os.WriteFile(j.path, j.data, 0o644); err != nil {
						w.mu.Lock()
						if w.err == nil {
							w.err = fmt.Errorf("sample: %w", err)
						}
						w.mu.Unlock()
					}
				}
				w.free <- j.data
			}
		}()
	}
	return w
}

func (w *writePool) error() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// close waits for the pending writes and returns the first error.
func (w *writePool) close() error {
	close(w.jobs)
	w.wg.Wait()
	return w.error()
}

// ---------------------------------------------------------------- board.toml

func (g *gen) board() error {
	if err := g.mkdir(g.dir); err != nil {
		return err
	}
	b := g.buf[:0]
	b = append(b, "# Synthetic sample board written by `glassboard new site --sample`.\n"...)
	b = kvStr(b, "title", "Sample Township Public Supervision Board 示例乡公开监督栏")
	b = kvStr(b, "base_url", BaseURL)
	b = kvStr(b, "language", "en")
	b = kvStr(b, "timezone", "Asia/Shanghai")
	b = kvStr(b, "description", "Commitments, public notices and star ratings of Sample Township (synthetic data). 承诺、公示与星级评定。")
	b = append(b, "\n[organization]\n"...)
	b = kvStr(b, "name", "Sample Township Party Committee")
	b = kvStr(b, "address", "1 Government Road, Sample Township 示例乡政府路1号")
	for _, u := range units {
		b = append(b, "\n[[units]]\n"...)
		b = kvStr(b, "id", u.id)
		b = kvStr(b, "name", u.name)
		b = kvStr(b, "kind", u.kind)
		b = kvInt(b, "members", u.members)
	}
	b = append(b, "\n[objections]\n"...)
	b = kvStr(b, "phone", "0313-0000000")
	b = kvStr(b, "email", "jubao@example.org")
	b = kvStr(b, "address", "Township office, room 2 乡政府二号房间")
	b = kvStr(b, "hours", "Mon–Fri 8:30–17:30")
	b = append(b, "\n[commitments]\n"...)
	b = kvInt(b, "stale_after_days", 90)
	b = append(b, "\n[notices]\n"...)
	b = kvInt(b, "min_working_days", 5)
	b = kvInt(b, "redact_after_days", 30)
	b = append(b, "\n[print]\n"...)
	b = kvStr(b, "paper", "A4")
	b = kvStr(b, "orientation", "portrait")
	g.buf = b
	return g.flush(filepath.Join(g.dir, "board.toml"))
}

func (g *gen) about() error {
	dir := filepath.Join(g.dir, "content", "pages")
	if err := g.mkdir(dir); err != nil {
		return err
	}
	b := append(g.buf[:0], "+++\n"...)
	b = kvStr(b, "title", "About this board")
	b = kvInt(b, "weight", 10)
	b = append(b, "+++\n"...)
	b = append(b, `This is a **synthetic** board for demonstrations and benchmarks: every
name, date and number in it was made up by `+"`glassboard new site --sample`"+`.
本公开栏的全部内容均为演示数据，人名、日期和数字都是虚构的。

## What you find here 栏目

- **Commitments 承诺**: what each branch promised, by when, and how it is going.
- **Public notices 公示**: candidates proposed for membership, office or awards,
  and the window in which anyone may object.
- **Star ratings 星级评定**: members' posts and how they were rated.

## How to object 如何反映情况

During a notice's window, call 0313-0000000, write to jubao@example.org or come
to the township office, room 2 (Mon–Fri 8:30–17:30). See the
[glassboard project](https://github.com/glassboard/glassboard) for how this site is made.
`...)
	g.buf = b
	return g.flush(filepath.Join(dir, "about.md"))
}

// --------------------------------------------------------------- commitments

type commitmentKind struct {
	title    string // with one %d
	lo, hi   int    // range of the %d
	category string
	target   string
	budget   int // yuan, 0 when none
}

var commitmentKinds = []commitmentKind{
	{"修建饮水井 well no. %d", 1, 40, "infrastructure", "1 well serving 120 households", 250000},
	{"Party-building responsibility book %d 党建责任书", 2015, 2030, "organization", "signed at every level", 0},
	{"发展年轻党员 one member under 25 (batch %d)", 1, 20, "organization", "1 new member under 25", 0},
	{"Sea buckthorn planting 沙棘种植 %d00 mu", 5, 300, "agriculture", "survival rate above 85%", 0},
	{"山杏种植 apricot planting, %d00 mu", 5, 700, "agriculture", "planted and fenced", 0},
	{"Fencing 围栏 %d0 mu", 5, 100, "ecology", "fence inspected and accepted", 40000},
	{"活动室设备 activity-room equipment, lot %d", 1, 12, "infrastructure", "tables, chairs, projector", 7000},
	{"Study notes 学习笔记 10,000 words, round %d", 1, 8, "study", "10,000 words per cadre, reviewed quarterly", 0},
	{"萤石厂新增投资 fluorite plant investment, phase %d", 1, 6, "investment", "2 million yuan invested", 2000000},
	{"两室改造 two-room renovation no. %d", 1, 60, "housing", "renovated and inspected", 40000},
	{"Monthly party-building meeting 每月党建例会 %d", 2015, 2030, "organization", "12 meetings with minutes", 0},
	{"培养入党积极分子 train %d young activists", 2, 12, "organization", "activists trained and recorded", 0},
	{"村班子配备年轻干部 a cadre under 35, term %d", 1, 9, "organization", "1 team member under 35", 0},
	{"Quarterly coordination meeting 季度协调会 Q%d", 1, 4, "organization", "4 meetings a year", 0},
}

var roles = []string{"branch secretary", "deputy secretary", "village director", "organization committee member", "plant manager", "headmaster", "cooperative chair"}

var commitmentStatuses = struct{ active, overdue, concluded []string }{
	active:    []string{"planned", "in-progress", "in-progress", "in-progress", "stalled", "done"},
	overdue:   []string{"in-progress", "in-progress", "stalled", "planned"},
	concluded: []string{"done", "done", "done", "done", "partial", "missed", "dropped"},
}

func (g *gen) commitment(i int) error {
	g.seed(1, i)
	id := fmt.Sprintf("c-%06d", i+1)
	ui := g.intn(len(units))
	u := units[ui]
	ck := pick(g, commitmentKinds)
	num := g.between(ck.lo, ck.hi)
	title := fmt.Sprintf(ck.title, num)

	// Timing: every tenth slot pattern gives active, overdue and
	// concluded commitments in fixed proportions (30/20/50).
	var made, due day
	var status string
	t := g.today
	switch i % 10 {
	case 0, 3, 6: // due in the future
		made = t - day(g.intn(700))
		due = t + 1 + day(g.intn(400))
		status = pick(g, commitmentStatuses.active)
	case 2, 8: // overdue: due has passed, still unfinished
		made = t - 60 - day(g.intn(historyDays-60))
		due = made + 30 + day(g.intn(int(t-made)-30))
		status = pick(g, commitmentStatuses.overdue)
	default: // concluded
		made = t - 30 - day(g.intn(historyDays-30))
		due = made + 30 + day(g.intn(720))
		status = pick(g, commitmentStatuses.concluded)
	}
	if due < made {
		due = made
	}
	progress := -1 // absent
	switch status {
	case "done":
		progress = 100
	case "planned":
		if g.chance(50) {
			progress = 0
		}
	case "in-progress":
		progress = g.between(5, 95)
	case "stalled":
		progress = g.between(5, 70)
	case "partial":
		progress = g.between(30, 90)
	case "missed":
		progress = g.between(0, 60)
	case "dropped":
		progress = g.between(0, 50)
	}
	if status != "done" && progress >= 0 && g.chance(15) {
		progress = -1 // a parent may show its children's mean instead
	}
	var parent string
	if i%10 == 9 {
		if rc := g.recentC[ui]; len(rc) > 0 {
			parent = pick(g, rc)
		}
	}
	owner := pick(g, pinyinSurnames) + " " + pick(g, pinyinGiven) + ", " + pick(g, roles)

	b := append(g.buf[:0], "title = "...)
	b = appendStr(b, title)
	b = append(b, '\n')
	b = kvStr(b, "unit", u.id)
	b = kvStr(b, "owner", owner)
	b = kvDate(b, "made", made)
	b = kvDate(b, "due", due)
	b = kvStr(b, "status", status)
	if progress >= 0 {
		b = kvInt(b, "progress", progress)
	}
	if parent != "" {
		b = kvStr(b, "parent", parent)
	}
	b = kvStr(b, "category", ck.category)
	b = kvStr(b, "target", ck.target)
	b = append(b, "body = \"\"\"\n"...)
	switch g.intn(3) {
	case 0:
		b = append(b, "本承诺由**"...)
		b = append(b, u.zh...)
		b = append(b, "**作出，接受群众监督。The "...)
		b = append(b, u.name...)
		b = append(b, " commits to *"...)
		b = appendMLText(b, title)
		b = append(b, "*.\n\n- 目标 target: "...)
		b = appendMLText(b, ck.target)
		if ck.budget > 0 {
			b = append(b, "\n- 预算 budget: "...)
			b = appendThousands(b, ck.budget)
			b = append(b, " yuan"...)
		}
		b = append(b, "\n- 责任人 owner: "...)
		b = appendMLText(b, owner)
		b = append(b, "\n\nSee the [township plan](https://plans.example.org/"...)
		b = append(b, id...)
		b = append(b, ") for details.\n"...)
	case 1:
		b = append(b, "**Why 为什么**: 群众反映强烈，"...)
		b = append(b, u.zh...)
		b = append(b, "支部研究决定。\n\n1. Survey and plan 调查规划\n2. Carry out 组织实施\n3. Report back to the members 向党员群众报告\n\nProgress is published on this board; _objections_ go to the [township office](https://board.example.org/about/index.html).\n"...)
	default:
		b = append(b, "| 项目 item | 目标 target |\n|---|---|\n| "...)
		b = appendMLText(b, title)
		b = append(b, " | "...)
		b = appendMLText(b, ck.target)
		b = append(b, " |\n\n- **责任单位**: "...)
		b = append(b, u.zh...)
		b = append(b, "\n- ~~原定~~ 调整后期限见上。Deadline as above.\n\nMore at https://plans.example.org/"...)
		b = append(b, id...)
		b = append(b, '\n')
	}
	b = append(b, "\"\"\"\n"...)

	// Updates: 0-4, dates not decreasing, between made and today.
	nu := g.intn(5)
	if status == "planned" {
		nu = g.intn(2)
	}
	last := min(t, max(due+30, made))
	if last < made {
		last = made
	}
	dates := make([]day, nu)
	for k := range dates {
		dates[k] = made + day(g.intn(int(last-made)+1))
	}
	sortDays(dates)
	for k, d := range dates {
		b = append(b, "\n[[updates]]\n"...)
		b = kvDate(b, "date", d)
		b = append(b, "note = \"\"\"\n"...)
		switch g.intn(4) {
		case 0:
			b = append(b, "完成阶段性工作，**进展顺利**。Work on schedule.\n"...)
		case 1:
			b = append(b, "Reported at the branch meeting:\n\n- 资金到位 funds received\n- 施工队进场 contractor on site\n"...)
		case 2:
			b = append(b, "_Delayed_ by the weather 因天气原因延误; see the [minutes](https://minutes.example.org/"...)
			b = append(b, id...)
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(k+1), 10)
			b = append(b, ").\n"...)
		default:
			b = append(b, "乡党委检查验收，群众代表参加。Inspected with residents' representatives.\n"...)
		}
		b = append(b, "\"\"\"\n"...)
		isLast := k == len(dates)-1
		if isLast && status != "planned" {
			b = kvStr(b, "status", status)
		} else if status != "planned" && g.chance(50) {
			b = kvStr(b, "status", "in-progress")
		}
		if progress > 0 && status != "planned" {
			p := progress * (k + 1) / len(dates)
			if isLast {
				p = progress
			}
			b = kvInt(b, "progress", p)
		}
		if g.chance(25) {
			b = append(b, "evidence = [\"https://files.example.org/evidence/"...)
			b = append(b, id...)
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(k+1), 10)
			b = append(b, ".pdf\"]\n"...)
		}
	}
	g.buf = b

	rc := g.recentC[ui]
	if len(rc) >= 12 {
		rc = append(rc[:0], rc[1:]...)
	}
	g.recentC[ui] = append(rc, id)

	y, _, _ := made.ymd()
	path, err := g.recordPath("commitments", u.id, y, id)
	if err != nil {
		return err
	}
	return g.flush(path)
}

// ------------------------------------------------------------------- notices

type noticeState int

const (
	stateOpen noticeState = iota
	stateUpcoming
	stateClosed
	stateRedacted
	stateScheduled
)

// noticeCycle fixes the mix: 10% open, 10% upcoming, 30% closed, 50% redacted.
var noticeCycle = [10]noticeState{
	stateOpen, stateRedacted, stateClosed, stateUpcoming, stateRedacted,
	stateClosed, stateRedacted, stateRedacted, stateClosed, stateRedacted,
}

var purposes = []string{"membership", "membership", "membership", "membership", "membership",
	"appointment", "appointment", "election", "election", "award", "award", "other"}

var stages = []string{"activist", "development target", "probationary member", "full member"}

var educations = []string{"junior middle school", "senior high school", "technical secondary school", "college", "university", "初中", "高中", "大专"}

func (g *gen) notice(i int) error {
	g.seed(2, i)
	id := fmt.Sprintf("n-%06d", i+1)
	ui := g.intn(len(units))
	u := units[ui]
	t := g.today

	state := noticeCycle[i%10]
	if i%100 == 57 {
		state = stateScheduled // 1%: published in the future, hidden
	}
	// Every window starts on a Monday and lasts 7 to 14 calendar days, so
	// it always holds at least 5 working days (the board has no holidays).
	var published, opens, closes day
	switch state {
	case stateOpen:
		opens = t.mondayOnOrBefore() - 7*day(g.intn(2))
		closes = max(opens+6, t) + day(g.intn(8))
		published = opens - day(g.intn(4))
	case stateUpcoming:
		opens = (t + 1).mondayOnOrAfter() + 7*day(g.intn(3))
		closes = opens + 6 + day(g.intn(8))
		published = min(t-day(g.intn(6)), opens)
	case stateClosed: // closed within the last 30 days: not yet redacted
		c := t - 1 - day(g.intn(30))
		opens = (c - 6 - day(g.intn(8))).mondayOnOrBefore()
		closes = c
		published = opens - day(g.intn(4))
	case stateRedacted:
		c := t - 31 - day(g.intn(historyDays))
		opens = (c - 6 - day(g.intn(8))).mondayOnOrBefore()
		closes = c
		published = opens - day(g.intn(4))
	case stateScheduled:
		published = t + 1 + day(g.intn(20))
		opens = published.mondayOnOrAfter()
		closes = opens + 6 + day(g.intn(8))
	}
	purpose := pick(g, purposes)
	py, pm, _ := published.ymd()
	quarter := (pm-1)/3 + 1

	b := append(g.buf[:0], "title = "...)
	var title string
	switch purpose {
	case "membership":
		title = fmt.Sprintf("Notice on the proposed development targets, Q%d %d — %s 发展对象公示", quarter, py, u.name)
	case "appointment":
		title = fmt.Sprintf("Notice of proposed appointments, %s %d 拟任人选公示", u.name, py)
	case "election":
		title = fmt.Sprintf("Candidates for the %d branch committee election — %s 候选人公示", py, u.zh)
	case "award":
		title = fmt.Sprintf("Proposed outstanding members %d 优秀党员拟表彰名单 — %s", py, u.name)
	default:
		title = fmt.Sprintf("Notice %s: proposed post holders 设岗定责人选公示, %d", id, py)
	}
	b = appendStr(b, title)
	b = append(b, '\n')
	if g.chance(50) {
		b = kvStr(b, "issuer", "Sample Township Party Committee")
	} else {
		b = kvStr(b, "issuer", u.name)
	}
	b = kvStr(b, "purpose", purpose)
	if purpose == "membership" {
		b = kvStr(b, "stage", pick(g, stages))
	}
	b = kvDate(b, "published", published)
	b = kvDate(b, "opens", opens)
	b = kvDate(b, "closes", closes)
	b = append(b, "body = \"\"\"\n"...)
	b = append(b, "经"...)
	b = append(b, u.zh...)
	b = append(b, "支部委员会研究，现将下列人选予以公示。The following candidates are proposed by the **"...)
	b = append(b, u.name...)
	b = append(b, "**.\n\n- 公示期 notice period: as shown above\n- 反映方式 how to object: phone, letter or in person\n- *Anonymous* letters are accepted; named ones are answered first.\n\nRules: [how to file an objection](https://board.example.org/about/index.html).\n\"\"\"\n"...)

	if g.chance(10) {
		b = append(b, "\n[objections]\n"...)
		b = kvStr(b, "phone", "0313-"+strconv.Itoa(1000000+ui*1111))
		b = kvStr(b, "email", u.id+"@example.org")
	}
	if state != stateScheduled && g.chance(60) {
		b = append(b, "\n[posted]\n"...)
		b = kvDate(b, "date", published)
		b = kvStr(b, "where", "Notice board, "+u.name+" office gate")
	}
	if (state == stateClosed || state == stateRedacted) && g.chance(60) {
		od := min(closes+1+day(g.intn(7)), t)
		objections := 0
		if g.chance(20) {
			objections = g.between(1, 3)
		}
		b = append(b, "\n[outcome]\n"...)
		b = kvDate(b, "date", od)
		b = kvInt(b, "objections", objections)
		if objections == 0 {
			b = kvStr(b, "summary", "No objections were received; all candidates proceed. 公示期内未收到异议。")
		} else {
			b = append(b, "summary = \"\"\"\n"...)
			b = append(b, "Received **"...)
			b = strconv.AppendInt(b, int64(objections), 10)
			b = append(b, "** objection(s); the branch verified them and replied in writing.\n\n- 经核实，反映问题不影响人选资格。\n- Details at the [township office](https://board.example.org/about/index.html).\n\"\"\"\n"...)
		}
	}

	nc := g.between(1, 6)
	for k := 1; k <= nc; k++ {
		b = append(b, "\n[[candidates]]\n"...)
		female := g.chance(40)
		given := pinyinMale
		if female {
			given = pinyinFemale
		}
		if g.chance(70) {
			b = kvStr(b, "name", pick(g, pinyinSurnames)+" "+pick(g, given))
		} else {
			hg := hanMale
			if female {
				hg = hanFemale
			}
			b = kvStr(b, "name", pick(g, hanSurnames)+pick(g, hg))
		}
		cu := u.id
		if g.chance(15) {
			cu = pick(g, units).id
		}
		b = kvStr(b, "unit", cu)
		if g.chance(90) {
			if female {
				b = kvStr(b, "gender", "female")
			} else {
				b = kvStr(b, "gender", "male")
			}
		}
		by := py - g.between(18, 45)
		if g.chance(50) {
			b = kvInt(b, "born", by)
		} else {
			b = append(b, "born = \""...)
			b = strconv.AppendInt(b, int64(by), 10)
			b = append(b, '-')
			b = append2(b, g.between(1, 12))
			b = append(b, "\"\n"...)
		}
		b = kvStr(b, "education", pick(g, educations))
		applied := published - 200 - day(g.intn(1200))
		b = kvDate(b, "applied", applied)
		if purpose == "membership" && g.chance(60) {
			b = kvDate(b, "activist_since", applied+30+day(g.intn(150)))
		}
		switch purpose {
		case "membership":
			b = kvStr(b, "role", "development target 发展对象")
		case "appointment":
			b = kvStr(b, "role", pick(g, []string{"Deputy director, mediation committee", "Forest patrol leader", "村委会副主任", "Secretary, youth league branch"}))
		case "election":
			b = kvStr(b, "role", "branch committee member 支部委员")
		case "award":
			b = kvStr(b, "role", "outstanding party member 优秀党员")
		default:
			b = kvStr(b, "role", pick(g, posts))
		}
		if g.chance(20) {
			b = kvStr(b, "note", "Follow-up visit done 已完成走访。")
		}
		b = append(b, "\n[candidates.private]\n"...)
		b = append(b, "id_number = \"PRIVATE-MARKER-"...)
		b = append(b, id...)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(k), 10)
		b = append(b, "\"\nphone = \"PRIVATE-PHONE-"...)
		b = append(b, id...)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(k), 10)
		b = append(b, "\"\n"...)
	}
	g.buf = b
	path, err := g.recordPath("notices", u.id, py, id)
	if err != nil {
		return err
	}
	return g.flush(path)
}

// ------------------------------------------------------------------- ratings

var posts = []string{
	"Red-and-white council member 红白理事会",
	"Mediation committee member 调解委员会",
	"Forest patrol 护林巡逻",
	"Anti-gambling association 禁赌协会",
	"Customs-reform group 移风易俗小组",
	"Leader, science-and-technology sheep association",
	"Drinking-water well keeper 饮水井管护",
	"Policy publicity 政策宣传",
	"Visits to elderly living alone 关爱空巢老人",
	"Environmental sanitation 环境卫生监督",
}

var duties = []string{
	"Trains 30 households in breeding",
	"Patrols 2,000 mu of forest every week 每周巡山",
	"Settles neighbourhood disputes 调解邻里纠纷",
	"Keeps weddings and funerals frugal 婚丧从简",
	"Checks the well pump monthly",
	"Reads new policies aloud at the monthly meeting",
	"Visits five elderly households a week 每周走访五户",
}

var criteria = []string{"Duty", "Participation", "Example"}

func (g *gen) rating(i int) error {
	g.seed(3, i)
	id := fmt.Sprintf("r-%06d", i+1)
	ui := g.intn(len(units))
	u := units[ui]
	rated := g.today - day(g.intn(historyDays))
	ry, rm, _ := rated.ymd()
	// A board rated early in a year rates the year before.
	py := ry
	if rm <= 3 {
		py--
	}
	period := strconv.Itoa(py)
	if g.chance(30) {
		switch {
		case rm <= 3:
			period += "-H2"
		case rm >= 7 && rm <= 9:
			period += "-H1"
		}
	}
	var previous string
	if g.chance(70) {
		rs := g.recentR[ui]
		for k := len(rs) - 1; k >= 0 && k >= len(rs)-40; k-- {
			if rs[k].rated < rated {
				previous = rs[k].id
				break
			}
		}
	}
	withCriteria := g.chance(50)

	b := append(g.buf[:0], "title = "...)
	b = appendStr(b, period+" member posts and star ratings — "+u.name+" 党员设岗定责星级评定")
	b = append(b, '\n')
	b = kvStr(b, "unit", u.id)
	b = kvStr(b, "period", period)
	b = kvDate(b, "rated", rated)
	b = kvInt(b, "max_stars", 5)
	if withCriteria {
		b = append(b, "criteria = [\"Duty\", \"Participation\", \"Example\"]\n"...)
	}
	if previous != "" {
		b = kvStr(b, "previous", previous)
	}
	b = append(b, "body = \"\"\"\n"...)
	b = append(b, "Posts set for members without jobs, rated by the **branch meeting** and the villagers' representatives. 无职党员设岗定责，群众评议。\n\n- ★★★★★ excellent 优秀\n- ★★★ adequate 合格\n\nMethod: see [the rules](https://rules.example.org/stars).\n\"\"\"\n"...)

	ne := g.between(3, 15)
	start := g.intn(4)
	for k := 0; k < ne; k++ {
		b = append(b, "\n[[entries]]\n"...)
		b = kvStr(b, "name", unitPerson(ui, start+k))
		b = kvStr(b, "post", pick(g, posts))
		if g.chance(80) {
			b = kvStr(b, "duty", pick(g, duties))
		}
		if withCriteria {
			b = append(b, "scores = ["...)
			for c := range criteria {
				if c > 0 {
					b = append(b, ", "...)
				}
				b = strconv.AppendInt(b, int64(g.between(0, 5)), 10)
			}
			b = append(b, "]\n"...)
		} else {
			b = kvInt(b, "stars", g.between(0, 5))
		}
		if g.chance(10) {
			b = kvStr(b, "note", "Moved to the county town in autumn 秋季外出务工")
		}
	}
	g.buf = b
	g.recentR[ui] = append(g.recentR[ui], ratingRef{id, rated})
	path, err := g.recordPath("ratings", u.id, ry, id)
	if err != nil {
		return err
	}
	return g.flush(path)
}

// unitPerson names the k-th member of unit u: the same people recur in a
// unit's successive ratings, so changes against previous can be shown.
func unitPerson(u, k int) string {
	return pinyinSurnames[(u+k)%len(pinyinSurnames)] + " " + pinyinGiven[(u*3+k*7)%len(pinyinGiven)]
}

// --------------------------------------------------------------------- data

type unit struct {
	id, name, zh, kind string
	members            int
}

var units = []unit{
	{"xinfang", "Xinfang Village Branch", "新房村", "rural", 48},
	{"gangou-yao", "Gangou Yao Village Branch", "干沟窑村", "rural", 36},
	{"dongpo", "Dongpo Village Branch", "东坡村", "rural", 31},
	{"xiwan", "Xiwan Village Branch", "西湾村", "rural", 29},
	{"nantai", "Nantai Village Branch", "南台村", "rural", 22},
	{"beiliang", "Beiliang Village Branch", "北梁村", "rural", 19},
	{"huangtuliang", "Huangtuliang Village Branch", "黄土梁村", "rural", 25},
	{"shuiquan", "Shuiquan Village Branch", "水泉村", "rural", 17},
	{"dahe", "Dahe Village Branch", "大河村", "rural", 33},
	{"xiaohe", "Xiaohe Village Branch", "小河村", "rural", 14},
	{"liujiazhuang", "Liujiazhuang Village Branch", "刘家庄村", "rural", 27},
	{"wangjiagou", "Wangjiagou Village Branch", "王家沟村", "rural", 21},
	{"zhaojiayao", "Zhaojiayao Village Branch", "赵家窑村", "rural", 16},
	{"baiyangshu", "Baiyangshu Village Branch", "白杨树村", "rural", 12},
	{"township-office", "Township Government Branch", "乡政府机关", "institutional", 12},
	{"health-center", "Township Health Center Branch", "乡卫生院", "institutional", 7},
	{"middle-school", "Township Middle School Branch", "乡中学", "school", 3},
	{"central-primary", "Central Primary School Branch", "中心小学", "school", 5},
	{"fluorite-plant", "Fluorite Plant Branch", "萤石厂", "enterprise", 4},
	{"buckthorn-coop", "Sea Buckthorn Cooperative Branch", "沙棘合作社", "enterprise", 6},
}

var pinyinSurnames = []string{"Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu",
	"Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo"}

var pinyinGiven = []string{"Ming", "Changyu", "Hong", "Jun", "Xiuying", "Guiying", "Jianguo", "Yan", "Li", "Fang",
	"Wei", "Qiang", "Lei", "Jing", "Hui", "Chunmei", "Haitao", "Xiaodong", "Yufeng", "Lanying"}

var pinyinMale = []string{"Ming", "Changyu", "Jun", "Jianguo", "Wei", "Qiang", "Lei", "Haitao", "Xiaodong", "Yufeng"}

var pinyinFemale = []string{"Xiuying", "Guiying", "Yan", "Li", "Fang", "Jing", "Hui", "Chunmei", "Lanying", "Hong"}

var hanSurnames = []string{"李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "高"}

var hanMale = []string{"明", "长玉", "军", "建国", "伟", "强", "海涛", "晓东"}

var hanFemale = []string{"红", "秀英", "桂英", "艳", "丽", "芳", "春梅", "兰英"}
