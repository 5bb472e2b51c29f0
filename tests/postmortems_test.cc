// Postmortems against the real server binary: an incident declared with the example plan,
// recovered, then its postmortem written and exported from the command line, action items
// tracked to done, and the period report (JSON and CSV). The incident is driven through the
// incidents API (the `failsafe incident` CLI is exercised by tests/incidents_test.cc).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace failsafe::testing {
namespace {

constexpr const char* kPassword = "Correct-Horse-Battery-42";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

boost::json::value ParseOut(const CommandResult& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.out, ec);
  EXPECT_FALSE(ec) << r.out << r.err;
  return ec ? boost::json::value() : v;
}

class Postmortems : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(OptionsFor(dir_.path() + "/data"));
    ASSERT_TRUE(server_->Start()) << server_->log();
    api_ = std::make_unique<HttpClient>(server_->address());
    ASSERT_EQ(api_->Login("admin", kPassword).status, 200);
    token_ = api_->CreateToken("postmortems-test", "admin");
    ASSERT_FALSE(token_.empty());
    api_->ClearAuth();
    api_->SetBearer(token_);
  }

  CommandResult Run(std::vector<std::string> args) {
    return RunCommand(FailsafeBinary(), args,
                      {{"FAILSAFE_SERVER", server_->url()}, {"FAILSAFE_TOKEN", token_}});
  }

  HttpResult Json(const std::string& method, const std::string& target,
                  const boost::json::value& body) {
    return api_->Send(method, target, boost::json::serialize(body),
                      {{"content-type", "application/json"}});
  }

  // The reference story's incident: Jira down, the example plan activated, recovered.
  // Returns its ref.
  std::string RecoveredIncident() {
    EXPECT_EQ(
        Json(
            "POST", "/api/v1/services",
            {{"key", "jira"}, {"name", "Jira"}, {"tier", "critical"}, {"rto", "4h"}, {"rpo", "1h"}})
            .status,
        201);
    const std::string yaml =
        ReadFile(std::string(FAILSAFE_TESTS_DIR) + "/../examples/plans/pm-system-outage.yaml");
    EXPECT_FALSE(yaml.empty());
    auto imported = Json("POST", "/api/v1/plans/import", {{"yaml", yaml}});
    EXPECT_EQ(imported.status, 201) << imported.body;
    Json("POST", "/api/v1/plans/pm-system-outage/submit", boost::json::object{});
    auto approved = Json("POST", "/api/v1/plans/pm-system-outage/approve", boost::json::object{});
    EXPECT_EQ(approved.status, 200) << approved.body;
    auto declared = Json("POST", "/api/v1/incidents",
                         {{"title", "Jira <unreachable> after cloud network failure"},
                          {"severity", "P1"},
                          {"services", boost::json::array{"jira"}},
                          {"plan", "pm-system-outage"}});
    EXPECT_EQ(declared.status, 201) << declared.body;
    if (declared.status != 201) return "";
    return std::string(declared.Json().at("id").as_string());
  }

  bool Move(const std::string& ref, const std::string& action) {
    auto r = Json("POST", "/api/v1/incidents/" + ref + "/transition", {{"action", action}});
    EXPECT_EQ(r.status, 200) << action << ": " << r.body;
    return r.status == 200;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> api_;
  std::string token_;
};

TEST_F(Postmortems, WrittenFromTheCommandLineAfterRecovery) {
  const std::string ref = RecoveredIncident();
  ASSERT_FALSE(ref.empty());

  // Not before recovery.
  auto early = Run({"postmortem", "create", ref});
  EXPECT_EQ(early.exit_code, 1) << early.out;
  EXPECT_NE(early.err.find("recovered"), std::string::npos) << early.err;

  ASSERT_TRUE(Move(ref, "ack"));
  ASSERT_TRUE(Move(ref, "resolve"));

  // The exact form scripts use.
  auto created = Run({"postmortem", "create", ref, "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  auto pm = ParseOut(created).as_object();
  const std::string id = std::to_string(pm.at("id").to_number<int64_t>());
  EXPECT_EQ(pm.at("status").as_string(), "draft");
  EXPECT_EQ(pm.at("incident_ref").as_string(), ref);
  EXPECT_FALSE(pm.at("timeline").as_array().empty());
  const auto& evals = pm.at("step_evaluations").as_array();
  ASSERT_FALSE(evals.empty());  // one per checklist step of the example plan
  const std::string step = std::string(evals[0].at("step_key").as_string());
  // Acknowledged and recovered within seconds: both P1 targets met.
  for (const auto& m : pm.at("measures").as_array()) {
    const auto& name = m.at("name").as_string();
    if (name == "to_acknowledge" || name == "to_recover") {
      EXPECT_EQ(m.at("result").as_string(), "met") << name.c_str();
    }
  }

  // One per incident.
  auto twice = Run({"postmortem", "create", ref});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("already has postmortem"), std::string::npos) << twice.err;

  // Write it (the console's PATCH).
  auto patched = Json(
      "PATCH", "/api/v1/postmortems/" + id,
      {{"summary", "云服务商网络故障导致 Jira 不可用 <4 小时>"},
       {"users_affected", 300},
       {"root_causes",
        boost::json::array{{{"category", "vendor"},
                            {"description", "cloud provider network failure"},
                            {"whys", boost::json::array{"Jira unreachable", "provider network down",
                                                        "only one cloud"}}}}},
       {"went_well", boost::json::array{"switched to the Excel template within 30 minutes"}},
       {"step_evaluations", boost::json::array{{{"step_key", step},
                                                {"verdict", "missing"},
                                                {"comment", "no link to the Excel template"}}}},
       {"extra_revisions", boost::json::array{"Second cloud for Jira; monthly drills"}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  const auto revisions = patched.Json().at("proposed_revisions").as_array();
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].at("step_key").as_string(), step);
  EXPECT_EQ(revisions[0].at("action").as_string(), "add");
  // Bad input names the field; nothing changes.
  auto bad =
      Json("PATCH", "/api/v1/postmortems/" + id,
           {{"summary", "changed"}, {"root_causes", boost::json::array{{{"category", "aliens"}}}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("root_causes[0].category"), std::string::npos) << bad.body;

  // Action items: one overdue, one due later; overdue listed until done.
  auto late = Run({"postmortem", "action", "add", id, "--title", "Runbook for the Excel switch",
                   "--owner", "admin", "--due", "2020-01-01", "--json"});
  ASSERT_EQ(late.exit_code, 0) << late.out << late.err;
  const std::string late_id = std::to_string(ParseOut(late).at("id").to_number<int64_t>());
  EXPECT_TRUE(ParseOut(late).at("overdue").as_bool());
  ASSERT_EQ(Run({"postmortem", "action", "add", id, "--title", "Second cloud", "--owner", "admin",
                 "--due", "2099-12-01"})
                .exit_code,
            0);
  auto nobody = Run({"postmortem", "action", "add", id, "--title", "x", "--owner", "nobody",
                     "--due", "2099-12-01"});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("owner"), std::string::npos) << nobody.err;
  auto bad_due = Run({"postmortem", "action", "add", id, "--title", "x", "--owner", "admin",
                      "--due", "2026-02-30"});
  EXPECT_EQ(bad_due.exit_code, 1);
  EXPECT_NE(bad_due.err.find("due_date"), std::string::npos) << bad_due.err;

  auto overdue = Run({"postmortem", "action", "list", "--overdue", "--json"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  ASSERT_EQ(ParseOut(overdue).as_array().size(), 1u);
  EXPECT_EQ(ParseOut(overdue).as_array()[0].at("incident_ref").as_string(), ref);

  auto report = Run({"report", "incidents", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  auto rep = ParseOut(report).as_object();
  EXPECT_EQ(rep.at("total").as_int64(), 1);
  EXPECT_EQ(rep.at("by_service").as_array()[0].at("service").as_string(), "jira");
  EXPECT_EQ(rep.at("ack_target").at("met").as_int64(), 1);
  EXPECT_EQ(rep.at("overdue_actions").as_array().size(), 1u);

  auto done = Run({"postmortem", "action", "done", id, late_id});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  overdue = Run({"postmortem", "action", "list", "--overdue", "--json"});
  EXPECT_TRUE(ParseOut(overdue).as_array().empty());

  // Export: HTML with zh-CN labels to a file, Markdown to stdout.
  const std::string html_file = dir_.path() + "/pm.html";
  auto html =
      Run({"postmortem", "export", id, "--format", "html", "--lang", "zh-CN", "-o", html_file});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  const std::string page = ReadFile(html_file);
  EXPECT_NE(page.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(page.find("事后复盘"), std::string::npos);
  EXPECT_NE(page.find("Jira &lt;unreachable&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<unreachable>"), std::string::npos);
  EXPECT_NE(page.find("供应商问题"), std::string::npos);
  auto md = Run({"postmortem", "export", id});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(md.out.rfind("# Postmortem: Jira \\<unreachable\\>", 0), 0u) << md.out;
  EXPECT_NE(md.out.find("## Root causes"), std::string::npos);

  // A browser gets the page itself, locked down.
  auto direct = api_->Send("GET", "/api/v1/postmortems/" + id + "/export?format=html", "",
                           {{"accept", "text/html,*/*"}});
  EXPECT_EQ(direct.status, 200);
  EXPECT_EQ(direct.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(direct.headers["content-security-policy"].find("default-src 'none'"),
            std::string::npos);

  // The CSV opens in Excel: BOM, CRLF, quoted title.
  const std::string csv_file = dir_.path() + "/incidents.csv";
  auto csv = Run({"report", "incidents", "--csv", "--lang", "zh-CN", "-o", csv_file});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const std::string sheet = ReadFile(csv_file);
  EXPECT_EQ(sheet.rfind("\xEF\xBB\xBF编号,", 0), 0u);
  EXPECT_NE(sheet.find(ref + ",Jira <unreachable> after cloud network failure,P1,recovered,jira,"),
            std::string::npos)
      << sheet;
  EXPECT_NE(sheet.find("\r\n"), std::string::npos);

  // Review and publish; then the content is frozen but actions still move.
  ASSERT_EQ(Json("PATCH", "/api/v1/postmortems/" + id, {{"status", "in_review"}}).status, 200);
  auto published = Json("PATCH", "/api/v1/postmortems/" + id, {{"status", "published"}});
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.Json().at("published_by").as_string(), "admin");
  EXPECT_EQ(Json("PATCH", "/api/v1/postmortems/" + id, {{"summary", "rewrite"}}).status, 409);
  EXPECT_EQ(api_->Post("/api/v1/postmortems/" + id + "/timeline/refresh", "{}").status, 409);

  auto shown = Run({"postmortem", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("published"), std::string::npos);
  EXPECT_NE(shown.out.find("Second cloud"), std::string::npos);
  auto listed = Run({"postmortem", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0);
  EXPECT_EQ(ParseOut(listed).as_array().size(), 1u);

  // The incident's timeline records the postmortem.
  auto timeline = api_->Get("/api/v1/incidents/" + ref + "/timeline");
  ASSERT_EQ(timeline.status, 200);
  EXPECT_NE(timeline.body.find("postmortem published"), std::string::npos) << timeline.body;
}

TEST_F(Postmortems, ViewersReadButDoNotWrite) {
  const std::string ref = RecoveredIncident();
  ASSERT_FALSE(ref.empty());
  ASSERT_TRUE(Move(ref, "ack"));
  ASSERT_TRUE(Move(ref, "resolve"));
  ASSERT_EQ(Json("POST", "/api/v1/postmortems", {{"incident", ref}}).status, 201);
  HttpClient admin(server_->address());
  admin.SetBearer(token_);
  ASSERT_EQ(admin
                .Post("/api/v1/users",
                      R"({"username":"viewer1","password":"Staple-Orbit-Lantern-77",
                          "role":"viewer"})")
                .status,
            201);
  HttpClient viewer(server_->address());
  ASSERT_EQ(viewer.Login("viewer1", "Staple-Orbit-Lantern-77").status, 200);
  EXPECT_EQ(viewer.Get("/api/v1/postmortems").status, 200);
  EXPECT_EQ(viewer.Get("/api/v1/reports/incidents?from=2000-01-01").status, 200);
  EXPECT_EQ(viewer.Patch("/api/v1/postmortems/1", R"({"summary":"x"})").status, 403);
  EXPECT_EQ(viewer.Get("/api/v1/reports/incidents?from=someday").status, 400);
  EXPECT_EQ(viewer.Get("/api/v1/postmortems/1/export?format=pdf").status, 400);
  EXPECT_EQ(viewer.Get("/api/v1/postmortems/999").status, 404);
}

}  // namespace
}  // namespace failsafe::testing
