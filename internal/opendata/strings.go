package opendata

import (
	"fmt"
	"strings"
)

// uiStrings are the texts the feeds use, in English and Chinese. Most keys
// are the default theme's (i18n/en.toml, i18n/zh-CN.toml), so that
// Data.UseStrings can hand over a board's overrides; the feed_* keys that
// the theme lacks are this package's own.
var uiStrings = map[string][2]string{
	"colon":                     {": ", "："},
	"feed_title":                {"Latest notices and updates", "最新公示与进展"},
	"unit_feed_title":           {"Latest notices and updates of %s", "%s 的最新公示与进展"},
	"feed_update_title":         {"Update: %s", "进展：%s"},
	"feed_new_commitment":       {"New commitment: %s", "新承诺：%s"},
	"issuer":                    {"Issued by", "发布单位"},
	"purpose":                   {"Purpose", "公示事项"},
	"purpose_membership":        {"Party membership", "发展党员"},
	"purpose_appointment":       {"Appointment", "干部任用"},
	"purpose_election":          {"Election", "选举"},
	"purpose_award":             {"Award", "评优表彰"},
	"purpose_other":             {"Other", "其他"},
	"stage":                     {"Stage", "阶段"},
	"window":                    {"Notice period", "公示期"},
	"working_days_one":          {"%d working day", "%d 个工作日"},
	"working_days_other":        {"%d working days", "%d 个工作日"},
	"candidates":                {"Candidates", "公示对象"},
	"redacted_note_one":         {"The details of the %d candidate were removed from this board after the notice period, to protect their privacy.", "公示期满后，为保护个人信息，%d 名公示对象的详细信息已从公开栏撤下。"},
	"redacted_note_other":       {"The details of the %d candidates were removed from this board after the notice period, to protect their privacy.", "公示期满后，为保护个人信息，%d 名公示对象的详细信息已从公开栏撤下。"},
	"outcome_heading":           {"Outcome", "公示结果"},
	"outcome_objections":        {"Objections received", "收到异议"},
	"objections_received_one":   {"%d objection", "%d 件"},
	"objections_received_other": {"%d objections", "%d 件"},
	"filter_status":             {"Status", "状态"},
	"status_planned":            {"Planned", "计划中"},
	"status_in_progress":        {"In progress", "推进中"},
	"status_stalled":            {"Stalled", "停滞"},
	"status_done":               {"Done", "已完成"},
	"status_partial":            {"Partly done", "部分完成"},
	"status_missed":             {"Missed", "未完成"},
	"status_dropped":            {"Dropped", "已取消"},
	"owner":                     {"Accountable", "责任人"},
	"due":                       {"Due", "完成时限"},
	"target":                    {"Target", "目标"},
	"progress_pct":              {"%d%% done", "已完成 %d%%"},
	"evidence":                  {"Evidence:", "佐证材料："},
	"period":                    {"Period", "评定周期"},
	"rated_on":                  {"Rated", "评定日期"},
	"mean":                      {"Average", "平均星级"},
	"stars_label_one":           {"%d of %d stars", "%d 星（满分 %d 星）"},
	"stars_label_other":         {"%d of %d stars", "%d 星（满分 %d 星）"},
	"entries_count_one":         {"%d rated", "共 %d 人（个）参评"},
	"entries_count_other":       {"%d rated", "共 %d 人（个）参评"},
	"unit":                      {"Unit", "所属组织"},
	"new":                       {"new", "新"},
}

// builtinStrings returns the strings of a language ("zh-CN", "zh"…, else
// English).
func builtinStrings(lang string) map[string]string {
	i := 0
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		i = 1
	}
	m := make(map[string]string, len(uiStrings))
	for k, v := range uiStrings {
		m[k] = v[i]
	}
	return m
}

// t returns the string of key.
func (d *Data) t(key string) string { return d.strs[key] }

// tf formats the string of key.
func (d *Data) tf(key string, args ...any) string { return fmt.Sprintf(d.strs[key], args...) }

// tn formats the plural string of key (key_one or key_other) with n first.
func (d *Data) tn(key string, n int, args ...any) string {
	form := key + "_other"
	if n == 1 {
		form = key + "_one"
	}
	return fmt.Sprintf(d.strs[form], append([]any{n}, args...)...)
}
