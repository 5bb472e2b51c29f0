#include "watch/logs/rule_file.h"

#include <gtest/gtest.h>

namespace failsafe::watch::logs {
namespace {

Result<std::vector<LogRule>> Parse(const std::string& yaml) {
  return ParseRuleFile(yaml, "rules.yml", "/etc/failsafe");
}

std::string ErrorOf(const std::string& yaml) {
  auto r = Parse(yaml);
  return r ? "" : r.error().message();
}

TEST(RuleFile, TheFormScriptsDependOn) {
  auto rules = Parse(R"(log_rules:
  - name: ssh-bruteforce
    match: 'Failed password for (invalid user )?\S+ from <HOST>'
    threshold: {count: 5, within: 60s, by: HOST}
    severity: P3
)");
  ASSERT_TRUE(rules) << rules.error().ToString();
  ASSERT_EQ(rules->size(), 1u);
  const LogRule& r = (*rules)[0];
  EXPECT_EQ(r.name, "ssh-bruteforce");
  ASSERT_EQ(r.match.size(), 1u);
  EXPECT_EQ(r.match[0].text, R"(Failed password for (invalid user )?\S+ from <HOST>)");
  EXPECT_EQ(r.match[0].where, "rules.yml:3:12: rule 'ssh-bruteforce': match");
  ASSERT_TRUE(r.threshold);
  EXPECT_EQ(r.threshold->count, 5);
  EXPECT_EQ(r.threshold->within_ms, 60'000);
  EXPECT_EQ(r.threshold->by, "HOST");
  EXPECT_EQ(r.severity, "P3");
  EXPECT_EQ(r.where, "rules.yml:2:5");
}

TEST(RuleFile, FullSchema) {
  auto rules = Parse(R"(log_rules:
  - name: app-errors
    match: [' ERROR ', ' FATAL ']
    ignore: 'healthcheck'
    rate: {factor: 5, per: 1m, baseline: 1h, min_count: 20}
    severity: P2
    labels: {service: erp}
    annotations:
      summary: {en: 'Error spike: {{count}} a minute', zh-CN: '错误激增：每分钟 {{count}} 条'}
      runbook: https://wiki/erp
  - name: sshd
    filter: filter.d/sshd.conf
    filter_options: {mode: aggressive}
    threshold: {count: 3, within: 10m, by: USER}
  - name: panic
    match: 'kernel panic'
    severity: P1
)");
  ASSERT_TRUE(rules) << rules.error().ToString();
  ASSERT_EQ(rules->size(), 3u);
  const LogRule& a = (*rules)[0];
  EXPECT_EQ(a.match.size(), 2u);
  EXPECT_EQ(a.ignore.size(), 1u);
  ASSERT_TRUE(a.rate);
  EXPECT_EQ(a.rate->factor, 5);
  EXPECT_EQ(a.rate->per_ms, 60'000);
  EXPECT_EQ(a.rate->baseline_ms, 3'600'000);
  EXPECT_EQ(a.rate->min_count, 20);
  EXPECT_EQ(a.labels.at("service"), "erp");
  EXPECT_EQ(a.annotations.at("summary"), "Error spike: {{count}} a minute");
  EXPECT_EQ(a.annotations.at("summary.zh-CN"), "错误激增：每分钟 {{count}} 条");
  const LogRule& b = (*rules)[1];
  EXPECT_EQ(b.filter, "/etc/failsafe/filter.d/sshd.conf");
  EXPECT_EQ(b.filter_options.at("mode"), "aggressive");
  EXPECT_EQ(b.threshold->by, "USER");
  EXPECT_FALSE((*rules)[2].threshold);
  EXPECT_FALSE((*rules)[2].rate);
}

TEST(RuleFile, ErrorsNameLineColumnRuleAndKey) {
  EXPECT_EQ(
      ErrorOf("log_rules:\n  - name: a\n    match: x\n    threshold: {count: 5, within: 60 s}\n"),
      "rules.yml:4:35: rule 'a': threshold.within: bad duration '60 s' (e.g. 60s, 5m, 1h)");
  EXPECT_EQ(ErrorOf("log_rules:\n  - name: a\n    match: x\n    treshold: {}\n"),
            "rules.yml:4:5: rule 'a': unknown key 'treshold' (known: annotations, description, "
            "filter, filter_options, ignore, labels, match, name, rate, severity, threshold)");
  EXPECT_NE(
      ErrorOf("log_rules:\n  - name: a\n    match: x\n    severity: P5\n").find("rules.yml:4:15"),
      std::string::npos);
  EXPECT_NE(ErrorOf("log_rules:\n  - name: a\n").find("needs 'match'"), std::string::npos);
  EXPECT_NE(ErrorOf("log_rules:\n  - {name: a, match: x}\n  - {name: a, match: y}\n").find("twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf("log_rules: [\n").find("rules.yml:"), std::string::npos);
  EXPECT_NE(ErrorOf("rules: []\n").find("unknown key 'rules'"), std::string::npos);
  EXPECT_NE(ErrorOf("log_rules:\n  - {name: a, match: x, threshold: {count: 0, within: 1s}}\n")
                .find("threshold.count"),
            std::string::npos);
  EXPECT_NE(ErrorOf("log_rules:\n  - {name: 'a b', match: x}\n").find("name:"), std::string::npos);
  EXPECT_NE(
      ErrorOf("log_rules:\n  - {name: a, match: x, rate: {factor: 5, per: 1h, baseline: 1m}}\n")
          .find("baseline"),
      std::string::npos);
}

}  // namespace
}  // namespace failsafe::watch::logs
