#include "watch/logs/engine.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "watch/logs/rule_file.h"

namespace failsafe::watch::logs {
namespace {

std::unique_ptr<LogRuleEngine> Engine(const std::string& yaml, EngineOptions options = {}) {
  auto rules = ParseRuleFile(yaml, "rules.yml", ".");
  EXPECT_TRUE(rules) << rules.error().ToString();
  options.year = 2026;
  auto engine = LogRuleEngine::Create(std::move(*rules), options);
  EXPECT_TRUE(engine) << engine.error().ToString();
  return std::move(*engine);
}

constexpr const char* kSshRule = R"(log_rules:
  - name: ssh-bruteforce
    match: 'Failed password for (invalid user )?\S+ from <HOST>'
    threshold: {count: 5, within: 60s, by: HOST}
    severity: P3
    labels: {service: bastion}
    annotations:
      summary: {en: '{{count}} failed logins from {{key}}', zh-CN: '{{key}} 登录失败 {{count}} 次'}
)";

std::string Failed(int second, const std::string& host, bool invalid = false) {
  char ts[32];
  std::snprintf(ts, sizeof ts, "Nov 22 06:%02d:%02d", second / 60, second % 60);
  return std::string(ts) + " bastion sshd[812]: Failed password for " +
         (invalid ? "invalid user admin" : "root") + " from " + host + " port 52144 ssh2";
}

TEST(LogRuleEngine, ThresholdByHostOnTheLinesOwnTimes) {
  auto engine = Engine(kSshRule);
  std::vector<LogAlert> alerts;
  for (int i = 0; i < 4; ++i) engine->Feed(Failed(i * 10, "203.0.113.7", i % 2), {}, &alerts);
  for (int i = 0; i < 4; ++i) engine->Feed(Failed(i * 10, "198.51.100.2"), {}, &alerts);
  engine->Feed("Nov 22 06:00:45 bastion sshd[812]: Accepted publickey for deploy", {}, &alerts);
  EXPECT_TRUE(alerts.empty());
  EXPECT_EQ(engine->rule_stats()[0].keys, 2u);  // two hosts on their way to the threshold
  EXPECT_EQ(engine->rule_stats()[0].last_alert_ms, 0);
  engine->Feed(Failed(50, "203.0.113.7"), {}, &alerts);
  ASSERT_EQ(alerts.size(), 1u);
  const LogAlert& a = alerts[0];
  EXPECT_EQ(a.rule, "ssh-bruteforce");
  EXPECT_EQ(a.key, "203.0.113.7");
  EXPECT_EQ(a.count, 5);
  EXPECT_EQ(a.severity, "P3");
  EXPECT_EQ(a.time_ms - a.first_ms, 50'000);
  EXPECT_EQ(a.labels.at("host"), "203.0.113.7");
  EXPECT_EQ(a.labels.at("service"), "bastion");
  EXPECT_EQ(a.labels.at("alertname"), "ssh-bruteforce");
  EXPECT_EQ(a.annotations.at("summary"), "5 failed logins from 203.0.113.7");
  EXPECT_EQ(a.annotations.at("summary.zh-CN"), "203.0.113.7 登录失败 5 次");
  // The fifth from the other host comes 100 s after its first: outside 60 s.
  engine->Feed(Failed(100, "198.51.100.2"), {}, &alerts);
  EXPECT_EQ(alerts.size(), 1u);
  auto stats = engine->rule_stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].matched, 10u);
  EXPECT_EQ(stats[0].alerts, 1u);
  // The lines' own times (2026-11-22T06:00:00Z is 1795327200 s), not the wall clock.
  constexpr int64_t kSix = 1'795'327'200'000;
  EXPECT_EQ(stats[0].last_alert_ms, kSix + 50'000);
  EXPECT_EQ(stats[0].last_match_ms, kSix + 100'000);
  EXPECT_EQ(engine->stats().lines, 11u);
}

TEST(LogRuleEngine, SameFileSameVerdictWhateverTheSourceTimeSays) {
  // Lines carry their own time: the time the source stamps (reading time) is not used.
  for (int64_t read_at : {int64_t{0}, int64_t{1'000'000'000'000}}) {
    auto engine = Engine(kSshRule);
    std::vector<LogAlert> alerts;
    for (int i = 0; i < 5; ++i) engine->Feed(Failed(i * 30, "203.0.113.7"), read_at + i, &alerts);
    EXPECT_TRUE(alerts.empty()) << "120 s apart in the file";
  }
  // Lines without a time of their own fall back to the source's time.
  auto engine = Engine(kSshRule);
  std::vector<LogAlert> alerts;
  for (int i = 0; i < 5; ++i) {
    engine->Feed("Failed password for root from 203.0.113.9", int64_t{i} * 1000, &alerts);
  }
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(engine->stats().no_time, 0u);
}

TEST(LogRuleEngine, OneOffIgnoreNamedCapturesAndUserKeys) {
  auto engine = Engine(R"(log_rules:
  - name: panic
    match: ['kernel panic', 'Oops: (?P<code>\d+)']
    ignore: 'test-vm'
    severity: P1
  - name: user-lockout
    match: 'authentication failure for (?P<user>\w+)'
    threshold: {count: 2, within: 1h, by: USER}
)");
  std::vector<LogAlert> alerts;
  engine->Feed("2026-11-22T06:00:00Z web1 kernel panic - not syncing", {}, &alerts);
  engine->Feed("2026-11-22T06:00:01Z test-vm kernel panic", {}, &alerts);
  engine->Feed("2026-11-22T06:00:02Z web2 Oops: 0002", {}, &alerts);
  engine->Feed("2026-11-22T06:10:00Z authentication failure for alice", {}, &alerts);
  engine->Feed("2026-11-22T06:20:00Z authentication failure for bob", {}, &alerts);
  engine->Feed("2026-11-22T06:30:00Z authentication failure for alice", {}, &alerts);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0].rule, "panic");
  EXPECT_EQ(alerts[0].key, "");
  EXPECT_EQ(alerts[1].rule, "panic");
  EXPECT_EQ(alerts[2].rule, "user-lockout");
  EXPECT_EQ(alerts[2].key, "alice");
  EXPECT_EQ(alerts[2].labels.at("user"), "alice");
  auto stats = engine->rule_stats();
  EXPECT_EQ(stats[0].matched, 2u);
  EXPECT_EQ(stats[0].ignored, 1u);
  EXPECT_EQ(stats[1].matched, 3u);
}

TEST(LogRuleEngine, RateRule) {
  auto engine = Engine(R"(log_rules:
  - name: error-spike
    match: ' ERROR '
    rate: {factor: 5, per: 1m, baseline: 10m, min_count: 5}
)");
  std::vector<LogAlert> alerts;
  auto at = [](int minute, int second) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "2026-11-22T07:%02d:%02dZ app ERROR db timeout", minute, second);
    return std::string(buf);
  };
  for (int m = 0; m < 15; ++m) engine->Feed(at(m, 0), {}, &alerts);
  EXPECT_TRUE(alerts.empty());
  for (int s = 0; s < 30; ++s) engine->Feed(at(15, s), {}, &alerts);
  engine->Finish(&alerts);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].count, 30);
  EXPECT_DOUBLE_EQ(alerts[0].baseline, 1.0);
}

TEST(LogRuleEngine, BinaryJunkAndHugeLinesAreCountedNotFatal) {
  EngineOptions options;
  options.max_line_bytes = 1000;
  auto engine = Engine(kSshRule, options);
  std::vector<LogAlert> alerts;
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>(i * 37 % 256);
  engine->Feed(junk, {}, &alerts);
  engine->Feed(std::string(10'000, 'F') + "Failed password for root from 1.2.3.4", {}, &alerts);
  engine->Feed(std::string("\0\xff\xfe Failed password for root from 1.2.3.4", 40), {}, &alerts);
  EXPECT_EQ(engine->stats().truncated, 2u);
  EXPECT_EQ(engine->stats().binary, 2u);
  EXPECT_EQ(engine->rule_stats()[0].matched, 1u);  // the truncated one lost its match
}

TEST(LogRuleEngine, RegexErrorsNameFileLineColumnAndRule) {
  auto rules = ParseRuleFile("log_rules:\n  - name: bad\n    match: 'a(b'\n", "rules.yml", ".");
  ASSERT_TRUE(rules);
  auto engine = LogRuleEngine::Create(std::move(*rules));
  ASSERT_FALSE(engine);
  EXPECT_NE(engine.error().message().find("rules.yml:3:12: rule 'bad': match: invalid regex"),
            std::string::npos)
      << engine.error().message();
  auto no_key = ParseRuleFile(
      "log_rules:\n  - name: k\n    match: 'x'\n    threshold: {count: 2, within: 1m, by: USER}\n",
      "rules.yml", ".");
  ASSERT_TRUE(no_key);
  auto e2 = LogRuleEngine::Create(std::move(*no_key));
  ASSERT_FALSE(e2);
  EXPECT_NE(e2.error().message().find("no such group"), std::string::npos);
}

TEST(LogRuleEngine, Fail2banSshdFilterUnchanged) {
  const std::string sshd = std::string(FAIL2BAN_FILTER_DIR) + "/sshd.conf";
  if (!std::filesystem::exists(sshd)) GTEST_SKIP() << "fail2ban is not installed";
  auto engine = Engine("log_rules:\n  - name: sshd\n    filter: " + sshd +
                       "\n    threshold: {count: 3, within: 10m, by: HOST}\n");
  std::vector<LogAlert> alerts;
  const std::vector<std::string> lines = {
      "Nov 22 06:42:34 bastion sshd[812]: Failed password for root from 203.0.113.7 port 5 ssh2",
      "Nov 22 06:42:35 bastion sshd[813]: Failed password for invalid user admin from "
      "203.0.113.7 port 6 ssh2",
      "Nov 22 06:42:36 bastion sshd[814]: Invalid user oracle from 203.0.113.7 port 7",
      "Nov 22 06:42:37 bastion sshd[815]: Accepted publickey for deploy from 192.0.2.10 port 8 "
      "ssh2: ED25519 SHA256:abc",
      "Nov 22 06:42:38 bastion sshd[816]: Connection closed by 192.0.2.11 port 9 [preauth]",
      "Nov 22 06:42:39 bastion sshd[817]: pam_unix(sshd:session): session opened for user deploy",
      "Nov 22 06:42:40 bastion sshd[818]: error: maximum authentication attempts exceeded for "
      "root from 198.51.100.4 port 10 ssh2 [preauth]",
      "Nov 22 06:42:41 bastion CRON[900]: Failed password for root from 10.0.0.1 port 1 ssh2",
  };
  for (const auto& l : lines) engine->Feed(l, {}, &alerts);
  auto stats = engine->rule_stats();
  EXPECT_EQ(stats[0].matched, 4u);  // three from .7, one from .4; CRON is not sshd
  EXPECT_EQ(stats[0].nofail, 2u);   // Accepted (gained), Connection closed (nofail)
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].key, "203.0.113.7");
  // Its failregexes are anchored after the prefix: the content's first byte picks them.
  for (const auto& how : engine->Explain()) {
    EXPECT_NE(how.find("first-byte + pcre2"), std::string::npos) << how;
  }
}

}  // namespace
}  // namespace failsafe::watch::logs
