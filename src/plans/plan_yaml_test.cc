#include "plans/plan_yaml.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace failsafe::plans {
namespace {

const char kMinimal[] = R"(key: printer-down
title:
  en: Printer down
  zh-CN: 打印机故障
owner: it-lead
services: [printers]
steps:
  - key: report
    phase: report
    role: commander
    title: Report it
    expected_duration: 15m
  - key: fix
    phase: respond
    role: tech_support
    title: {en: Fix it, zh-CN: 修复}
    required: false
    instructions:
      en: |
        Call **the vendor**.
        Then wait.
      zh-CN: |
        联系厂商。
templates:
  - stage: investigating
    audience: internal
    en:
      title: "[{{incident.severity}}] {{incident.title}}"
      body: |
        We are investigating.
        ETA {{eta}}.
)";

Result<PlanVersion> Parse(const std::string& text) {
  return ParsePlanYaml(text, "t.yaml");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PlanYamlTest, ParsesAMinimalPlanWithDefaults) {
  auto p = Parse(kMinimal);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->key, "printer-down");
  EXPECT_EQ(p->title_en, "Printer down");
  EXPECT_EQ(p->title_zh, "打印机故障");
  EXPECT_EQ(p->services, std::vector<std::string>{"printers"});
  EXPECT_EQ(p->roles.size(), DefaultRoles().size());
  EXPECT_EQ(p->review_interval_days, 365);
  ASSERT_EQ(p->steps.size(), 2u);
  EXPECT_EQ(p->steps[0].expected_duration_ms, 15 * 60 * 1000);
  EXPECT_TRUE(p->steps[0].required);
  EXPECT_EQ(p->steps[0].title_zh, "Report it");  // a plain string serves both languages
  EXPECT_FALSE(p->steps[1].required);
  EXPECT_EQ(p->steps[1].instructions_en, "Call **the vendor**.\nThen wait.\n");
  EXPECT_EQ(p->steps[1].instructions_zh, "联系厂商。\n");
  ASSERT_EQ(p->templates.size(), 1u);
  EXPECT_EQ(p->templates[0].language, "en");
  // No zh-CN template: FindTemplate falls back to the English one.
  const PlanTemplate* t = FindTemplate(*p, "investigating", "internal", "zh-CN");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->language, "en");
  EXPECT_EQ(FindTemplate(*p, "resolved", "internal", "en"), nullptr);
}

TEST(PlanYamlTest, UnknownRoleNamesLineFieldAndDeclaredRoles) {
  std::string text = kMinimal;
  text.replace(text.find("role: tech_support"), 18, "role: dba");
  auto p = Parse(text);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message(),
            "t.yaml:15: steps[1].role: unknown role 'dba' (declared: commander, tech_support, "
            "business_coordinator, comms_liaison, logistics)");
  EXPECT_EQ(p.error().field(), "steps[1].role");
}

TEST(PlanYamlTest, UnknownTemplateVariableNamesTheLineInsideTheBlock) {
  std::string text = kMinimal;
  text.replace(text.find("ETA {{eta}}"), 11, "ETA {{incident.eta}}");
  auto p = Parse(text);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message().rfind("t.yaml:31: templates[0].en.body: unknown template "
                                      "variable 'incident.eta'",
                                      0),
            0u)
      << p.error().message();
}

TEST(PlanYamlTest, UnknownTemplateVariableIsAcceptedWhenLenient) {
  std::string text = kMinimal;
  text.replace(text.find("ETA {{eta}}"), 11, "ETA {{incident.eta}}");
  ParseOptions lenient;
  lenient.check_template_variables = false;
  EXPECT_TRUE(ParsePlanYaml(text, "t.yaml", lenient));
}

TEST(PlanYamlTest, Errors) {
  struct Case {
    std::string from, to, expected;
  };
  const std::vector<Case> cases = {
      {"owner: it-lead", "ownr: it-lead", "t.yaml:5: ownr: unknown field"},
      {"phase: respond", "phase: fix", "t.yaml:14: steps[1].phase: 'fix' is not one of report"},
      {"expected_duration: 15m", "expected_duration: soon",
       "t.yaml:12: steps[0].expected_duration: 'soon' is not a duration"},
      {"key: fix", "key: report", "t.yaml:13: steps[1].key: step 'report' declared twice"},
      {"key: printer-down", "key: Printer Down",
       "t.yaml:1: key: 'Printer Down' is not a valid key"},
      {"required: false", "required: maybe", "t.yaml:17: steps[1].required: must be true or false"},
      {"audience: internal", "audience: press",
       "t.yaml:26: templates[0].audience: 'press' is not one of internal, customers, leadership"},
      {"services: [printers]", "services: [printers, printers]",
       "t.yaml:6: services[1]: service 'printers' listed twice"},
      {"title:\n  en: Printer down\n  zh-CN: 打印机故障\n", "", "t.yaml:1: title: required"},
      {"  zh-CN: 打印机故障", "  fr: Imprimante", "t.yaml:4: title.fr: unknown field"},
      {"services: [printers]", "services: [printers", "t.yaml:7: YAML syntax error"},
  };
  for (const auto& c : cases) {
    std::string text = kMinimal;
    const size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    auto p = Parse(text);
    ASSERT_FALSE(p) << c.to;
    EXPECT_EQ(p.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(p.error().message().rfind(c.expected, 0), 0u)
        << "got: " << p.error().message() << "\nwant prefix: " << c.expected;
  }
}

TEST(PlanYamlTest, RejectsNonPlans) {
  EXPECT_FALSE(Parse(""));
  EXPECT_FALSE(Parse("- a\n- b\n"));
  EXPECT_FALSE(Parse("just text"));
  EXPECT_FALSE(Parse("key: k\ntitle: t\n"));  // no steps
  EXPECT_FALSE(Parse(std::string("key: k\ntitle: \xff\n")));
}

TEST(PlanYamlTest, DeclaredRolesReplaceTheDefaults) {
  std::string text = kMinimal;
  text += "roles:\n  - key: commander\n    name: Boss\n  - key: tech_support\n    name: Tech\n";
  auto p = Parse(text);
  ASSERT_TRUE(p) << p.error().message();
  ASSERT_EQ(p->roles.size(), 2u);
  EXPECT_EQ(p->roles[1].name_zh, "Tech");
}

void ExpectRoundTrip(const PlanVersion& p) {
  const std::string once = EmitPlanYaml(p);
  auto again = ParsePlanYaml(once, "export.yaml");
  ASSERT_TRUE(again) << again.error().message() << "\n" << once;
  EXPECT_EQ(EmitPlanYaml(*again), once);
}

TEST(PlanYamlTest, ExportParsesBackToTheSameContent) {
  auto p = Parse(kMinimal);
  ASSERT_TRUE(p);
  ExpectRoundTrip(*p);
  // Awkward strings: quotes, colons, leading spaces, trailing newlines, tabs, YAML words.
  p->owner = "yes";
  p->summary_en = "  indented first line\nsecond: x\n\n";
  p->summary_zh = "no trailing newline\n# not a comment";
  p->steps[0].title_en = "\"quoted\" and 'single' # hash: colon";
  p->steps[0].instructions_en = "tab\there\r\nCRLF";
  p->steps[0].instructions_zh = "制表\t符";
  p->steps[1].instructions_en = "line with trailing space \nnext";
  p->fallback_location = "\\\\fs01\\offline-pack\\";
  p->services = {"123", "null", "a b"};
  p->next_review_at = 1'800'000'000'000;
  ExpectRoundTrip(*p);
  auto back = ParsePlanYaml(EmitPlanYaml(*p), "x.yaml");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->summary_en, p->summary_en);
  EXPECT_EQ(back->summary_zh, p->summary_zh);
  EXPECT_EQ(back->steps[0].title_en, p->steps[0].title_en);
  EXPECT_EQ(back->steps[0].instructions_en, p->steps[0].instructions_en);
  EXPECT_EQ(back->steps[1].instructions_en, p->steps[1].instructions_en);
  EXPECT_EQ(back->fallback_location, p->fallback_location);
  EXPECT_EQ(back->services, p->services);
  EXPECT_EQ(back->owner, "yes");
  EXPECT_EQ(back->next_review_at, p->next_review_at);
}

class ExamplePlanTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ExamplePlanTest, ImportsCleanlyIsBilingualAndRoundTrips) {
  const std::string file = GetParam() + ".yaml";
  const std::string text = ReadFile(std::string(FAILSAFE_SOURCE_DIR) + "/examples/plans/" + file);
  ASSERT_FALSE(text.empty()) << file;
  auto p = ParsePlanYaml(text, file);
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_EQ(p->key, GetParam());
  EXPECT_NE(p->title_en, p->title_zh);
  EXPECT_FALSE(p->scenarios.empty());
  EXPECT_FALSE(p->recovery.empty());
  EXPECT_FALSE(p->verification.empty());
  EXPECT_FALSE(p->contacts.empty());
  EXPECT_FALSE(p->fallback_md_en.empty());
  EXPECT_NE(p->fallback_md_en, p->fallback_md_zh);
  for (const auto& phase : StepPhases()) {
    EXPECT_TRUE(std::any_of(p->steps.begin(), p->steps.end(),
                            [&](const PlanStep& s) { return s.phase == phase; }))
        << "no step in phase " << phase;
  }
  for (const auto& s : p->steps) {
    EXPECT_NE(s.title_en, s.title_zh) << s.key << " is not bilingual";
    EXPECT_NE(s.instructions_en, s.instructions_zh) << s.key << " is not bilingual";
  }
  for (const auto& stage : TemplateStages()) {
    for (const char* audience : {"internal", "customers"}) {
      for (const auto& language : TemplateLanguages()) {
        const PlanTemplate* t = FindTemplate(*p, stage, audience, language);
        ASSERT_NE(t, nullptr) << stage << "/" << audience;
        EXPECT_EQ(t->language, language) << stage << "/" << audience;
      }
    }
  }
  ExpectRoundTrip(*p);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExamplePlanTest,
                         ::testing::Values("pm-system-outage", "data-loss"));

}  // namespace
}  // namespace failsafe::plans
