// `failsafe rules check` on the shipped rule files and on broken ones: what it prints, where
// errors point, and its exit codes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "tests/support/process.h"

namespace failsafe::testing {
namespace {

std::string Example(const std::string& name) {
  return std::string(FAILSAFE_TESTS_DIR) + "/../examples/rules/" + name;
}

TEST(RulesCheck, ShippedRuleFilesPass) {
  auto r = RunCommand(FailsafeBinary(),
                      {"rules", "check", Example("host.yaml"), Example("probes.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, Example("host.yaml") + ": 3 rules in 1 group, OK\n" + Example("probes.yaml") +
                       ": 3 rules in 1 group, OK\n");
  EXPECT_EQ(r.err, "");
}

TEST(RulesCheck, ErrorsNameFileLineColumnAndExitOne) {
  TempDir dir;
  const std::string bad = dir.path() + "/bad.yaml";
  std::ofstream(bad) << "groups:\n"
                        "  - name: host\n"
                        "    rules:\n"
                        "      - alert: HighCpu\n"
                        "        expr: rate(cpu[5m]) offset 1h > 0.8\n"
                        "        for: 5 min\n";
  auto r = RunCommand(FailsafeBinary(), {"rules", "check", Example("host.yaml"), bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, bad +
                       ":5:29: group \"host\", alert \"HighCpu\": expr: the offset modifier is "
                       "not supported\n" +
                       bad +
                       ":6:14: group \"host\", alert \"HighCpu\": 'for': invalid duration "
                       "'5 min': unit must be ms, s, m, h, d or w\n");
  EXPECT_EQ(r.out, Example("host.yaml") + ": 3 rules in 1 group, OK\n" + bad + ": 2 errors\n");

  auto missing = RunCommand(FailsafeBinary(), {"rules", "check", dir.path() + "/none.yaml"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, dir.path() + "/none.yaml: cannot read the file\n");

  auto usage = RunCommand(FailsafeBinary(), {"rules", "check"});
  EXPECT_EQ(usage.exit_code, 2);
}

TEST(RulesCheck, JsonReport) {
  auto r = RunCommand(FailsafeBinary(), {"rules", "check", "--json", Example("probes.yaml")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = boost::json::parse(r.out).as_object();
  EXPECT_EQ(v.at("ok").as_bool(), true);
  const auto& file = v.at("files").as_array().at(0).as_object();
  EXPECT_EQ(file.at("rules").to_number<int>(), 3);
  EXPECT_EQ(file.at("groups").to_number<int>(), 1);
  EXPECT_TRUE(file.at("errors").as_array().empty());
}

}  // namespace
}  // namespace failsafe::testing
