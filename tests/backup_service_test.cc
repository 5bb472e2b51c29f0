// Backup policies against the real server binary: a service with RPO and RTO in the catalog,
// a policy applied from a YAML file with the CLI, a run now recorded with its snapshot, a
// restore drill passing with its margin against the RTO, the per-service status (RPO, RTO,
// 3-2-1), secrets never returned, a failing destination raising an alert in the intake, and
// the progress and outcome events on the console's live feed.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/sse_client.h"

namespace failsafe::testing {
namespace {

namespace bj = boost::json;
constexpr const char* kPassword = "Correct-Horse-Battery-42";

bj::value ParseOut(const CommandResult& r) {
  boost::system::error_code ec;
  auto v = bj::parse(r.out, ec);
  EXPECT_FALSE(ec) << r.out << r.err;
  return ec ? bj::value() : v;
}

class BackupService : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(OptionsFor(dir_.path() + "/data"));
    ASSERT_TRUE(server_->Start()) << server_->log();
    api_ = std::make_unique<HttpClient>(server_->address());
    ASSERT_EQ(api_->Login("admin", kPassword).status, 200);
    token_ = api_->CreateToken("backup-test", "admin");
    ASSERT_FALSE(token_.empty());
    api_->ClearAuth();
    api_->SetBearer(token_);
    std::filesystem::create_directories(dir_.path() + "/src/docs");
    std::ofstream(dir_.path() + "/src/docs/a.txt") << "the ERP's attachments\n";
    std::ofstream(dir_.path() + "/src/big.bin") << std::string(300'000, 'x');
  }

  CommandResult Cli(std::vector<std::string> args) {
    return RunCommand(FailsafeBinary(), args,
                      {{"FAILSAFE_SERVER", server_->url()}, {"FAILSAFE_TOKEN", token_}});
  }

  HttpResult PostJson(const std::string& target, const std::string& body) {
    return api_->Send("POST", target, body, {{"content-type", "application/json"}});
  }

  std::string WritePolicy(const std::string& name, const std::string& destinations) {
    const std::string path = dir_.path() + "/" + name + ".yaml";
    std::ofstream(path) << "name: " << name << "\nservice: erp\nschedule: '0 2 * * *'\n"
                        << "drill_schedule: '0 4 1 * *'\n"
                        << "sources:\n  - kind: paths\n    paths: [" << dir_.path() << "/src]\n"
                        << "retention: {keep_daily: 7, keep_weekly: 4}\n"
                        << "destinations:\n"
                        << destinations;
    return path;
  }

  // Polls `target` until `done` says the answer is final (at most 60 s).
  bj::value WaitFor(const std::string& target, const std::function<bool(const bj::value&)>& done) {
    for (int i = 0; i < 600; ++i) {
      auto r = api_->Get(target);
      if (r.status == 200 && done(r.Json())) return r.Json();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "timed out waiting on " << target << ": " << api_->Get(target).body;
    return nullptr;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> api_;
  std::string token_;
};

TEST_F(BackupService, PolicyRunDrillStatusAndAFailingDestination) {
  ASSERT_EQ(PostJson("/api/v1/services",
                     R"({"key":"erp","name":"ERP","tier":"critical","rto":"4h","rpo":"24h"})")
                .status,
            201);
  const std::string repo = dir_.path() + "/repo";
  const std::string file = WritePolicy(
      "erp-files", "  - {url: " + repo + ", media: disk, init: true, password: Repo-Pw-1}\n");

  // A field error names the line, column and field.
  std::ofstream(dir_.path() + "/bad.yaml") << "name: bad\nservice: erp\nschedule: '0 25 * * *'\n";
  auto bad = Cli({"backup", "policy", "apply", "-f", dir_.path() + "/bad.yaml"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("policy:3:"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("schedule"), std::string::npos) << bad.err;

  auto applied = Cli({"--json", "backup", "policy", "apply", "-f", file});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(applied.out.find("Repo-Pw-1"), std::string::npos);
  auto shown = api_->Get("/api/v1/backup/policies/erp-files");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.find("Repo-Pw-1"), std::string::npos);
  EXPECT_NE(shown.body.find(R"("password":true)"), std::string::npos) << shown.body;

  // Run now: the run is recorded with its snapshot, and consoles on the live feed see it start
  // and finish.
  using namespace std::chrono_literals;
  EventStreamReader events(server_->address(), token_);
  ASSERT_EQ(events.status(), 200);
  auto run = Cli({"backup", "policy", "run-now", "erp-files"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto runs = WaitFor("/api/v1/backup/runs?policy=erp-files",
                      [](const bj::value& v) { return !v.at("items").as_array().empty(); });
  ASSERT_TRUE(runs.is_object());
  const auto& r = runs.at("items").as_array()[0].as_object();
  EXPECT_EQ(r.at("status").as_string(), "ok") << bj::serialize(r);
  EXPECT_EQ(r.at("snapshot_id").as_string().size(), 64u);
  EXPECT_EQ(r.at("files").as_int64(), 2);
  EXPECT_GE(r.at("bytes_read").as_int64(), 300'000);
  EXPECT_EQ(r.at("trigger").as_string(), "manual");
  EXPECT_TRUE(std::filesystem::exists(repo + "/config"));
  EXPECT_TRUE(
      events.WaitFor("event: backup.progress\ndata: {\"policy\":\"erp-files\","
                     "\"service\":\"erp\",\"kind\":\"backup\",\"phase\":\"staging\"",
                     10s))
      << events.text();
  EXPECT_TRUE(
      events.WaitFor("event: backup.run.finished\ndata: {\"policy\":\"erp-files\","
                     "\"service\":\"erp\",\"kind\":\"backup\",\"status\":\"ok\"",
                     10s))
      << events.text();

  // A drill restores and verifies every byte, and compares with the 4 h RTO.
  ASSERT_EQ(Cli({"backup", "policy", "drill-now", "erp-files"}).exit_code, 0);
  auto drills = WaitFor("/api/v1/backup/drills?policy=erp-files",
                        [](const bj::value& v) { return !v.at("items").as_array().empty(); });
  ASSERT_TRUE(drills.is_object());
  const auto& d = drills.at("items").as_array()[0].as_object();
  EXPECT_EQ(d.at("status").as_string(), "pass") << bj::serialize(d);
  EXPECT_EQ(d.at("verified_bytes").as_int64(), d.at("restored_bytes").as_int64());
  EXPECT_EQ(d.at("rto_ms").as_int64(), 4 * 3600'000);
  EXPECT_GT(d.at("margin_ms").as_int64(), 3 * 3600'000);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path() + "/data/backup/drills"));
  EXPECT_TRUE(events.WaitFor("event: backup.drill.finished", 10s)) << events.text();

  // Status per service: the RPO and RTO are met; one copy on one medium is not 3-2-1.
  auto status = Cli({"--json", "backup", "policy", "status", "--service", "erp"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  auto s = ParseOut(status);
  ASSERT_EQ(s.at("items").as_array().size(), 1u);
  const auto& svc = s.at("items").as_array()[0].as_object();
  EXPECT_TRUE(svc.at("rpo_met").as_bool());
  EXPECT_TRUE(svc.at("rto_met").as_bool());
  const auto& t = svc.at("three_two_one").as_object();
  EXPECT_EQ(t.at("copies").as_int64(), 1);
  EXPECT_FALSE(t.at("ok").as_bool());
  EXPECT_EQ(t.at("missing").as_array().size(), 3u);
  auto table = Cli({"backup", "policy", "status"});
  EXPECT_NE(table.out.find("copies: 1 of 3"), std::string::npos) << table.out;

  // A destination that is not a repository fails, and the failure is an alert (P1: the
  // service is critical) labelled with the service and policy.
  const std::string broken = WritePolicy("erp-offsite", "  - {url: " + dir_.path() +
                                                            "/nowhere, media: nas, offsite: true, "
                                                            "password: x}\n");
  ASSERT_EQ(Cli({"backup", "policy", "apply", "-f", broken}).exit_code, 0);
  ASSERT_EQ(Cli({"backup", "policy", "run-now", "erp-offsite"}).exit_code, 0);
  auto failed = WaitFor("/api/v1/backup/runs?policy=erp-offsite",
                        [](const bj::value& v) { return !v.at("items").as_array().empty(); });
  ASSERT_TRUE(failed.is_object());
  EXPECT_EQ(failed.at("items").as_array()[0].at("status").as_string(), "failed");
  auto alerts = WaitFor("/api/v2/alerts?filter=alertname%3D%22BackupFailed%22",
                        [](const bj::value& v) { return v.is_array() && !v.as_array().empty(); });
  ASSERT_TRUE(alerts.is_array());
  const auto& labels = alerts.as_array()[0].at("labels").as_object();
  EXPECT_EQ(labels.at("service").as_string(), "erp");
  EXPECT_EQ(labels.at("policy").as_string(), "erp-offsite");
  EXPECT_EQ(labels.at("severity").as_string(), "P1");

  // Changes are audited, without secrets.
  auto audit = api_->Get("/api/v1/audit?limit=50");
  EXPECT_NE(audit.body.find("backup_policy.create"), std::string::npos);
  EXPECT_NE(audit.body.find("backup_policy.run"), std::string::npos);
  EXPECT_EQ(audit.body.find("Repo-Pw-1"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::testing
