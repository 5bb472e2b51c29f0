// Incidents against the real server and a real robot receiver: escalation timers that survive
// kill -9 without losing or repeating a step, a severity change that restarts the escalation
// of the new level (one chain of timers, its first level really paged), and the live feed the
// console listens to (GET /api/v1/events).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "tests/support/fixture.h"
#include "tests/support/receivers.h"
#include "tests/support/sse_client.h"

namespace failsafe::testing {
namespace {

using namespace std::chrono_literals;

CommandResult Cli(const std::string& url, const std::string& token, std::vector<std::string> args) {
  return RunCommand(FAILSAFE_BIN, std::move(args),
                    {{"FAILSAFE_SERVER", url}, {"FAILSAFE_TOKEN", token}});
}

boost::json::object Json(const CommandResult& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.out, ec);
  EXPECT_FALSE(ec) << r.out << r.err;
  return (!ec && v.is_object()) ? v.as_object() : boost::json::object();
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

std::string TimelineText(const boost::json::object& incident) {
  std::string out;
  for (const auto& e : incident.at("timeline").as_array()) {
    out += std::string(e.at("text").as_string()) + "\n";
  }
  return out;
}

// Runs CLI commands that must succeed against one server.
struct Operator {
  std::string url, token;
  std::string Ok(std::vector<std::string> args) const {
    std::string line;
    for (const auto& a : args) line += a + " ";
    CommandResult r = Cli(url, token, std::move(args));
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    return r.out;
  }
  boost::json::object OkJson(std::vector<std::string> args) const {
    args.push_back("--json");
    CommandResult r = Cli(url, token, std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return Json(r);
  }
};

void AddPeopleAndRobot(const Operator& op, RobotReceiver& robots) {
  op.Ok({"person", "add", "--handle", "first", "--name", "First", "--phone", "13900000001"});
  op.Ok({"person", "add", "--handle", "second", "--name", "Second", "--phone", "13900000002"});
  op.Ok({"person", "add", "--handle", "third", "--name", "Third", "--phone", "13900000003"});
  op.Ok({"channel", "add", "--type", "dingtalk", "--name", "ops", "--url",
         robots.Url("/dingtalk/ops?access_token=t"), "--secret", "SEC-incidents"});
}

// Starts `server`, logs in as admin and returns an operator holding a new admin token (empty,
// with a failure recorded, when any step fails: the caller asserts on the token).
Operator StartAsAdmin(ServerProcess& server, const std::string& token_name) {
  if (!server.Start()) {
    ADD_FAILURE() << server.log();
    return {};
  }
  HttpClient admin(server.address());
  EXPECT_EQ(admin.Login("admin", kAdminPassword).status, 200);
  return Operator{server.url(), admin.CreateToken(token_name, "admin")};
}

// Jira in the catalog and the example plan approved, as the reference story prepares them.
void AddJiraWithExamplePlan(const Operator& op) {
  op.Ok({"service", "add", "--key", "jira", "--name", "Jira", "--tier", "critical"});
  op.Ok({"plan", "import",
         std::string(FAILSAFE_TESTS_DIR) + "/../examples/plans/pm-system-outage.yaml"});
  op.Ok({"plan", "approve", "pm-system-outage"});
}

TEST(IncidentTimers, EscalationSurvivesKill9WithoutLosingOrRepeatingAStep) {
  RobotReceiver robots(std::map<std::string, std::string>{{"/dingtalk/ops", "SEC-incidents"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path()));
  Operator op = StartAsAdmin(server, "timers");
  ASSERT_FALSE(op.token.empty()) << server.log();

  AddPeopleAndRobot(op, robots);
  op.Ok({"policy", "add", "--key", "three-levels", "--name", "Three levels", "--level",
         "0s:person:first", "--level", "3s:person:second", "--level", "3s:person:third"});
  op.Ok({"severity", "update", "P1", "--policy", "three-levels"});
  auto declared = op.OkJson({"incident", "declare", "--title", "ERP down", "--severity", "P1"});
  const std::string id(declared.at("id").as_string());
  ASSERT_TRUE(robots.WaitForCount(1, 20s, "/dingtalk/ops")) << robots.log();

  // Down before level 2 is due, back after: the missed step fires once, late, then level 3.
  server.Kill9();
  std::this_thread::sleep_for(4s);
  ASSERT_TRUE(server.Start()) << server.log();
  op.url = server.url();
  ASSERT_TRUE(robots.WaitForCount(3, 30s, "/dingtalk/ops")) << robots.log();
  std::this_thread::sleep_for(2s);  // room for a repeat that must not come

  auto received = robots.Received("/dingtalk/ops");
  ASSERT_EQ(received.size(), 3u) << robots.log();
  EXPECT_NE(boost::json::serialize(received[1].at("body")).find("13900000002"), std::string::npos);
  EXPECT_NE(boost::json::serialize(received[2].at("body")).find("13900000003"), std::string::npos);
  // A repeated step would be a second timeline event (the page and its event commit together).
  // The receiver may count a duplicate delivery: when the kill lands between the robot's answer
  // and the outbox record, the message is re-sent under the same key, which it honours.
  const std::string timeline = TimelineText(op.OkJson({"incident", "show", id}));
  EXPECT_EQ(Count(timeline, "Escalation level 2"), 1) << timeline;
  EXPECT_EQ(Count(timeline, "Escalation level 3"), 1) << timeline;
}

class IncidentSeverity : public ServerFixture {};

TEST_F(IncidentSeverity, RaisingTheSeverityStartsTheNewLevelsEscalationOnce) {
  RobotReceiver robots(std::map<std::string, std::string>{{"/dingtalk/ops", "SEC-incidents"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  Operator op{server().url(), admin_token()};
  AddPeopleAndRobot(op, robots);
  op.Ok({"policy", "add", "--key", "raise", "--name", "Raise", "--level", "0s:person:second"});
  op.Ok({"severity", "update", "P1", "--policy", "raise"});

  auto declared = op.OkJson({"incident", "declare", "--title", "Slow reports", "--severity", "P3"});
  const std::string id(declared.at("id").as_string());
  ASSERT_TRUE(robots.WaitForCount(1, 20s, "/dingtalk/ops")) << robots.log();

  auto raised = op.OkJson({"incident", "severity", id, "P1"});
  EXPECT_EQ(raised.at("severity").as_string(), "P1");
  int reminders = 0;
  for (const auto& t : raised.at("timers").as_array()) {
    reminders += t.at("kind").as_string() == "update_reminder" ? 1 : 0;
  }
  EXPECT_EQ(reminders, 1) << boost::json::serialize(raised.at("timers"));
  // Level 1 of the P1 policy is paged by its timer, with the person mentioned.
  ASSERT_TRUE(robots.WaitForCount(2, 20s, "/dingtalk/ops")) << robots.log();
  EXPECT_NE(
      boost::json::serialize(robots.Received("/dingtalk/ops")[1].at("body")).find("13900000002"),
      std::string::npos);
}

TEST(IncidentReminders, AMissedUpdateCadenceRemindsTheCommanderAndAnUpdateRestartsIt) {
  RobotReceiver robots(std::map<std::string, std::string>{{"/dingtalk/ops", "SEC-incidents"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path()));
  Operator op = StartAsAdmin(server, "reminders");
  ASSERT_FALSE(op.token.empty()) << server.log();
  AddPeopleAndRobot(op, robots);
  AddJiraWithExamplePlan(op);
  op.Ok({"severity", "update", "P2", "--update-cadence", "3s"});

  auto declared = op.OkJson({"incident", "declare", "--title", "Jira slow", "--severity", "P2",
                             "--service", "jira", "--plan", "pm-system-outage"});
  const std::string id(declared.at("id").as_string());
  op.Ok({"incident", "assign", id, "--role", "commander", "--person", "second"});
  auto is_reminder = [](const boost::json::value& m) {
    return boost::json::serialize(m.at("body")).find("Status update due") != std::string::npos;
  };
  auto reminders = [&] {
    int n = 0;
    for (const auto& m : robots.Received("/dingtalk/ops")) n += is_reminder(m) ? 1 : 0;
    return n;
  };
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (reminders() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(reminders(), 1) << robots.log();
  for (const auto& m : robots.Received("/dingtalk/ops")) {
    if (is_reminder(m)) {
      EXPECT_NE(boost::json::serialize(m.at("body")).find("13900000002"), std::string::npos)
          << "the commander is mentioned: " << boost::json::serialize(m.at("body"));
    }
  }
  auto shown = op.OkJson({"incident", "show", id});
  bool on_timeline = false;
  for (const auto& e : shown.at("timeline").as_array()) {
    if (e.at("kind") == "reminder") {
      on_timeline = true;
      EXPECT_EQ(boost::json::serialize(e.at("detail").at("reminded")), R"(["second"])");
    }
  }
  EXPECT_TRUE(on_timeline);

  // An update restarts the cadence: no reminder for the next 3 s.
  op.Ok({"incident", "update", id, "--stage", "identified", "--body", "Vendor is on it"});
  const int after_update = reminders();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(reminders(), after_update) << "reminded although an update was just posted";
}

// The facts the console shows without looking anything up: a checklist entry names its step
// (title, phase, role), a delivery names its channel and message; and a step can be assigned
// to one person, which the incident and its timeline show.
TEST(IncidentChecklist, EntriesCarryTheirFactsAndAStepCanBeAssignedToAPerson) {
  RobotReceiver robots(std::map<std::string, std::string>{{"/dingtalk/ops", "SEC-incidents"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path()));
  Operator op = StartAsAdmin(server, "checklist");
  ASSERT_FALSE(op.token.empty()) << server.log();
  HttpClient admin(server.address());
  admin.SetBearer(op.token);
  AddPeopleAndRobot(op, robots);
  AddJiraWithExamplePlan(op);
  auto declared = op.OkJson({"incident", "declare", "--title", "Jira down", "--severity", "P2",
                             "--service", "jira", "--plan", "pm-system-outage"});
  const std::string id(declared.at("id").as_string());
  const std::string base = "/api/v1/incidents/" + id;

  auto assigned = admin.Patch(base + "/checklist/report-outage", R"({"assignee":"second"})");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.Json().at("assignee").at("handle"), "second");
  EXPECT_EQ(assigned.Json().at("assignee").at("name"), "Second");
  auto unknown = admin.Patch(base + "/checklist/report-outage", R"({"assignee":"nobody"})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("unknown person 'nobody'"), std::string::npos) << unknown.body;
  EXPECT_NE(unknown.body.find("assignee"), std::string::npos) << unknown.body;
  EXPECT_EQ(admin.Patch(base + "/checklist/no-such-step", R"({"assignee":"second"})").status, 400);
  EXPECT_EQ(admin.Patch(base + "/checklist/report-outage", R"({})").status, 400);
  EXPECT_EQ(admin.Patch(base + "/checklist/report-outage", R"({"assignee":7})").status, 400);
  // By position too; null clears.
  ASSERT_EQ(admin.Patch(base + "/checklist/2", R"({"assignee":"third"})").status, 200);
  auto cleared = admin.Patch(base + "/checklist/2", R"({"assignee":null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.Json().at("assignee").is_null());
  op.Ok({"incident", "check", id, "report-outage"});
  // The CLI does the same.
  op.Ok({"incident", "assign-step", id, "3", "--person", "first"});
  CommandResult neither = Cli(op.url, op.token, {"incident", "assign-step", id, "3"});
  EXPECT_NE(neither.exit_code, 0);
  EXPECT_NE(neither.err.find("--person HANDLE or --clear"), std::string::npos) << neither.err;

  // A delivery of the declaration reaches the timeline with its channel and message.
  boost::json::object shown;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  auto delivered = [&]() -> const boost::json::value* {
    for (const auto& e : shown.at("timeline").as_array()) {
      if (e.at("kind") == "notification" && e.at("detail").at("state") == "delivered") return &e;
    }
    return nullptr;
  };
  do {
    shown = op.OkJson({"incident", "show", id});
    if (delivered() != nullptr) break;
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_NE(delivered(), nullptr) << TimelineText(shown);
  const auto& delivery = delivered()->at("detail").as_object();
  EXPECT_EQ(delivery.at("channel"), "ops");
  EXPECT_EQ(delivery.at("channel_type"), "dingtalk");
  EXPECT_FALSE(delivery.at("title").as_string().empty());
  EXPECT_NE(std::string(delivered()->at("text").as_string())
                .find(std::string(delivery.at("title").as_string())),
            std::string::npos);
  EXPECT_FALSE(delivery.contains("error"));

  const auto& step = shown.at("checklist").as_array()[0].as_object();
  EXPECT_EQ(step.at("assignee").at("handle"), "second");
  std::vector<boost::json::object> assignments, checks;
  for (const auto& e : shown.at("timeline").as_array()) {
    if (e.at("kind") == "step_assigned") assignments.push_back(e.at("detail").as_object());
    if (e.at("kind") == "checklist") checks.push_back(e.at("detail").as_object());
  }
  ASSERT_EQ(assignments.size(), 4u) << TimelineText(shown);
  EXPECT_EQ(assignments[3].at("position"), 3);
  EXPECT_EQ(assignments[3].at("person"), "first");
  EXPECT_EQ(shown.at("checklist").as_array()[2].at("assignee").at("handle"), "first");
  EXPECT_EQ(assignments[0].at("step"), "report-outage");
  EXPECT_EQ(assignments[0].at("title"), step.at("title"));
  EXPECT_EQ(assignments[0].at("person"), "second");
  EXPECT_EQ(assignments[0].at("person_name"), "Second");
  EXPECT_EQ(assignments[2].at("position"), 2);
  EXPECT_EQ(assignments[2].at("person"), "");
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].at("step"), "report-outage");
  EXPECT_EQ(checks[0].at("title"), step.at("title"));
  EXPECT_EQ(checks[0].at("phase"), "report");
  EXPECT_EQ(checks[0].at("role"), "commander");
  EXPECT_EQ(checks[0].at("position"), 1);
  EXPECT_EQ(checks[0].at("done"), true);

  // A viewer may not assign.
  ASSERT_EQ(admin
                .Post("/api/v1/users", "{\"username\":\"watcher\",\"password\":\"" +
                                           std::string(kUserPassword) + "\",\"role\":\"viewer\"}")
                .status,
            201);
  HttpClient viewer(server.address());
  ASSERT_EQ(viewer.Login("watcher", kUserPassword).status, 200);
  EXPECT_EQ(viewer.Patch(base + "/checklist/1", R"({"assignee":"first"})").status, 403);
}

class IncidentLiveFeed : public ServerFixture {};

TEST_F(IncidentLiveFeed, AnotherClientsChangesArriveAndAReconnectCatchesUp) {
  EventStreamReader events(server().address(), admin_token());
  ASSERT_EQ(events.status(), 200);
  Operator op{server().url(), admin_token()};
  auto declared = op.OkJson({"incident", "declare", "--title", "Live", "--severity", "P4"});
  const std::string id(declared.at("id").as_string());
  const std::string created = "data: {\"id\":\"" + id + "\",\"change\":\"created\"";
  ASSERT_TRUE(events.WaitFor(created, 5s)) << events.text();
  op.Ok({"incident", "note", id, "vendor called back"});
  ASSERT_TRUE(events.WaitFor("{\"id\":\"" + id + "\",\"change\":\"updated\",\"kind\":\"note\"", 5s))
      << events.text();

  // A client that lost the connection after the declaration resends its id and gets the rest.
  const std::string& text = events.text();
  const size_t block = text.rfind("id: ", text.find(created));
  ASSERT_NE(block, std::string::npos) << text;
  const std::string last_id = text.substr(block + 4, text.find('\n', block) - block - 4);
  EventStreamReader again(server().address(), admin_token(), last_id);
  ASSERT_EQ(again.status(), 200);
  EXPECT_TRUE(again.WaitFor("\"kind\":\"note\"", 5s)) << again.text();
  EXPECT_EQ(again.text().find(created), std::string::npos) << "sent again: " << again.text();

  // Viewers may listen; nobody else.
  EventStreamReader anonymous(server().address(), "fst_not-a-token");
  EXPECT_EQ(anonymous.status(), 401);
}

class IncidentLinks : public ServerFixture {};

TEST_F(IncidentLinks, LinkedAndMergedIncidentsShowOnBothAndActionsFollowTheStatus) {
  Operator op{server().url(), admin_token()};
  auto declare = [&](const std::string& title) {
    return std::string(op.OkJson({"incident", "declare", "--title", title, "--severity", "P3"})
                           .at("id")
                           .as_string());
  };
  const std::string jira = declare("Jira down"), wiki = declare("Wiki down"),
                    dup = declare("Jira down again");
  auto shown = op.OkJson({"incident", "show", jira});
  std::vector<std::string> actions;
  for (const auto& a : shown.at("allowed_actions").as_array()) actions.emplace_back(a.as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"ack", "mitigate", "resolve"}));

  op.Ok({"incident", "link", jira, wiki});
  op.Ok({"incident", "link", jira, dup, "--merge"});
  auto links = op.OkJson({"incident", "show", jira}).at("links").as_array();
  ASSERT_EQ(links.size(), 2u) << boost::json::serialize(links);
  EXPECT_EQ(links[0].at("id").as_string(), wiki);
  EXPECT_EQ(links[0].at("kind").as_string(), "related");
  EXPECT_EQ(links[1].at("id").as_string(), dup);
  EXPECT_EQ(links[1].at("kind").as_string(), "merged");
  auto merged = op.OkJson({"incident", "show", dup});
  ASSERT_EQ(merged.at("links").as_array().size(), 1u);
  EXPECT_EQ(merged.at("links").as_array()[0].at("id").as_string(), jira);
  EXPECT_EQ(merged.at("status").as_string(), "closed");
  EXPECT_EQ(boost::json::serialize(merged.at("allowed_actions")), R"(["reopen"])");
}

class IncidentList : public ServerFixture {};

TEST_F(IncidentList, FiltersByStatusesSeveritiesAndTextWithClearErrors) {
  Operator op{server().url(), admin_token()};
  auto declare = [&](const std::string& title, const std::string& severity) {
    return std::string(op.OkJson({"incident", "declare", "--title", title, "--severity", severity})
                           .at("id")
                           .as_string());
  };
  const std::string disk = declare("Quokka disk 100% full", "P2");
  const std::string users = declare("Quokka 1000 users locked out", "P3");
  const std::string erp = declare("quokka ERP slow", "P4");
  op.Ok({"incident", "resolve", erp});
  auto ids = [&](std::vector<std::string> args) {
    std::vector<std::string> out;
    args.insert(args.begin(), {"incident", "list"});
    args.push_back("--json");
    CommandResult r = Cli(server().url(), admin_token(), args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    boost::system::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& i : v.as_array()) out.emplace_back(i.at("id").as_string());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({"--search", "QUOKKA"}), (V{erp, users, disk}));  // case-insensitive
  EXPECT_EQ(ids({"--search", "100%"}), (V{disk}));                // % is literal
  EXPECT_EQ(ids({"--search", "quokka", "--severity", "P2,P4"}), (V{erp, disk}));
  EXPECT_EQ(ids({"--search", "quokka", "--status", "open"}), (V{users, disk}));
  EXPECT_EQ(ids({"--search", "quokka", "--status", "recovered,declared", "--severity", "P4"}),
            (V{erp}));
  EXPECT_EQ(ids({"--search", disk}), (V{disk}));  // by id
  // Every word must match, each in the id, the title or a service key, in any order.
  op.Ok({"service", "add", "--key", "quokka-db", "--name", "Quokka DB", "--tier", "high"});
  const std::string payments =
      std::string(op.OkJson({"incident", "declare", "--title", "Payments slow", "--severity", "P3",
                             "--service", "quokka-db"})
                      .at("id")
                      .as_string());
  EXPECT_EQ(ids({"--search", "slow quokka"}), (V{payments, erp}));
  EXPECT_EQ(ids({"--search", "erp   slow"}), (V{erp}));
  EXPECT_EQ(ids({"--search", "quokka-db"}), (V{payments}));
  EXPECT_EQ(ids({"--search", "quokka nothing-like-this"}), V{});
  EXPECT_EQ(ids({"--search", "100% disk"}), (V{disk}));
  CommandResult bad = Cli(server().url(), admin_token(), {"incident", "list", "--status", "fixed"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("status must be one or more of open, declared"), std::string::npos)
      << bad.err;
}

TEST(IncidentLiveFeedShutdown, SigtermEndsOpenStreamsAndTheServerExitsCleanly) {
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path()));
  ASSERT_TRUE(server.Start()) << server.log();
  HttpClient admin(server.address());
  ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
  const std::string token = admin.CreateToken("live", "viewer");
  EventStreamReader events(server.address(), token);
  ASSERT_EQ(events.status(), 200);
  ASSERT_TRUE(events.WaitFor("retry: 2000", 5s)) << events.text();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Terminate(), 0) << server.log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "an open stream held up shutdown";
  EXPECT_TRUE(events.WaitForEnd(5s)) << events.text();
  EXPECT_NE(events.text().find("0\r\n\r\n"), std::string::npos) << "the stream's last chunk";
}

}  // namespace
}  // namespace failsafe::testing
