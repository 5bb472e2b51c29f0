#include <gtest/gtest.h>

#include "postmortems/export_document.h"

namespace failsafe::postmortems {
namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kT0 = 1'780'000'000'000;

PostmortemView View() {
  PostmortemView v;
  v.incident.id = 1;
  v.incident.ref = "INC-2026-0001";
  v.incident.title = "Jira <unreachable>";
  v.incident.severity = "P1";
  v.incident.declared_at = kT0;
  v.incident.acknowledged_at = kT0 + 4 * kMin;
  v.incident.recovered_at = kT0 + 260 * kMin;
  catalog::SeverityLevel s;
  s.level = "P1";
  s.name_en = "Critical";
  s.name_zh = "一级";
  s.ack_target_ms = 5 * kMin;
  s.resolve_target_ms = 240 * kMin;
  v.severity = s;
  v.measures = MeasureIncident(v.incident, v.severity, {}, kT0 + 300 * kMin);
  Postmortem& p = v.postmortem;
  p.id = 3;
  p.title = "Jira <unreachable>";
  p.status = "draft";
  p.summary = "<script>alert('x')</script> & *bold* | pipe";
  p.impacted_services = {"jira"};
  p.users_affected = "300";
  p.root_causes = {{"vendor", "Cloud network failed", {"Jira down", "single cloud"}}};
  p.went_well = {"Excel fallback in 30 min"};
  p.timeline = {{kT0, "alice", "declared", "Declared P1 | Jira"}};
  p.step_evaluations = {{"switch", 1, "respond", "coordinator", "Switch to Excel", false, "missing",
                         "no template link"}};
  v.revisions = ProposeRevisions(p);
  v.actions = {{1, 3, "Second cloud", "bob", "2026-01-01", "open", "", "alice", 0, 0, std::nullopt,
                "INC-2026-0001"}};
  v.today = "2026-06-01";
  return v;
}

TEST(ExportHtml, EscapesEverythingUsersTyped) {
  const std::string html = RenderHtml(BuildDocument(View(), Lang::kEn, kT0));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; *bold*"),
            std::string::npos);
  EXPECT_NE(html.find("<title>Postmortem: Jira &lt;unreachable&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
}

TEST(ExportHtml, ChineseLabels) {
  const std::string html = RenderHtml(BuildDocument(View(), Lang::kZh, kT0));
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("事后复盘"), std::string::npos);
  EXPECT_NE(html.find("根本原因"), std::string::npos);
  EXPECT_NE(html.find("供应商问题"), std::string::npos);
  EXPECT_NE(html.find("未达标"), std::string::npos);  // recovery missed the 4h target
  EXPECT_NE(html.find("一级"), std::string::npos);
}

TEST(ExportMarkdown, SectionsAndEscaping) {
  const std::string md = RenderMarkdown(BuildDocument(View(), Lang::kEn, kT0));
  EXPECT_EQ(md.rfind("# Postmortem: Jira \\<unreachable\\>\n", 0), 0u) << md;
  for (const char* heading :
       {"## Summary", "## Impact", "## Measured times", "## Timeline", "## Root causes",
        "## What went well", "## What went badly", "## Plan evaluation", "## Action items"}) {
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(md.find("\\<script\\>"), std::string::npos);
  EXPECT_NE(md.find("\\*bold\\* \\| pipe"), std::string::npos);
  // A pipe in a table cell does not split the cell.
  EXPECT_NE(md.find("| Declared P1 \\| Jira |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Time to recover | 4h 20m | 4h | missed | +20m |"), std::string::npos) << md;
  EXPECT_NE(md.find("open (overdue)"), std::string::npos);
  EXPECT_NE(md.find("\\[add\\] Add what was missing at step 1"), std::string::npos) << md;
  EXPECT_NE(md.find("1. Why 1: Jira down"), std::string::npos) << md;
}

TEST(ExportMarkdown, LineStartMarkupIsEscaped) {
  EXPECT_EQ(EscapeMarkdown("- not a list"), "\\- not a list");
  EXPECT_EQ(EscapeMarkdown("1. not a list"), "\\1. not a list");
  EXPECT_EQ(EscapeMarkdown("a\nb", MdContext::kLine), "a b");
  EXPECT_EQ(EscapeMarkdown("a\n# b"), "a  \n\\# b");
  EXPECT_EQ(EscapeMarkdown("-5m", MdContext::kTableCell), "-5m");
  EXPECT_EQ(EscapeMarkdown("x|y\nz", MdContext::kTableCell), "x\\|y z");
}

TEST(Labels, DurationsAndLanguages) {
  EXPECT_EQ(HumanDuration(0), "0s");
  EXPECT_EQ(HumanDuration(42'000), "42s");
  EXPECT_EQ(HumanDuration(35 * kMin), "35m");
  EXPECT_EQ(HumanDuration(252 * kMin), "4h 12m");
  EXPECT_EQ(HumanDuration(-2 * kMin), "-2m");
  EXPECT_EQ(HumanDuration(26 * 60 * kMin), "1d 2h");
  EXPECT_TRUE(ParseLang(std::nullopt));
  EXPECT_EQ(*ParseLang(std::string("zh-CN")), Lang::kZh);
  auto bad = ParseLang(std::string("fr"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field(), "lang");
}

}  // namespace
}  // namespace failsafe::postmortems
