// Alert states and group evaluation over the real in-memory store, stepping time by hand.
#include "watch/rules/rule_group.h"

#include <gtest/gtest.h>

#include "watch/metrics/memory_store.h"

namespace failsafe::watch::rules {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kS = 1000;

class RuleGroupTest : public ::testing::Test {
 protected:
  RuleGroup Load(const std::string& yaml) {
    RuleFileParse p = ParseRuleFile(yaml, "t.yaml");
    EXPECT_EQ(p.errors, std::vector<std::string>{});
    EXPECT_EQ(p.groups.size(), 1u);
    return RuleGroup(std::move(p.groups.at(0)));
  }
  void Put(const std::string& name, const std::string& instance, int64_t t, double v) {
    auto labels = MakeLabels({{"__name__", name}, {"instance", instance}});
    store_.Append(*labels, {t, v});
  }
  // The state of each alert of rule 0: "labels state".
  static std::vector<std::string> States(const RuleGroup& g) {
    std::vector<std::string> out;
    for (const auto& [fp, a] : g.alerting(0)->alerts())
      out.push_back(FormatLabels(a.labels) + " " + std::string(AlertStateName(a.state)));
    return out;
  }

  MemoryStore store_;
};

const char* kLoadRule = R"(groups:
  - name: g
    interval: 15s
    rules:
      - alert: HighLoad
        expr: load > 1
        for: 1m
        keep_firing_for: 30s
        labels:
          severity: P2
          copy: 'of {{ $labels.instance }}'
        annotations:
          summary: 'load {{ $value }} on {{ $labels.instance }}'
          summary_zh: '{{ $labels.instance }} 负载 {{ $value }}'
)";

TEST_F(RuleGroupTest, PendingThenFiringAfterForThenKeepsFiringThenResolves) {
  RuleGroup g = Load(kLoadRule);
  using V = std::vector<std::string>;
  const std::string alert =
      "{alertname=\"HighLoad\", copy=\"of a\", instance=\"a\", severity=\"P2\"}";
  for (int64_t s = 0; s <= 60; s += 15) Put("load", "a", kT0 + s * kS, 2);
  for (int64_t s = 0; s < 60; s += 15) {
    GroupResult r = g.Evaluate(store_, nullptr, kT0 + s * kS);
    EXPECT_EQ(r.errors, V{});
    EXPECT_EQ(States(g), V{alert + " pending"}) << s;
    EXPECT_TRUE(r.alerts.empty()) << "pending alerts are not sent";
  }
  GroupResult fired = g.Evaluate(store_, nullptr, kT0 + 60 * kS);
  EXPECT_EQ(States(g), V{alert + " firing"});
  ASSERT_EQ(fired.alerts.size(), 1u);
  const PostableAlert& p = fired.alerts[0];
  EXPECT_EQ(FormatLabels(p.labels), alert);
  EXPECT_EQ(FormatLabels(p.annotations),
            "{summary=\"load 2 on a\", summary_zh=\"a \xe8\xb4\x9f\xe8\xbd\xbd 2\"}");
  EXPECT_EQ(p.starts_at_ms, kT0 + 60 * kS);
  EXPECT_EQ(p.ends_at_ms, kT0 + 60 * kS + 4 * 60 * kS);  // 4 x max(interval, 1m resend delay)
  EXPECT_EQ(p.active_at_ms, kT0);
  EXPECT_EQ(p.value, 2);
  EXPECT_EQ(g.alerting(0)->state(), AlertState::kFiring);
  // 1700000060000 ms is 2023-11-14T22:14:20.000Z.
  EXPECT_EQ(
      PostableAlertsJson(fired.alerts, "http://failsafe/rules"),
      "[{\"labels\":{\"alertname\":\"HighLoad\",\"copy\":\"of a\",\"instance\":\"a\","
      "\"severity\":\"P2\"},\"annotations\":{\"summary\":\"load 2 on a\",\"summary_zh\":"
      "\"a \xe8\xb4\x9f\xe8\xbd\xbd 2\"},\"startsAt\":\"2023-11-14T22:14:20.000Z\",\"endsAt\":"
      "\"2023-11-14T22:18:20.000Z\",\"generatorURL\":\"http://failsafe/rules\"}]");

  // The condition clears at 75 s; the alert keeps firing for 30 s, then resolves at 105 s.
  for (int64_t s = 75; s <= 120; s += 15) Put("load", "a", kT0 + s * kS, 0.5);
  g.Evaluate(store_, nullptr, kT0 + 75 * kS);
  EXPECT_EQ(States(g), V{alert + " firing"});
  g.Evaluate(store_, nullptr, kT0 + 90 * kS);
  EXPECT_EQ(States(g), V{alert + " firing"});
  GroupResult resolved = g.Evaluate(store_, nullptr, kT0 + 105 * kS);
  EXPECT_EQ(States(g), V{alert + " inactive"});
  ASSERT_EQ(resolved.alerts.size(), 1u);
  EXPECT_EQ(resolved.alerts[0].state, AlertState::kInactive);
  EXPECT_EQ(resolved.alerts[0].starts_at_ms, kT0 + 60 * kS);
  EXPECT_EQ(resolved.alerts[0].ends_at_ms, kT0 + 105 * kS);
  // Reported as resolved for 15 minutes, then forgotten.
  EXPECT_EQ(g.Evaluate(store_, nullptr, kT0 + (105 + 900) * kS).alerts.size(), 1u);
  EXPECT_EQ(g.Evaluate(store_, nullptr, kT0 + (105 + 915) * kS).alerts.size(), 0u);
  EXPECT_EQ(States(g), V{});
}

TEST_F(RuleGroupTest, KeepFiringRestartsWhenTheConditionReturns) {
  RuleGroup g = Load(kLoadRule);
  for (int64_t s = 0; s <= 60; s += 15) Put("load", "a", kT0 + s * kS, 2);
  for (int64_t s = 0; s <= 60; s += 15) g.Evaluate(store_, nullptr, kT0 + s * kS);
  Put("load", "a", kT0 + 75 * kS, 0);
  Put("load", "a", kT0 + 90 * kS, 2);  // back before keep_firing_for ran out
  Put("load", "a", kT0 + 105 * kS, 0);
  Put("load", "a", kT0 + 120 * kS, 0);
  for (int64_t s = 75; s <= 120; s += 15) g.Evaluate(store_, nullptr, kT0 + s * kS);
  // Cleared again at 105 s: keeps firing until 135 s, not 105 s.
  EXPECT_EQ(g.alerting(0)->state(), AlertState::kFiring);
  Put("load", "a", kT0 + 135 * kS, 0);
  g.Evaluate(store_, nullptr, kT0 + 135 * kS);
  EXPECT_EQ(g.alerting(0)->state(), AlertState::kInactive);
}

TEST_F(RuleGroupTest, PendingAlertThatClearsIsDroppedAndForZeroFiresAtOnce) {
  RuleGroup g = Load(R"(groups:
  - name: g
    rules:
      - alert: Slow
        expr: load > 1
        for: 5m
      - alert: Now
        expr: load > 1
)");
  Put("load", "a", kT0, 2);
  g.Evaluate(store_, nullptr, kT0);
  EXPECT_EQ(g.alerting(0)->state(), AlertState::kPending);
  EXPECT_EQ(g.alerting(1)->state(), AlertState::kFiring);
  Put("load", "a", kT0 + 15 * kS, 0);
  GroupResult r = g.Evaluate(store_, nullptr, kT0 + 15 * kS);
  EXPECT_TRUE(g.alerting(0)->alerts().empty());
  EXPECT_EQ(g.alerting(1)->state(), AlertState::kInactive);
  ASSERT_EQ(r.alerts.size(), 1u);  // Now, resolved
  EXPECT_EQ(LabelValue(r.alerts[0].labels, "alertname"), "Now");
}

TEST_F(RuleGroupTest, RecordingRulesFeedLaterRulesAndAlertsAreRecorded) {
  RuleGroup g = Load(R"(groups:
  - name: g
    rules:
      - record: instance:load:double
        expr: load * 2
        labels:
          source: rule
      - alert: DoubleHigh
        expr: instance:load:double > 3
)");
  Put("load", "a", kT0, 2);
  Put("load", "b", kT0, 1);
  GroupResult r = g.Evaluate(store_, &store_, kT0);
  EXPECT_EQ(r.errors, std::vector<std::string>{});
  EXPECT_EQ(r.samples_recorded, 3u);  // two recorded series and one ALERTS sample
  auto m = LabelMatcher::Make("__name__", MatchOp::kEqual, "instance:load:double");
  auto rec = store_.Select(std::span(&*m, 1), kT0, kT0);
  ASSERT_EQ(rec.size(), 2u);
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(FormatLabels(r.alerts[0].labels),
            "{alertname=\"DoubleHigh\", instance=\"a\", source=\"rule\"}");
  auto alerts = LabelMatcher::Make("__name__", MatchOp::kEqual, "ALERTS");
  auto series = store_.Select(std::span(&*alerts, 1), kT0, kT0);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(FormatLabels(series[0].labels),
            "ALERTS{alertname=\"DoubleHigh\", alertstate=\"firing\", instance=\"a\", "
            "source=\"rule\"}");
}

TEST_F(RuleGroupTest, ARuleThatFailsIsReportedAndTheOthersStillRun) {
  RuleGroup g = Load(R"(groups:
  - name: g
    rules:
      - alert: Collide
        expr: load
        labels:
          instance: same
      - alert: Fine
        expr: load > 1
)");
  Put("load", "a", kT0, 2);
  Put("load", "b", kT0, 2);
  GroupResult r = g.Evaluate(store_, nullptr, kT0);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0],
            "g/Collide: rule \"Collide\": the expression returned two series with the same "
            "labels after adding the rule's labels: {alertname=\"Collide\", instance=\"same\"}");
  EXPECT_NE(g.health(0).last_error, "");
  EXPECT_EQ(g.health(1).last_error, "");
  EXPECT_EQ(r.alerts.size(), 2u);
}

}  // namespace
}  // namespace failsafe::watch::rules

namespace failsafe::watch::rules {
namespace {

// The rule files failsafe ships, on data shaped like what they watch.
class ShippedRulesTest : public RuleGroupTest {
 protected:
  RuleGroup LoadShipped(const std::string& name) {
    RuleFileParse p = LoadRuleFile(std::string(FAILSAFE_SOURCE_DIR) + "/examples/rules/" + name);
    EXPECT_EQ(p.errors, std::vector<std::string>{});
    EXPECT_EQ(p.groups.size(), 1u);
    return RuleGroup(std::move(p.groups.at(0)));
  }
  void PutProbe(int64_t t, double success) {
    auto labels = MakeLabels(
        {{"__name__", "probe_success"}, {"instance", "https://jira.example"}, {"service", "jira"}});
    store_.Append(*labels, {t, success});
  }
};

TEST_F(ShippedRulesTest, AFailingProbeFiresP1WithItsServiceAfterOneMinute) {
  RuleGroup g = LoadShipped("probes.yaml");
  std::vector<PostableAlert> sent;
  for (int64_t s = 0; s <= 60; s += 15) {
    PutProbe(kT0 + s * kS, 0);
    sent = g.Evaluate(store_, nullptr, kT0 + s * kS).alerts;
    if (s < 60) {
      EXPECT_TRUE(sent.empty()) << s;
    }
  }
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(FormatLabels(sent[0].labels),
            "{alertname=\"ProbeFailed\", instance=\"https://jira.example\", service=\"jira\", "
            "severity=\"P1\"}");
  EXPECT_EQ(LabelValue(sent[0].annotations, "summary"),
            "jira is down: probe of https://jira.example failing");
  EXPECT_EQ(LabelValue(sent[0].annotations, "summary_zh"),
            "jira \xe4\xb8\x8d\xe5\x8f\xaf\xe7\x94\xa8\xef\xbc\x9ahttps://jira.example "
            "\xe6\x8e\xa2\xe6\xb5\x8b\xe5\xa4\xb1\xe8\xb4\xa5");
  PutProbe(kT0 + 75 * kS, 1);
  sent = g.Evaluate(store_, nullptr, kT0 + 75 * kS).alerts;
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].state, AlertState::kInactive);
  EXPECT_EQ(sent[0].ends_at_ms, kT0 + 75 * kS);
}

TEST_F(ShippedRulesTest, MemoryPressureAfterFiveMinutes) {
  RuleGroup g = LoadShipped("host.yaml");
  size_t memory_rule = g.size();
  for (size_t i = 0; i < g.size(); ++i)
    if (g.spec(i).name == "HostMemoryPressure") memory_rule = i;
  ASSERT_LT(memory_rule, g.size());
  for (int64_t s = 0; s <= 300; s += 15) {
    store_.Append(*MakeLabels({{"__name__", "node_memory_MemAvailable_bytes"}, {"instance", "h"}}),
                  {kT0 + s * kS, 80});
    store_.Append(*MakeLabels({{"__name__", "node_memory_MemTotal_bytes"}, {"instance", "h"}}),
                  {kT0 + s * kS, 1000});
    g.Evaluate(store_, nullptr, kT0 + s * kS);
    EXPECT_EQ(g.alerting(memory_rule)->state(),
              s < 300 ? AlertState::kPending : AlertState::kFiring)
        << s;
  }
  const Alert& a = g.alerting(memory_rule)->alerts().begin()->second;
  EXPECT_EQ(LabelValue(a.annotations, "description"),
            "Only 8% of memory has been available for 5 minutes.");
  EXPECT_EQ(LabelValue(a.labels, "severity"), "P2");
}

}  // namespace
}  // namespace failsafe::watch::rules
