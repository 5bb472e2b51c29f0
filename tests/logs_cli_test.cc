// `failsafe logs test`: the real binary over real files and stdin, text and --json, with a
// rule file and with fail2ban's own sshd filter.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/process.h"

namespace failsafe::testing {
namespace {

constexpr const char* kRules = R"(log_rules:
  - name: ssh-bruteforce
    match: 'Failed password for (invalid user )?\S+ from <HOST>'
    threshold: {count: 5, within: 60s, by: HOST}
    severity: P3
)";

std::string AuthLog() {
  std::string log;
  for (int i = 0; i < 6; ++i) {
    log += "Nov 22 06:42:3" + std::to_string(i) +
           " bastion sshd[812]: Failed password for root from 203.0.113.7 port 5 ssh2\n";
  }
  for (int i = 0; i < 3; ++i) {
    log += "Nov 22 06:43:0" + std::to_string(i) +
           " bastion sshd[812]: Failed password for invalid user bob from 198.51.100.2 port 6 "
           "ssh2\n";
  }
  log +=
      "Nov 22 06:44:00 bastion sshd[813]: Accepted publickey for deploy from 192.0.2.10 "
      "port 7 ssh2: ED25519 SHA256:abc\n";
  return log;
}

class LogsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = dir_.path() + "/rules.yml";
    log_ = dir_.path() + "/auth.log";
    std::ofstream(rules_) << kRules;
    std::ofstream(log_) << AuthLog();
  }
  CommandResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    return RunCommand(FailsafeBinary(), args, {}, stdin_text);
  }
  TempDir dir_;
  std::string rules_, log_;
};

TEST_F(LogsCliTest, JsonHasTheDocumentedShape) {
  auto r = Run({"logs", "test", "--rules", rules_, log_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = boost::json::parse(r.out).as_object();
  const auto& rules = doc.at("rules").as_array();
  ASSERT_EQ(rules.size(), 1u);
  const auto& rule = rules[0].as_object();
  EXPECT_EQ(rule.at("name").as_string(), "ssh-bruteforce");
  EXPECT_EQ(rule.at("matched").as_int64(), 9);
  const auto& alerts = rule.at("alerts").as_array();
  ASSERT_EQ(alerts.size(), 1u);  // .7 reaches 5 in 60 s; .2 only 3
  EXPECT_EQ(alerts[0].at("key").as_string(), "203.0.113.7");
  EXPECT_EQ(alerts[0].at("count").as_int64(), 5);
  EXPECT_EQ(alerts[0].at("severity").as_string(), "P3");
}

TEST_F(LogsCliTest, StdinAndTextOutput) {
  auto r = Run({"logs", "test", "--rules", rules_, "-", "--year", "2026"}, AuthLog());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Lines: 10 read"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Rule ssh-bruteforce: 9 matched"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("203.0.113.7"), std::string::npos);
  EXPECT_NE(r.out.find("2026-11-22T06:42:30Z"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("198.51.100.2"), std::string::npos);
}

TEST_F(LogsCliTest, Fail2banFilterInsteadOfRules) {
  const std::string sshd = "/etc/fail2ban/filter.d/sshd.conf";
  if (!std::filesystem::exists(sshd)) GTEST_SKIP() << "fail2ban is not installed";
  auto r = Run({"logs", "test", "--filter", sshd, log_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rule = boost::json::parse(r.out).at("rules").at(0).as_object();
  EXPECT_EQ(rule.at("name").as_string(), "sshd");
  EXPECT_EQ(rule.at("matched").as_int64(), 9);
  EXPECT_EQ(rule.at("not_failures").as_int64(), 1);    // the Accepted line
  ASSERT_EQ(rule.at("alerts").as_array().size(), 1u);  // fail2ban's defaults: 5 in 10 m
  auto aggressive = Run({"logs", "test", "--filter", sshd + "[mode=aggressive]", log_});
  EXPECT_EQ(aggressive.exit_code, 0) << aggressive.err;
}

// Text output lists each rule's first --max-alerts alerts and counts the rest; --json has all.
TEST_F(LogsCliTest, TextListsTheFirstAlertsAndCountsTheRest) {
  std::ofstream(rules_) << "log_rules:\n  - name: each\n    match: 'Failed password'\n";
  auto text = Run({"logs", "test", "--rules", rules_, log_, "--max-alerts", "2", "--year", "2026"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Rule each: 9 matched, 0 ignored, 0 matched but not failures, 9 alerts"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("... and 7 more"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2026-11-22T06:42:30Z"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2026-11-22T06:42:31Z"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("2026-11-22T06:42:32Z"), std::string::npos) << text.out;
  auto json = Run({"logs", "test", "--rules", rules_, log_, "--json", "--max-alerts", "2"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(boost::json::parse(json.out).at("rules").at(0).at("alerts").as_array().size(), 9u);
}

TEST_F(LogsCliTest, BadRulesAndUsage) {
  std::ofstream(rules_) << "log_rules:\n  - name: x\n    match: 'a(b'\n";
  auto bad = Run({"logs", "test", "--rules", rules_, log_});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("rules.yml:3:12: rule 'x': match: invalid regex"), std::string::npos)
      << bad.err;
  EXPECT_EQ(Run({"logs", "test", log_}).exit_code, 2);
  EXPECT_EQ(Run({"logs", "test", "--rules", rules_, "--filter", "x", log_}).exit_code, 2);
  auto missing = Run({"logs", "test", "--rules", rules_ + ".none", log_});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::testing
