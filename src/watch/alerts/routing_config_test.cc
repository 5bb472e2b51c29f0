#include "watch/alerts/routing_config.h"

#include <gtest/gtest.h>

#include "watch/alerts/groups.h"

namespace failsafe::watch::alerts {
namespace {

constexpr const char* kFile = R"(
defaults:
  group_by: [service]
  group_wait: 0s
  group_interval: 1m
resolve_timeout: 2m
routes:
  - name: jira-down
    matchers: ['service="jira"', 'severity=~"P1|critical"']
    severity: P1
    plan: jira-outage
    group_wait: 10s
  - matchers: ['team="db"']
    service: erp
    declare: false
inhibit_rules:
  - source_matchers: ['severity="P1"']
    target_matchers: ['severity="P3"']
    equal: [service]
)";

TEST(RoutingConfig, FirstMatchingRouteWinsElseDefault) {
  auto c = ParseRoutingConfig(kFile, "alerts.yaml");
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->resolve_timeout_ms, 120'000);
  const Route& jira = c->RouteFor(SortedLabels({{"service", "jira"}, {"severity", "critical"}}));
  EXPECT_EQ(jira.name, "jira-down");
  EXPECT_EQ(jira.plan, "jira-outage");
  EXPECT_EQ(jira.group_wait_ms, 10'000);
  EXPECT_EQ(jira.group_interval_ms, 60'000);  // from defaults
  const Route& db = c->RouteFor({{"team", "db"}});
  EXPECT_EQ(db.name, "route-2");
  EXPECT_FALSE(db.declare);
  EXPECT_EQ(c->RouteFor({{"service", "hr"}}).name, "default");
  EXPECT_EQ(c->inhibit_rules.size(), 1u);
  EXPECT_EQ(c->ReceiverNames().size(), 3u);
}

TEST(RoutingConfig, ErrorsNameFileLineAndKey) {
  auto bad = ParseRoutingConfig("routes:\n  - name: x\n    severity: P9\n", "r.yaml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("r.yaml:3: routes[0].severity"), std::string::npos)
      << bad.error().message();
  bad = ParseRoutingConfig("routes:\n  - matchers: ['a=~\"(\"']\n", "r.yaml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("invalid regex"), std::string::npos);
  bad = ParseRoutingConfig("defaults:\n  group_wiat: 1s\n", "r.yaml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("unknown key"), std::string::npos);
  EXPECT_FALSE(ParseRoutingConfig("routes: [", "r.yaml"));
}

TEST(RoutingConfig, SeverityMapping) {
  EXPECT_EQ(IncidentSeverity("P1"), "P1");
  EXPECT_EQ(IncidentSeverity("critical"), "P2");
  EXPECT_EQ(IncidentSeverity("warning"), "P3");
  EXPECT_EQ(IncidentSeverity(""), "P4");
}

TEST(Groups, WaitIntervalAndRepeat) {
  Route r;
  r.group_wait_ms = 100;
  r.group_interval_ms = 1000;
  r.repeat_interval_ms = 10'000;
  Groups g;
  Labels a = {{"alertname", "x"}, {"service", "jira"}};
  g.Touch(r, a, 1, 0);
  EXPECT_TRUE(g.TakeDue(50).empty());  // group_wait
  auto due = g.TakeDue(100);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].labels, (Labels{{"service", "jira"}}));
  g.Reported(due[0].key, {{1, Reported::kFiring}}, 100);
  // A change right after the flush waits for group_interval.
  g.Touch(r, {{"alertname", "y"}, {"service", "jira"}}, 2, 200);
  EXPECT_TRUE(g.TakeDue(500).empty());
  due = g.TakeDue(1100);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].members.size(), 2u);
  // Nothing new: looked at again after repeat_interval.
  EXPECT_EQ(g.NextDue(), 11'100);
  // Everything reported resolved: the group goes.
  g.Reported(due[0].key, {{1, Reported::kResolved}, {2, Reported::kResolved}}, 1100);
  EXPECT_EQ(g.size(), 0u);
}

}  // namespace
}  // namespace failsafe::watch::alerts
