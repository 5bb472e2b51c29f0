#include "watch/rule_runner.h"

#include <gtest/gtest.h>

#include "watch/rules/rule_file.h"

namespace failsafe::watch {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

Labels Make(std::vector<Label> l) {
  return *MakeLabels(std::move(l));
}

std::vector<rules::RuleGroupSpec> Groups(std::string_view yaml) {
  auto parse = rules::ParseRuleFile(yaml, "test.yaml");
  EXPECT_TRUE(parse.errors.empty()) << parse.errors.front();
  return std::move(parse.groups);
}

TEST(RuleRunner, PostsFiringThenResolvedAlertsFromTheStore) {
  MemoryStore store;
  FakeClock clock(kT0);
  std::vector<std::vector<rules::PostableAlert>> posted;
  RuleRunner runner(store, clock, Groups(R"(
groups:
  - name: probes
    rules:
      - alert: JiraDown
        expr: probe_success{service="jira"} == 0
        labels: {severity: P1}
        annotations: {summary: "{{ $labels.service }} is down"}
)"),
                    [&](std::vector<rules::PostableAlert> a) { posted.push_back(std::move(a)); });
  Labels series = Make({{"__name__", "probe_success"}, {"service", "jira"}, {"probe", "home"}});

  store.Append(series, {kT0, 1});
  runner.EvaluateAll(kT0);
  EXPECT_TRUE(posted.empty());  // healthy: nothing to say

  store.Append(series, {kT0 + 15'000, 0});
  runner.EvaluateAll(kT0 + 15'000);
  ASSERT_EQ(posted.size(), 1u);
  ASSERT_EQ(posted[0].size(), 1u);
  const auto& firing = posted[0][0];
  EXPECT_EQ(firing.state, rules::AlertState::kFiring);
  EXPECT_EQ(LabelValue(firing.labels, "alertname"), "JiraDown");
  EXPECT_EQ(LabelValue(firing.labels, "severity"), "P1");
  EXPECT_EQ(LabelValue(firing.labels, "probe"), "home");
  EXPECT_EQ(LabelValue(firing.annotations, "summary"), "jira is down");
  EXPECT_GT(firing.ends_at_ms, kT0 + 15'000);  // renewed while it fires

  auto state = runner.StateJson();
  const auto& rule = state.at("groups").at(0).at("rules").at(0);
  EXPECT_EQ(rule.at("state"), "firing");
  EXPECT_EQ(rule.at("health"), "ok");
  EXPECT_EQ(rule.at("alerts").as_array().size(), 1u);

  store.Append(series, {kT0 + 30'000, 1});
  runner.EvaluateAll(kT0 + 30'000);
  ASSERT_EQ(posted.size(), 2u);
  ASSERT_EQ(posted[1].size(), 1u);
  EXPECT_EQ(posted[1][0].state, rules::AlertState::kInactive);
  EXPECT_LE(posted[1][0].ends_at_ms, kT0 + 30'000);
}

TEST(RuleRunner, AFailingRuleShowsItsErrorAndTheOthersStillRun) {
  MemoryStore store;
  FakeClock clock(kT0);
  int posted = 0;
  RuleRunner runner(
      store, clock, Groups(R"(
groups:
  - name: g
    rules:
      - alert: ManyToMany
        expr: a / on() b
      - alert: Up
        expr: up == 1
)"),
      [&](std::vector<rules::PostableAlert> a) { posted += static_cast<int>(a.size()); });
  // Two series on each side, matched on no labels: many-to-many matching fails.
  for (const char* x : {"1", "2"}) {
    store.Append(Make({{"__name__", "a"}, {"x", x}}), {kT0, 1});
    store.Append(Make({{"__name__", "b"}, {"y", x}}), {kT0, 1});
  }
  store.Append(Make({{"__name__", "up"}, {"job", "node"}}), {kT0, 1});
  runner.EvaluateAll(kT0);
  EXPECT_EQ(posted, 1);
  auto state = runner.StateJson();
  const auto& rules_json = state.at("groups").at(0).at("rules").as_array();
  EXPECT_EQ(rules_json[0].at("health"), "err");
  EXPECT_FALSE(rules_json[0].at("last_error").as_string().empty());
  EXPECT_EQ(rules_json[1].at("health"), "ok");
}

TEST(RuleRunner, RunsGroupsOnTheirIntervalOnItsThread) {
  MemoryStore store;
  std::atomic<int> posts{0};
  auto groups = Groups(R"(
groups:
  - name: fast
    interval: 1s
    rules:
      - alert: Up
        expr: up == 1
)");
  store.Append(Make({{"__name__", "up"}, {"job", "node"}}),
               {SystemClock::Instance().NowMillis(), 1});
  RuleRunner runner(store, SystemClock::Instance(), std::move(groups),
                    [&](std::vector<rules::PostableAlert>) { ++posts; });
  runner.Start();
  for (int i = 0; i < 60 && posts.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  runner.Stop();
  EXPECT_GE(posts.load(), 2);
}

}  // namespace
}  // namespace failsafe::watch
