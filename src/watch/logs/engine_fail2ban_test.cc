// The engine's shortcuts give fail2ban's answers unchanged: every filter fail2ban ships, with
// each of the option sets its own test logs name, run over those logs with the shortcuts on
// and off, must count the same lines and fire the same alerts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/json.h"
#include "watch/logs/engine.h"

namespace failsafe::watch::logs {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSamples = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs";

// The option sets a sample log's "# filterOptions:" line names ({} when it names none).
std::vector<std::map<std::string, std::string>> FilterOptions(
    const std::vector<std::string>& lines) {
  std::vector<std::map<std::string, std::string>> out;
  for (const auto& line : lines) {
    const std::string tag = "# filterOptions:";
    if (line.rfind(tag, 0) != 0) continue;
    auto value = json::Parse(line.substr(tag.size()));
    if (!value) continue;
    auto add = [&](const boost::json::value& v) {
      if (!v.is_object()) return;
      std::map<std::string, std::string> options;
      for (const auto& [k, o] : v.as_object()) {
        if (o.is_string()) options[std::string(k)] = std::string(o.as_string());
      }
      out.push_back(options);
    };
    if (value->is_array()) {
      for (const auto& v : value->as_array()) add(v);
    } else {
      add(*value);
    }
  }
  if (out.empty()) out.emplace_back();
  return out;
}

struct Answers {
  std::string summary;
  bool first_byte = false;
};

Answers RunFilter(const fs::path& filter, const std::map<std::string, std::string>& filter_options,
                  const std::vector<std::string>& lines, bool shortcuts) {
  LogRule rule;
  rule.name = "f";
  rule.filter = filter.string();
  rule.filter_options = filter_options;
  rule.threshold = Threshold{2, 3'600'000, "HOST"};
  EngineOptions options;
  options.year = 2026;
  options.first_byte_dispatch = shortcuts;
  auto engine = LogRuleEngine::Create({rule}, options);
  if (!engine) return {"cannot compile: " + engine.error().message()};
  std::vector<LogAlert> alerts;
  for (const auto& line : lines) (*engine)->Feed(line, std::nullopt, &alerts);
  const RuleStats s = (*engine)->rule_stats()[0];
  Answers out;
  out.summary = "matched " + std::to_string(s.matched) + " ignored " + std::to_string(s.ignored) +
                " nofail " + std::to_string(s.nofail) + " no_key " + std::to_string(s.no_key);
  for (const auto& a : alerts) {
    out.summary += "\n" + a.key + " " + std::to_string(a.count) + " " + std::to_string(a.time_ms);
  }
  for (const auto& how : (*engine)->Explain()) {
    if (how.find("first-byte") != std::string::npos) out.first_byte = true;
  }
  return out;
}

TEST(EngineFail2ban, ShortcutsGiveTheSameAnswersOnFail2bansOwnTestLogs) {
  const fs::path filters = FAIL2BAN_FILTER_DIR;
  if (!fs::exists(filters) || !fs::exists(kSamples)) {
    GTEST_SKIP() << "fail2ban or its test logs are not installed";
  }
  size_t runs = 0, by_first_byte = 0, matched_runs = 0;
  for (const auto& entry : fs::directory_iterator(kSamples)) {
    const fs::path conf = filters / (entry.path().filename().string() + ".conf");
    if (!entry.is_regular_file() || !fs::exists(conf)) continue;
    std::vector<std::string> lines;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    for (const auto& options : FilterOptions(lines)) {
      const Answers with = RunFilter(conf, options, lines, true);
      ++runs;
      matched_runs += with.summary.rfind("matched 0 ", 0) != 0;
      if (!with.first_byte) continue;  // nothing to compare
      ++by_first_byte;
      const Answers without = RunFilter(conf, options, lines, false);
      EXPECT_EQ(with.summary, without.summary) << conf;
      EXPECT_FALSE(without.first_byte);
    }
  }
  // Most shipped filters cut a prefix and anchor their failregexes after it.
  EXPECT_GT(runs, 80u);
  EXPECT_GT(by_first_byte, 20u);
  EXPECT_GT(matched_runs, 60u);
}

}  // namespace
}  // namespace failsafe::watch::logs
