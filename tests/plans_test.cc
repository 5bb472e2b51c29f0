// Integration tests for plans (预案) against the real server: the CLI forms scripts depend on
// (`failsafe plan import FILE` then `failsafe plan approve KEY`), YAML import/export round
// trips, validation errors with line and field and nothing half-imported, the version
// lifecycle, permissions and the audit trail.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/fixture.h"

namespace failsafe::testing {
namespace {

namespace bj = boost::json;

std::string ExamplePath(const std::string& name) {
  return std::string(FAILSAFE_TESTS_DIR) + "/../examples/plans/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

class PlansTest : public ServerFixture {
 protected:
  CommandResult Cli(std::vector<std::string> args) {
    return RunCommand(FailsafeBinary(), args,
                      {{"FAILSAFE_SERVER", server().url()}, {"FAILSAFE_TOKEN", admin_token()}});
  }
  static bj::value Json(const CommandResult& r) {
    boost::system::error_code ec;
    bj::value v = bj::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out << r.err;
    return v;
  }
  // A small valid plan with key `key`.
  static std::string SmallPlan(const std::string& key) {
    return "key: " + key + R"(
title: {en: Small plan, zh-CN: 小预案}
steps:
  - key: s1
    phase: report
    role: commander
    title: Report
templates:
  - stage: investigating
    audience: internal
    en: {title: "{{incident.title}}", body: "ETA {{eta}}"}
)";
  }
  TempDir tmp_;
};

TEST_F(PlansTest, CliImportThenApproveTheReferencePlan) {
  // The exact sequence scripts use.
  auto imported = Cli({"plan", "import", ExamplePath("pm-system-outage.yaml")});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  EXPECT_NE(imported.out.find("pm-system-outage"), std::string::npos) << imported.out;
  auto approved = Cli({"plan", "approve", "pm-system-outage"});
  ASSERT_EQ(approved.exit_code, 0) << approved.out << approved.err;
  EXPECT_NE(approved.out.find("approved"), std::string::npos) << approved.out;

  auto show = Cli({"plan", "show", "pm-system-outage", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  bj::object plan = Json(show).as_object();
  EXPECT_EQ(plan["status"].as_string(), "approved");
  EXPECT_EQ(plan["approved_by"].as_string(), "admin");
  EXPECT_FALSE(plan["approved_at"].is_null());
  EXPECT_FALSE(plan["next_review_at"].is_null());
  EXPECT_EQ(plan["services"].as_array().at(0).as_string(), "jira");
  EXPECT_GE(plan["steps"].as_array().size(), 6u);
  EXPECT_EQ(plan["title"].as_object()["zh-CN"].as_string(), "项目管理系统（Jira）不可用");

  // Human output works too.
  auto text = Cli({"plan", "show", "pm-system-outage"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("confirm-cause"), std::string::npos) << text.out;
  auto list = Cli({"plan", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0);
  bool found = false;
  const bj::value listed = Json(list);
  for (const auto& item : listed.as_array()) {
    if (item.as_object().at("key").as_string() == "pm-system-outage") {
      found = true;
      EXPECT_EQ(item.as_object().at("approved_version").as_int64(), 1);
    }
  }
  EXPECT_TRUE(found) << list.out;
  auto overdue = Cli({"plan", "list", "--overdue", "--json"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  EXPECT_TRUE(Json(overdue).as_array().empty()) << overdue.out;  // just approved

  // The approval is audited with who approved which version.
  auto audit = AdminClient().Get("/api/v1/audit?action=plan.approve");
  ASSERT_EQ(audit.status, 200) << audit.body;
  bool audited = false;
  const bj::value entries = audit.Json();
  for (const auto& e : entries.as_object().at("items").as_array()) {
    const auto& o = e.as_object();
    if (o.at("target_id").as_string() == "pm-system-outage") {
      audited = true;
      EXPECT_EQ(o.at("actor").as_string(), "admin");
      EXPECT_EQ(o.at("detail").as_object().at("version").as_int64(), 1);
    }
  }
  EXPECT_TRUE(audited) << audit.body;
}

TEST_F(PlansTest, ExportReimportsToTheSameContent) {
  auto imported = Cli({"plan", "import", ExamplePath("data-loss.yaml"), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const int64_t v1 = Json(imported).as_object().at("version").as_int64();
  const std::string file = tmp_.path() + "/data-loss.yaml";
  auto exported = Cli({"plan", "export", "data-loss", "-o", file});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string first = ReadFile(file);
  EXPECT_NE(first.find("key: data-loss"), std::string::npos) << first;
  EXPECT_NE(first.find("数据丢失或损坏"), std::string::npos);

  auto again = Cli({"plan", "import", file, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Json(again).as_object().at("version").as_int64(), v1 + 1);
  auto second = AdminClient().Get("/api/v1/plans/data-loss/export");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(second.headers["content-type"].rfind("application/yaml", 0), 0u);
  EXPECT_EQ(second.body, first);
  // Older versions stay exportable and unchanged.
  auto old = AdminClient().Get("/api/v1/plans/data-loss/export?version=" + std::to_string(v1));
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(old.body, first);

  auto versions = AdminClient().Get("/api/v1/plans/data-loss/versions");
  ASSERT_EQ(versions.status, 200);
  EXPECT_EQ(versions.Json().as_object().at("items").as_array().size(), 2u);
}

TEST_F(PlansTest, ValidationErrorsNameTheLineAndFieldAndImportNothing) {
  std::string text = ReadFile(ExamplePath("pm-system-outage.yaml"));
  text.replace(text.find("key: pm-system-outage"), 21, "key: broken-plan");
  const size_t role_at = text.find("role: tech_support");
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + role_at, '\n'));
  text.replace(role_at, 18, "role: dba");
  const std::string file = tmp_.path() + "/pm-system-outage.yaml";
  WriteFile(file, text);
  auto r = Cli({"plan", "import", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pm-system-outage.yaml:" + std::to_string(line) +
                       ": steps[1].role: unknown role 'dba' (declared: commander, tech_support"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(AdminClient().Get("/api/v1/plans/broken-plan").status, 404);

  // Raw YAML body, with ?filename= naming it; an unknown template variable.
  std::string bad_var = SmallPlan("bad-var");
  bad_var.replace(bad_var.find("{{eta}}"), 7, "{{incident.eta}}");
  auto raw =
      AdminClient().Post("/api/v1/plans/import?filename=bad-var.yaml", bad_var, "application/yaml");
  EXPECT_EQ(raw.status, 400) << raw.body;
  EXPECT_NE(raw.body.find("bad-var.yaml:11: templates[0].en.body: unknown template variable "
                          "'incident.eta'"),
            std::string::npos)
      << raw.body;
  EXPECT_EQ(raw.Json().as_object().at("error").as_object().at("field").as_string(),
            "templates[0].en.body");
  EXPECT_EQ(AdminClient().Get("/api/v1/plans/bad-var").status, 404);

  // A dry run (the console's editor checks before saving): the same errors, and for a good
  // document the plan it describes, with nothing stored.
  auto dry_bad = AdminClient().Post("/api/v1/plans/import?filename=bad-var.yaml&dry_run=true",
                                    bad_var, "application/yaml");
  EXPECT_EQ(dry_bad.status, 400) << dry_bad.body;
  EXPECT_NE(dry_bad.body.find("bad-var.yaml:11: templates[0].en.body"), std::string::npos);
  auto dry_good =
      AdminClient().Post("/api/v1/plans/import?dry_run=true", SmallPlan("dry"), "application/yaml");
  ASSERT_EQ(dry_good.status, 200) << dry_good.body;
  EXPECT_EQ(dry_good.Json().as_object().at("key").as_string(), "dry");
  EXPECT_EQ(AdminClient().Get("/api/v1/plans/dry").status, 404) << "a dry run stored a version";
  EXPECT_EQ(AdminClient()
                .Post("/api/v1/plans/import?dry_run=maybe", SmallPlan("dry"), "application/yaml")
                .status,
            400);

  // Garbage, wrong media types and bad versions are 4xx, never 5xx.
  EXPECT_EQ(AdminClient().Post("/api/v1/plans/import", "{{{{", "application/yaml").status, 400);
  EXPECT_EQ(AdminClient().Post("/api/v1/plans/import", "key: x", "text/plain").status, 415);
  EXPECT_EQ(AdminClient().Post("/api/v1/plans/import", "", "application/yaml").status, 400);
  EXPECT_EQ(AdminClient().Get("/api/v1/plans/nope").status, 404);
  EXPECT_EQ(AdminClient().Get("/api/v1/plans?review=soon").status, 400);
  auto unknown = Cli({"plan", "approve", "no-such-plan"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no plan with key 'no-such-plan'"), std::string::npos) << unknown.err;
}

TEST_F(PlansTest, LifecycleAndPermissions) {
  HttpClient responder = ClientForNewUser("plan-responder", "responder");
  HttpClient viewer = ClientForNewUser("plan-viewer", "viewer");
  EXPECT_EQ(viewer.Post("/api/v1/plans/import", SmallPlan("life"), "application/yaml").status, 403);
  auto imported = responder.Post("/api/v1/plans/import", SmallPlan("life"), "text/yaml");
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.Json().as_object().at("created_by").as_string(), "plan-responder");

  auto submitted = responder.Post("/api/v1/plans/life/submit", "");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.Json().as_object().at("status").as_string(), "in_review");
  EXPECT_EQ(responder.Post("/api/v1/plans/life/submit", "").status, 409);
  EXPECT_EQ(responder.Post("/api/v1/plans/life/approve", "").status, 403);
  EXPECT_EQ(viewer.Get("/api/v1/plans/life").status, 200);

  auto approved = AdminClient().Post("/api/v1/plans/life/approve", R"({"version":1})");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json().as_object().at("status").as_string(), "approved");

  // Version 2, approved straight from draft, retires version 1.
  ASSERT_EQ(responder.Post("/api/v1/plans/import", SmallPlan("life"), "text/yaml").status, 201);
  auto v2 = AdminClient().Post("/api/v1/plans/life/approve", "");
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(v2.Json().as_object().at("version").as_int64(), 2);
  auto v1 = AdminClient().Get("/api/v1/plans/life?version=1");
  EXPECT_EQ(v1.Json().as_object().at("status").as_string(), "retired");
  EXPECT_EQ(AdminClient().Post("/api/v1/plans/life/approve", R"({"version":1})").status, 409);
  EXPECT_EQ(AdminClient().Post("/api/v1/plans/life/approve", R"({"version":"x"})").status, 400);
  EXPECT_EQ(AdminClient().Get("/api/v1/plans/life?version=0").status, 400);
  EXPECT_EQ(AdminClient().Get("/api/v1/plans/life?version=9").status, 404);

  // The periodic review: admin only, moves the next review date, audited.
  EXPECT_EQ(responder.Post("/api/v1/plans/life/reviewed", "").status, 403);
  auto reviewed = Cli({"plan", "reviewed", "life"});
  ASSERT_EQ(reviewed.exit_code, 0) << reviewed.err;
  EXPECT_NE(reviewed.out.find("marked reviewed plan life version 2"), std::string::npos)
      << reviewed.out;
  EXPECT_NE(reviewed.out.find("next review: "), std::string::npos) << reviewed.out;
  auto review_audit = AdminClient().Get("/api/v1/audit?action=plan.review");
  EXPECT_NE(review_audit.body.find("\"life\""), std::string::npos) << review_audit.body;

  auto retired = Cli({"plan", "retire", "life", "--json"});
  ASSERT_EQ(retired.exit_code, 0) << retired.err;
  EXPECT_EQ(Json(retired).as_object().at("version").as_int64(), 2);
  EXPECT_EQ(Json(retired).as_object().at("status").as_string(), "retired");
  auto list = AdminClient().Get("/api/v1/plans");
  const bj::value plans = list.Json();
  for (const auto& item : plans.as_object().at("items").as_array()) {
    if (item.as_object().at("key").as_string() == "life") {
      EXPECT_TRUE(item.as_object().at("approved_version").is_null());
    }
  }
  // Nothing approved is left to review: a clear 409 through the CLI (exit 1).
  auto nothing = Cli({"plan", "reviewed", "life"});
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("the approved version is reviewed"), std::string::npos) << nothing.err;
}

}  // namespace
}  // namespace failsafe::testing
