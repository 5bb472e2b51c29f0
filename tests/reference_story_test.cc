// The reference story of DESIGN.md, played from the CLI against a running server and real
// local receivers: the cloud network fails, Jira is unreachable; a P1 is declared with the
// "project management system unavailable" plan; nobody acknowledges at first, so it escalates;
// roles are assigned, steps ticked, the "switch to Excel" notice goes to the internal chat and
// an update to customers; the service recovers, is verified, the incident is closed and its
// postmortem is written (cause and whys, the plan's steps judged, an action item) and exported.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "tests/support/fixture.h"
#include "tests/support/receivers.h"

namespace failsafe::testing {
namespace {

class ReferenceStory : public ServerFixture {
 protected:
  CommandResult Cli(std::vector<std::string> args) {
    return RunCommand(FAILSAFE_BIN, std::move(args),
                      {{"FAILSAFE_SERVER", server().url()}, {"FAILSAFE_TOKEN", admin_token()}});
  }
  // Runs a command that must succeed; returns its stdout.
  std::string Ok(std::vector<std::string> args) {
    std::string line;
    for (const auto& a : args) line += a + " ";
    CommandResult r = Cli(std::move(args));
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    return r.out;
  }
  boost::json::object OkJson(std::vector<std::string> args) {
    args.push_back("--json");
    std::string out = Ok(std::move(args));
    boost::system::error_code ec;
    auto v = boost::json::parse(out, ec);
    EXPECT_FALSE(ec) << out;
    return (!ec && v.is_object()) ? v.as_object() : boost::json::object();
  }
};

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string TimelineText(const boost::json::object& incident) {
  std::string out;
  for (const auto& e : incident.at("timeline").as_array()) {
    out +=
        std::string(e.at("kind").as_string()) + ": " + std::string(e.at("text").as_string()) + "\n";
  }
  return out;
}

TEST_F(ReferenceStory, JiraOutageFromDeclarationToClose) {
  RobotReceiver robots({{"/dingtalk/ops", "SEC-ops-secret"}, {"/feishu/customers", "cust-secret"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  SmtpReceiver smtp;
  ASSERT_TRUE(smtp.Start()) << smtp.log();

  // The catalog, the channels and the plan, as the ops lead prepared them beforehand.
  Ok({"service", "add", "--key", "jira", "--name", "Jira", "--tier", "critical", "--rto", "4h",
      "--rpo", "1h"});
  Ok({"person", "add", "--handle", "zhang-wei", "--name", "张伟", "--phone", "13800000001",
      "--email", "zhang.wei@example.com"});
  Ok({"person", "add", "--handle", "li-na", "--name", "李娜", "--phone", "13800000002", "--email",
      "li.na@example.com"});
  Ok({"policy", "add", "--key", "p1-story", "--name", "P1 story", "--level", "0s:person:zhang-wei",
      "--level", "2s:person:li-na"});
  Ok({"severity", "update", "P1", "--policy", "p1-story"});
  Ok({"channel", "add", "--type", "dingtalk", "--name", "ops-dingtalk", "--url",
      robots.Url("/dingtalk/ops?access_token=story"), "--secret", "SEC-ops-secret"});
  Ok({"channel", "add", "--type", "feishu", "--name", "customers-feishu", "--url",
      robots.Url("/feishu/customers"), "--secret", "cust-secret", "--audience", "customers"});
  Ok({"channel", "add", "--type", "email", "--name", "ops-mail", "--url", smtp.Url(), "--from",
      "failsafe@example.com", "--to", "ops@example.com", "--starttls", "off"});
  Ok({"plan", "import",
      std::string(FAILSAFE_TESTS_DIR) + "/../examples/plans/pm-system-outage.yaml"});
  Ok({"plan", "approve", "pm-system-outage"});

  // 1. Declare the P1 with the plan: the checklist appears and the ops robot is told at once.
  auto declared = OkJson({"incident", "declare", "--title", "Jira unreachable (cloud network)",
                          "--severity", "P1", "--service", "jira", "--plan", "pm-system-outage"});
  ASSERT_TRUE(declared.contains("id"));
  const std::string id(declared.at("id").as_string());
  EXPECT_EQ(declared.at("status").as_string(), "declared");
  ASSERT_FALSE(declared.at("checklist").as_array().empty());
  ASSERT_TRUE(robots.WaitForCount(1, std::chrono::seconds(20), "/dingtalk/ops")) << robots.log();
  auto first = robots.Received("/dingtalk/ops").front();
  EXPECT_TRUE(Contains(boost::json::serialize(first.at("body")), "Jira unreachable"));
  ASSERT_TRUE(smtp.WaitForCount(1, std::chrono::seconds(20))) << smtp.log();

  // 2. Nobody acknowledges: after 2 s level 2 (li-na) is paged.
  ASSERT_TRUE(robots.WaitForCount(2, std::chrono::seconds(20), "/dingtalk/ops")) << robots.log();
  auto escalated = OkJson({"incident", "show", id});
  EXPECT_TRUE(Contains(TimelineText(escalated), "Escalation level 2")) << TimelineText(escalated);
  EXPECT_TRUE(Contains(boost::json::serialize(robots.Received("/dingtalk/ops")[1].at("body")),
                       "13800000002"));

  // 3. The commander acknowledges; roles are assigned and steps ticked.
  auto acked = OkJson({"incident", "ack", id});
  EXPECT_EQ(acked.at("status").as_string(), "acknowledged");
  Ok({"incident", "assign", id, "--role", "commander", "--person", "zhang-wei"});
  Ok({"incident", "assign", id, "--role", "business_coordinator", "--person", "li-na"});
  Ok({"incident", "check", id, "1", "--note", "cause is the provider's network"});
  Ok({"incident", "note", id, "Vendor ticket opened"});

  // 4. "Switch to Excel" to the internal chat, and an update to customers, from the templates.
  // The console previews the filled template first: nothing is stored or sent by that.
  const size_t before = robots.Received("/dingtalk/ops").size();
  HttpClient api = AdminClient();
  auto preview =
      api.Post("/api/v1/incidents/" + id + "/updates/preview",
               R"({"stage":"identified","audience":"internal","message":"切换到Excel"})");
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_TRUE(Contains(preview.body, "切换到Excel")) << preview.body;
  const std::string cli_preview = Ok(
      {"incident", "update", id, "--stage", "identified", "--message", "切换到Excel", "--preview"});
  EXPECT_TRUE(Contains(cli_preview, "切换到Excel")) << cli_preview;
  EXPECT_EQ(OkJson({"incident", "show", id}).at("updates").as_array().size(), 0u);
  Ok({"incident", "update", id, "--stage", "identified", "--audience", "internal", "--message",
      "Switch to the Excel tracking template now 请立即切换到Excel模板"});
  Ok({"incident", "update", id, "--stage", "investigating", "--audience", "customers", "--language",
      "en", "--eta", "4 hours"});
  ASSERT_TRUE(robots.WaitForCount(before + 1, std::chrono::seconds(20), "/dingtalk/ops"));
  EXPECT_TRUE(Contains(boost::json::serialize(robots.Received("/dingtalk/ops").back().at("body")),
                       "Excel"));
  ASSERT_TRUE(robots.WaitForCount(1, std::chrono::seconds(20), "/feishu/customers"))
      << robots.log();

  // 5. Recover (mitigating is not a required stop), verify, close.
  EXPECT_EQ(OkJson({"incident", "resolve", id}).at("status").as_string(), "recovered");
  EXPECT_EQ(OkJson({"incident", "verify", id}).at("status").as_string(), "verified");
  EXPECT_EQ(OkJson({"incident", "close", id}).at("status").as_string(), "closed");

  auto closed = OkJson({"incident", "show", id});
  ASSERT_TRUE(closed.contains("checklist"));
  ASSERT_TRUE(closed.contains("timeline"));
  EXPECT_EQ(closed.at("status").as_string(), "closed");
  const std::string timeline = TimelineText(closed);
  for (const char* expected : {"declared:", "plan_activated:", "escalated:", "role_assigned:",
                               "checklist:", "status_update:", "status_changed: Status: closed"}) {
    EXPECT_TRUE(Contains(timeline, expected)) << expected << "\n" << timeline;
  }
  // Every event carries its facts for programs too (the console shows them in zh-CN or en).
  std::set<std::string> kinds_with_detail;
  for (const auto& e : closed.at("timeline").as_array()) {
    const auto& detail = e.at("detail").as_object();
    const std::string kind(e.at("kind").as_string());
    if (!detail.empty()) kinds_with_detail.insert(kind);
    if (kind == "role_assigned" && detail.at("role") == "commander") {
      EXPECT_EQ(detail.at("person"), "zhang-wei");
    }
    if (kind == "declared") {
      EXPECT_EQ(detail.at("severity"), "P1");
    }
    if (kind == "escalated") {
      EXPECT_GE(detail.at("level").to_number<int64_t>(), 1);
    }
  }
  for (const char* kind : {"declared", "plan_activated", "role_assigned", "checklist",
                           "status_update", "escalated", "notification", "status_changed"}) {
    EXPECT_TRUE(kinds_with_detail.count(kind)) << kind << " has no detail";
  }
  // Updates from templates carry times people read ("2026-11-22 12:34 CST"), not RFC 3339.
  const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d)");
  ASSERT_FALSE(closed.at("updates").as_array().empty());
  for (const auto& u : closed.at("updates").as_array()) {
    const std::string body(u.at("body").as_string());
    EXPECT_FALSE(std::regex_search(body, rfc3339)) << body;
  }
  // Deliveries are on the timeline too.
  EXPECT_TRUE(Contains(timeline, "Delivered via ops-dingtalk")) << timeline;

  // 6. The postmortem starts from the closed incident, with its timeline pulled in.
  auto postmortem = OkJson({"postmortem", "create", id});
  ASSERT_TRUE(postmortem.contains("id")) << boost::json::serialize(postmortem);
  EXPECT_TRUE(Contains(boost::json::serialize(postmortem), "Escalation level 2"))
      << boost::json::serialize(postmortem);
  EXPECT_EQ(Cli({"postmortem", "create", id}).exit_code, 1);  // one per incident

  // 7. The postmortem is written from the CLI: cause with its whys, the plan's steps judged
  // (a step that was missing proposes a plan revision), an action item, then review.
  const std::string pm = std::to_string(postmortem.at("id").to_number<int64_t>());
  Ok({"postmortem", "update", pm, "--summary", "Jira 不可用 4 小时，团队切换到 Excel 继续工作",
      "--impact", "120 users for 4 h", "--cause",
      "network|Cloud provider's network outage|No second network path|Single-region contract",
      "--went-well", "Excel fallback within 20 minutes", "--went-badly",
      "Nobody acknowledged the first page", "--evaluate", "switch-to-excel=worked", "--evaluate",
      "engage-vendor=missing: no vendor hotline in the plan"});
  Ok({"postmortem", "action", "add", pm, "--title", "Add the vendor hotline to the plan", "--owner",
      "zhang-wei", "--due", "2030-01-31"});
  Ok({"postmortem", "update", pm, "--status", "in_review"});
  auto written = OkJson({"postmortem", "show", pm});
  const std::string text = boost::json::serialize(written);
  for (const char* expected : {"No second network path", "Excel fallback within 20 minutes",
                               "no vendor hotline", "Add the vendor hotline", "in_review"}) {
    EXPECT_TRUE(Contains(text, expected)) << expected << "\n" << text;
  }
  CommandResult md = Cli({"postmortem", "export", pm, "--lang", "zh-CN"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_TRUE(Contains(md.out, "Single-region contract")) << md.out;
  CommandResult wrong = Cli({"postmortem", "update", pm, "--cause", "gremlins|who knows"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(Contains(wrong.err, "root_causes[0].category")) << wrong.err;

  // The public status page shows the customer update, not the internal one.
  HttpClient anon = AnonymousClient();
  auto status = anon.Get("/api/v1/status/default");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_TRUE(Contains(status.body, "investigating"));
  EXPECT_FALSE(Contains(status.body, "Excel tracking template"));
}

TEST_F(ReferenceStory, BadInputIsRefusedWithClearErrors) {
  auto unknown_plan =
      Cli({"incident", "declare", "--title", "x", "--severity", "P2", "--plan", "no-such-plan"});
  EXPECT_EQ(unknown_plan.exit_code, 1);
  EXPECT_TRUE(Contains(unknown_plan.err, "unknown plan 'no-such-plan'")) << unknown_plan.err;
  auto bad_severity = Cli({"incident", "declare", "--title", "x", "--severity", "P9"});
  EXPECT_EQ(bad_severity.exit_code, 1);
  EXPECT_TRUE(Contains(bad_severity.err, "unknown severity")) << bad_severity.err;

  auto declared = OkJson({"incident", "declare", "--title", "minor glitch", "--severity", "P4"});
  const std::string id(declared.at("id").as_string());
  auto close_early = Cli({"incident", "close", id});
  EXPECT_EQ(close_early.exit_code, 1);
  EXPECT_TRUE(Contains(close_early.err, "cannot close")) << close_early.err;
  auto no_template = Cli({"incident", "update", id, "--stage", "identified"});
  EXPECT_EQ(no_template.exit_code, 1);
  EXPECT_TRUE(Contains(no_template.err, "runs no plan")) << no_template.err;
  // Nothing was half-applied: still declared, no stray events.
  auto shown = OkJson({"incident", "show", id});
  EXPECT_EQ(shown.at("status").as_string(), "declared");
}

}  // namespace
}  // namespace failsafe::testing
