// The catalog against the real server: the CLI forms scripts depend on, on-call and iCalendar,
// the severity policy, references (409) and bad input (400 naming the field).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/fixture.h"

namespace failsafe::testing {
namespace {

namespace bj = boost::json;

class Catalog : public ServerFixture {
 protected:
  CommandResult Cli(std::vector<std::string> args) {
    return RunCommand(FailsafeBinary(), args,
                      {{"FAILSAFE_SERVER", server().url()}, {"FAILSAFE_TOKEN", admin_token()}});
  }
  bj::value CliJson(std::vector<std::string> args) {
    args.push_back("--json");
    CommandResult r = Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    boost::system::error_code ec;
    bj::value v = bj::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return v;
  }
};

TEST_F(Catalog, ScriptedServiceAddFormWorks) {
  CommandResult add = Cli({"service", "add", "--key", "jira", "--name", "Jira", "--tier",
                           "critical", "--rto", "4h", "--rpo", "1h"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  EXPECT_NE(add.out.find("created service jira"), std::string::npos) << add.out;

  bj::value jira = CliJson({"service", "show", "jira"});
  EXPECT_EQ(jira.at("rto"), "4h");
  EXPECT_EQ(jira.at("rto_ms").to_number<int64_t>(), 4 * 3600 * 1000);
  EXPECT_EQ(jira.at("rpo"), "1h");
  EXPECT_EQ(jira.at("tier"), "critical");
  EXPECT_EQ(jira.at("status_group"), "default");

  CommandResult list = Cli({"service", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("jira"), std::string::npos);

  CommandResult dup = Cli({"service", "add", "--key", "jira", "--name", "Jira", "--tier", "low"});
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.err.find("already exists"), std::string::npos) << dup.err;
  EXPECT_EQ(Cli({"service", "add", "--key", "x", "--name", "X", "--tier", "urgent"}).exit_code, 2);
  CommandResult bad_rto =
      Cli({"service", "add", "--key", "x", "--name", "X", "--tier", "low", "--rto", "soon"});
  EXPECT_EQ(bad_rto.exit_code, 1);
  EXPECT_NE(bad_rto.err.find("rto"), std::string::npos) << bad_rto.err;

  ASSERT_EQ(Cli({"service", "add", "--key", "cloud-network", "--name", "Cloud network", "--tier",
                 "critical"})
                .exit_code,
            0);
  bj::value updated = CliJson(
      {"service", "update", "jira", "--depends-on", "cloud-network", "--group", "pm-tools"});
  EXPECT_EQ(updated.at("depends_on").as_array().size(), 1u);
  EXPECT_EQ(updated.at("status_group"), "pm-tools");
  EXPECT_EQ(updated.at("rpo"), "1h") << "PATCH keeps what was not given";
  // The plan's external resources: contacts from the command line, Chinese and commas intact.
  bj::value with_contacts = CliJson(
      {"service", "update", "jira", "--contact",
       "name=Atlassian 技术支持;organisation=Atlassian, Inc.;role=vendor;phone=+86 400 000 0000",
       "--contact", "kind=internal;name=王工;email=wang@example.com"});
  const auto& contacts = with_contacts.at("contacts").as_array();
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0].at("kind"), "external");
  EXPECT_EQ(contacts[0].at("organisation"), "Atlassian, Inc.");
  EXPECT_EQ(contacts[1].at("name"), "王工");
  CommandResult bad_contact = Cli({"service", "update", "jira", "--contact", "name=x;fax=1"});
  EXPECT_EQ(bad_contact.exit_code, 1);
  EXPECT_NE(bad_contact.err.find("unknown field 'fax'"), std::string::npos) << bad_contact.err;
  CommandResult bad_email = Cli({"service", "update", "jira", "--contact", "name=x;email=nope"});
  EXPECT_EQ(bad_email.exit_code, 1);
  EXPECT_NE(bad_email.err.find("contacts[0].email"), std::string::npos) << bad_email.err;
  // A cycle is refused, naming the field.
  HttpClient admin = AdminClient();
  auto cycle = admin.Patch("/api/v1/services/cloud-network", R"({"depends_on":["jira"]})");
  EXPECT_EQ(cycle.status, 400) << cycle.body;
  EXPECT_EQ(cycle.Json().at("error").at("field"), "depends_on");
  // Still needed by jira: a clear 409.
  auto del = admin.Delete("/api/v1/services/cloud-network");
  EXPECT_EQ(del.status, 409) << del.body;
  EXPECT_NE(del.body.find("jira"), std::string::npos);
}

TEST_F(Catalog, OnCallAndICalendarFromTheCli) {
  for (const char* who : {"alice", "bob"}) {
    ASSERT_EQ(Cli({"person", "add", "--handle", who, "--name", std::string("Person ") + who,
                   "--email", std::string(who) + "@example.com"})
                  .exit_code,
              0);
  }
  CommandResult add =
      Cli({"schedule", "add", "--key", "primary", "--name", "一线值班", "--rotation", "daily",
           "--handoff", "09:00", "--time-zone", "Asia/Shanghai", "--start-date", "2026-01-01",
           "--member", "alice", "--member", "bob"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;

  bj::value day1 = CliJson({"schedule", "oncall", "primary", "--at", "2026-01-01T12:00:00+08:00"});
  ASSERT_EQ(day1.at("on_call").as_array().size(), 1u) << day1;
  EXPECT_EQ(day1.at("on_call").at(0).at("handle"), "alice");
  EXPECT_EQ(day1.at("shift").at("start"), "2026-01-01T01:00:00.000Z");
  bj::value day2 = CliJson({"schedule", "oncall", "primary", "--at", "2026-01-02T09:00:00+08:00"});
  EXPECT_EQ(day2.at("on_call").at(0).at("handle"), "bob");
  CommandResult text = Cli({"schedule", "oncall", "primary", "--at", "2026-01-02T09:00:00+08:00"});
  EXPECT_NE(text.out.find("bob"), std::string::npos) << text.out;

  // An override wins over the rotation.
  CommandResult o = Cli({"schedule", "override", "add", "primary", "--person", "alice", "--start",
                         "2026-01-02T08:00:00+08:00", "--end", "2026-01-02T20:00:00+08:00"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  bj::value covered =
      CliJson({"schedule", "oncall", "primary", "--at", "2026-01-02T12:00:00+08:00"});
  EXPECT_EQ(covered.at("on_call").at(0).at("handle"), "alice");
  EXPECT_FALSE(covered.at("shift").at("override_id").is_null());
  // Every schedule at once, as the dashboard asks: the same answer for this one.
  auto all = AdminClient().Get("/api/v1/oncall?at=2026-01-02T12:00:00%2B08:00");
  ASSERT_EQ(all.status, 200) << all.body;
  const bj::value all_json = all.Json();
  bool found = false;
  for (const auto& item : all_json.at("items").as_array()) {
    if (item.at("schedule") != "primary") continue;
    found = true;
    EXPECT_EQ(item.at("on_call").at(0).at("handle"), "alice");
  }
  EXPECT_TRUE(found) << all.body;
  EXPECT_EQ(AdminClient().Get("/api/v1/oncall?at=tomorrow").status, 400);

  CommandResult ics =
      Cli({"schedule", "ical", "primary", "--from", "2026-01-01T00:00:00Z", "--days", "3"});
  ASSERT_EQ(ics.exit_code, 0) << ics.err;
  EXPECT_EQ(ics.out.rfind("BEGIN:VCALENDAR\r\n", 0), 0u) << ics.out;
  EXPECT_NE(ics.out.find("DTSTART:20260101T010000Z\r\n"), std::string::npos) << ics.out;
  EXPECT_NE(ics.out.find("SUMMARY:On call: Person alice (alice)\r\n"), std::string::npos);
  EXPECT_NE(ics.out.find("SUMMARY:On call (override): Person alice (alice)\r\n"),
            std::string::npos);
  EXPECT_NE(ics.out.find("END:VCALENDAR\r\n"), std::string::npos);

  HttpClient admin = AdminClient();
  auto raw = admin.Get("/api/v1/schedules/primary/ical");
  EXPECT_EQ(raw.status, 200);
  EXPECT_EQ(raw.headers["content-type"].rfind("text/calendar", 0), 0u);

  // alice is on the rotation: she cannot be deleted.
  CommandResult del = Cli({"person", "delete", "alice"});
  EXPECT_EQ(del.exit_code, 1);
  EXPECT_NE(del.err.find("schedule primary"), std::string::npos) << del.err;
}

TEST_F(Catalog, SeverityPolicyIsSeededEditableByAdminsOnly) {
  bj::value levels = CliJson({"severity", "list"});
  ASSERT_EQ(levels.as_array().size(), 4u);
  EXPECT_EQ(levels.at(0).at("level"), "P1");
  EXPECT_EQ(levels.at(0).at("name_zh"), "一级");
  EXPECT_EQ(levels.at(0).at("ack_target"), "5m");

  ASSERT_EQ(Cli({"person", "add", "--handle", "carol", "--name", "Carol"}).exit_code, 0);
  ASSERT_EQ(Cli({"team", "add", "--key", "ops", "--name", "运维组", "--member", "carol"}).exit_code,
            0);
  CommandResult policy =
      Cli({"policy", "add", "--key", "p1-default", "--name", "P1 default", "--repeat", "1",
           "--level", "0s:person:carol", "--level", "5s:team:ops,role:commander"});
  ASSERT_EQ(policy.exit_code, 0) << policy.err;
  bj::value shown = CliJson({"policy", "show", "p1-default"});
  ASSERT_EQ(shown.at("levels").as_array().size(), 2u);
  EXPECT_EQ(shown.at("levels").at(1).at("delay_ms").to_number<int64_t>(), 5000);
  EXPECT_EQ(shown.at("levels").at(1).at("targets").at(1).at("role"), "commander");
  EXPECT_EQ(Cli({"policy", "add", "--key", "x", "--name", "X", "--level", "nonsense"}).exit_code,
            1);

  bj::value p1 = CliJson({"severity", "update", "P1", "--ack", "5s", "--policy", "p1-default"});
  EXPECT_EQ(p1.at("ack_target_ms").to_number<int64_t>(), 5000);
  EXPECT_EQ(p1.at("escalation_policy"), "p1-default");

  CommandResult in_use = Cli({"policy", "delete", "p1-default"});
  EXPECT_EQ(in_use.exit_code, 1);
  EXPECT_NE(in_use.err.find("severity P1"), std::string::npos) << in_use.err;

  HttpClient responder = ClientForNewUser("catalog-responder", "responder");
  EXPECT_EQ(responder.Patch("/api/v1/severities/P1", R"({"ack_target":"1h"})").status, 403);
  EXPECT_EQ(responder.Get("/api/v1/severities/P1").status, 200);
  EXPECT_EQ(responder.Post("/api/v1/teams", R"({"key":"support","name":"Support"})").status, 201);
  EXPECT_EQ(responder.Get("/api/v1/severities/P9").status, 404);
}

TEST_F(Catalog, BadInputIsA400NamingTheField) {
  HttpClient admin = AdminClient();
  struct Case {
    std::string path, body, field;
  };
  const Case cases[] = {
      {"/api/v1/schedules",
       R"({"key":"s","name":"S","start_date":"2026-01-01","time_zone":"Mars/Base"})", "time_zone"},
      {"/api/v1/schedules", R"({"key":"s","name":"S","start_date":"2026-13-01"})", "start_date"},
      {"/api/v1/schedules",
       R"({"key":"s","name":"S","start_date":"2026-01-01","handoff_time":"25:00"})",
       "handoff_time"},
      {"/api/v1/schedules",
       R"({"key":"s","name":"S","start_date":"2026-01-01","members":["ghost"]})", "members"},
      {"/api/v1/people", R"({"handle":"x","name":"X","language":"de"})", "language"},
      {"/api/v1/people", R"({"handle":"x","name":"X","user_id":987654})", "user_id"},
      {"/api/v1/services", R"({"key":"x","name":"X","tier":"low","owner_team":"ghost"})",
       "owner_team"},
      {"/api/v1/services", R"({"key":"x","name":"X","tier":"low","extra":1})", "extra"},
      {"/api/v1/policies",
       R"({"key":"x","name":"X","levels":[{"targets":[{"type":"person","key":"ghost"}]}]})",
       "levels[0].targets[0].key"},
  };
  for (const auto& c : cases) {
    auto r = admin.Post(c.path, c.body);
    EXPECT_EQ(r.status, 400) << c.body << " " << r.body;
    auto v = r.Json();
    ASSERT_TRUE(v.is_object()) << r.body;
    EXPECT_EQ(bj::serialize(v.at("error").at("field")), "\"" + c.field + "\"")
        << c.body << " " << r.body;
  }
  EXPECT_EQ(admin.Get("/api/v1/schedules/nope/oncall").status, 404);
  auto bad_at = admin.Get("/api/v1/services?limit=0");
  EXPECT_EQ(bad_at.status, 400);
  // Nothing half-applied: none of the bad writes left a row.
  auto people = admin.Get("/api/v1/people?limit=500");
  EXPECT_EQ(people.body.find("\"handle\":\"x\""), std::string::npos);
}

}  // namespace
}  // namespace failsafe::testing
