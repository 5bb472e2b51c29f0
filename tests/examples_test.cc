// The example data `make run` loads on a first start (examples/seed.sh) against a real server:
// it must keep working as the API and the CLI change, or a new user's first look is broken.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/process.h"

namespace failsafe::testing {
namespace {

boost::json::value Json(const CommandResult& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.out, ec);
  EXPECT_FALSE(ec) << r.out << r.err;
  return v;
}

TEST(Examples, SeedLoadsTheReferenceStoryOrganisation) {
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path() + "/data"));
  ASSERT_TRUE(server.Start()) << server.log();
  const std::string pwfile = dir.path() + "/initial-admin-password";
  std::ofstream(pwfile) << "Correct-Horse-Battery-42\n";

  CommandResult seed = RunCommand("/bin/bash",
                                  {std::string(FAILSAFE_TESTS_DIR) + "/../examples/seed.sh",
                                   FAILSAFE_BIN, server.url(), pwfile, "", dir.path() + "/backups"},
                                  {}, "", 120'000);
  ASSERT_EQ(seed.exit_code, 0) << seed.out << seed.err;
  EXPECT_NE(seed.out.find("plans pm-system-outage, data-loss (approved)"), std::string::npos)
      << seed.out;

  // `failsafe login` prints `export FAILSAFE_TOKEN=...` for the shell.
  CommandResult login = RunCommand(
      FAILSAFE_BIN, {"login", "-u", "admin", "--password-stdin", "--server", server.url()}, {},
      "Correct-Horse-Battery-42\n");
  ASSERT_EQ(login.exit_code, 0) << login.err;
  const size_t at = login.out.find("FAILSAFE_TOKEN=");
  ASSERT_NE(at, std::string::npos) << login.out;
  std::string token = login.out.substr(at + 15, login.out.find('\n', at) - at - 15);
  std::erase(token, '\'');
  const std::map<std::string, std::string> env{{"FAILSAFE_SERVER", server.url()},
                                               {"FAILSAFE_TOKEN", token}};
  auto plans = Json(RunCommand(FAILSAFE_BIN, {"plan", "list", "--json"}, env));
  ASSERT_TRUE(plans.is_array());
  EXPECT_EQ(plans.as_array().size(), 2u);
  for (const auto& p : plans.as_array()) EXPECT_EQ(p.at("approved_version").as_int64(), 1);
  auto incidents = Json(RunCommand(FAILSAFE_BIN, {"incident", "list", "--json"}, env));
  ASSERT_TRUE(incidents.is_array());
  ASSERT_EQ(incidents.as_array().size(), 1u);
  EXPECT_EQ(incidents.as_array()[0].at("severity"), "P3");
  auto oncall = RunCommand(FAILSAFE_BIN, {"schedule", "oncall", "primary"}, env);
  EXPECT_EQ(oncall.exit_code, 0) << oncall.err;
  EXPECT_TRUE(oncall.out.find("zhang-wei") != std::string::npos ||
              oncall.out.find("li-na") != std::string::npos)
      << oncall.out;

  // The Jira stand-in's backup: its first run and drill were queued; the Backups page then
  // shows Jira within its RPO and RTO (one copy on one medium: 3-2-1 not met, as it says).
  auto policies = Json(RunCommand(FAILSAFE_BIN, {"--json", "backup", "policy", "list"}, env));
  EXPECT_NE(boost::json::serialize(policies).find("\"jira-standin\""), std::string::npos);
  boost::json::value jira;
  for (int i = 0; i < 300; ++i) {
    auto status = Json(RunCommand(
        FAILSAFE_BIN, {"--json", "backup", "policy", "status", "--service", "jira"}, env));
    if (status.is_object() && !status.at("items").as_array().empty()) {
      jira = status.at("items").as_array()[0];
      if (jira.at("rto_met").is_bool() && jira.at("rto_met").as_bool()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(jira.is_object()) << "no backup status for jira";
  EXPECT_TRUE(jira.at("rpo_met").as_bool()) << boost::json::serialize(jira);
  EXPECT_TRUE(jira.at("rto_met").as_bool()) << boost::json::serialize(jira);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/backups/jira-standin/config"));
  const auto mode =
      std::filesystem::status(dir.path() + "/backups/jira-standin.password").permissions();
  EXPECT_EQ(mode & std::filesystem::perms::group_all, std::filesystem::perms::none);
}

}  // namespace
}  // namespace failsafe::testing
