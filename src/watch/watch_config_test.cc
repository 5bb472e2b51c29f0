#include "watch/watch_config.h"

#include <gtest/gtest.h>

#include "watch/rules/rule_file.h"

namespace failsafe::watch {
namespace {

TEST(WatchConfig, ReadsEveryKeyAndResolvesPathsAgainstTheFile) {
  auto c = ParseWatchConfig(R"(
interval: 30s
retention: 2h
host: false
scrape:
  - {job: jira, url: "http://127.0.0.1:9100/metrics", interval: 1m, max_series: 500}
rule_files: [rules/host.yaml, /etc/failsafe/extra.yaml]
probe_files: [probes.yaml]
)",
                            "/srv/failsafe/watch.yaml");
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->interval_ms, 30'000);
  EXPECT_EQ(c->retention_ms, 2 * 3600'000);
  EXPECT_FALSE(c->host);
  ASSERT_EQ(c->scrape.size(), 1u);
  EXPECT_EQ(c->scrape[0].target.job, "jira");
  EXPECT_EQ(c->scrape[0].interval_ms, 60'000);
  EXPECT_EQ(c->scrape[0].target.max_series, 500u);
  EXPECT_EQ(c->rule_files, (std::vector<std::string>{"/srv/failsafe/rules/host.yaml",
                                                     "/etc/failsafe/extra.yaml"}));
  EXPECT_EQ(c->probe_files, std::vector<std::string>{"/srv/failsafe/probes.yaml"});
  // Rule files of its own replace the built-in host rules unless asked for both.
  EXPECT_FALSE(c->default_host_rules);
}

TEST(WatchConfig, EmptyFileMeansHostAndBuiltInRules) {
  auto c = ParseWatchConfig("", "w.yaml");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->host);
  EXPECT_TRUE(c->default_host_rules);
  EXPECT_EQ(c->interval_ms, 15'000);
}

TEST(WatchConfig, ErrorsNameFileLineAndField) {
  auto typo = ParseWatchConfig("interval: 15s\nretension: 6h\n", "w.yaml");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message().find("w.yaml:2"), std::string::npos) << typo.error().message();
  EXPECT_NE(typo.error().message().find("retension"), std::string::npos);

  auto url = ParseWatchConfig("scrape:\n  - {job: a, url: ftp://x/metrics}\n", "w.yaml");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().field(), "scrape[0].url");

  auto missing = ParseWatchConfig("scrape:\n  - {url: http://x/metrics}\n", "w.yaml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("job"), std::string::npos);

  auto fast = ParseWatchConfig("interval: 10ms\n", "w.yaml");
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().field(), "interval");

  auto broken = ParseWatchConfig("scrape: [\n", "w.yaml");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message().find("w.yaml:"), std::string::npos);
}

TEST(WatchConfig, AMissingFileIsAnErrorNamingIt) {
  auto c = LoadWatchConfig("/nonexistent/watch.yaml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field(), "watch_file");
  EXPECT_NE(c.error().message().find("/nonexistent/watch.yaml"), std::string::npos)
      << c.error().message();
}

TEST(WatchConfig, BuiltInHostRulesAreTheShippedFileAndValid) {
  auto parse = rules::ParseRuleFile(DefaultHostRules(), "builtin");
  EXPECT_TRUE(parse.errors.empty()) << parse.errors.front();
  std::vector<std::string> names;
  for (const auto& g : parse.groups) {
    for (const auto& r : g.rules) names.push_back(r.name);
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "HostHighCpu"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "HostDiskFullIn4h"), names.end());
  EXPECT_GE(names.size(), 3u);
}

}  // namespace
}  // namespace failsafe::watch
