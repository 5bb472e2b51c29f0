#include "plans/template.h"

#include <gtest/gtest.h>

namespace failsafe::plans {
namespace {

TEST(TemplateTest, RendersKnownVariablesAndDottedNames) {
  TemplateVars vars{
      {"incident.title", "Jira down"}, {"incident.severity", "P1"}, {"eta", "30 min"}};
  EXPECT_EQ(RenderTemplate("[{{incident.severity}}] {{ incident.title }}, ETA {{eta}}", vars),
            "[P1] Jira down, ETA 30 min");
}

TEST(TemplateTest, MissingValuesRenderEmpty) {
  EXPECT_EQ(RenderTemplate("ETA: {{eta}}.", {}), "ETA: .");
}

TEST(TemplateTest, EscapedBracesAreLiteral) {
  EXPECT_TRUE(CheckTemplate("write \\{{name}} to mean a variable").ok());
  EXPECT_EQ(RenderTemplate("write \\{{name}} here", {{"name", "x"}}), "write {{name}} here");
  // A lone backslash and a lone "}}" are plain text.
  EXPECT_EQ(RenderTemplate("a\\b }} c", {}), "a\\b }} c");
}

TEST(TemplateTest, ValuesAreNotReexpanded) {
  EXPECT_EQ(RenderTemplate("{{message}}", {{"message", "{{incident.title}}"}}),
            "{{incident.title}}");
}

TEST(TemplateTest, RejectsUnknownVariableWithOffset) {
  size_t offset = 0;
  Status st = CheckTemplate("Hello\n{{incident.foo}}", &offset);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("unknown template variable 'incident.foo'"), std::string::npos)
      << st.message();
  EXPECT_EQ(offset, 6u);
}

TEST(TemplateTest, RejectsBadSyntax) {
  EXPECT_FALSE(CheckTemplate("{{incident.title").ok());
  EXPECT_FALSE(CheckTemplate("{{ }}").ok());
  EXPECT_FALSE(CheckTemplate("{{Incident.Title}}").ok());
  EXPECT_FALSE(CheckTemplate("{{incident..title}}").ok());
  EXPECT_FALSE(CheckTemplate("{{incident.title\n}}").ok());
  EXPECT_NE(CheckTemplate("{{x").message().find("unterminated"), std::string::npos);
}

TEST(TemplateTest, RenderKeepsMalformedTextLiterally) {
  EXPECT_EQ(RenderTemplate("ok {{eta}} then {{broken", {{"eta", "5m"}}), "ok 5m then {{broken");
}

TEST(TemplateTest, KnownVariablesIncludeTheDocumentedSet) {
  for (const char* name :
       {"incident.id", "incident.title", "incident.severity", "incident.severity_name",
        "incident.status", "incident.services", "incident.url", "incident.started_at",
        "incident.commander", "plan.key", "plan.title", "eta", "message", "now", "fallback.tool",
        "fallback.location"}) {
    EXPECT_TRUE(KnownTemplateVariables().contains(name)) << name;
    EXPECT_TRUE(CheckTemplate(std::string("{{") + name + "}}").ok()) << name;
  }
}

}  // namespace
}  // namespace failsafe::plans
