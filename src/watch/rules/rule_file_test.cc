#include "watch/rules/rule_file.h"

#include <gtest/gtest.h>

namespace failsafe::watch::rules {
namespace {

using Errors = std::vector<std::string>;

TEST(RuleFile, ParsesAlertingAndRecordingRules) {
  const char* text = R"y(groups:
  - name: host
    interval: 30s
    rules:
      - record: instance:cpu_busy:ratio
        expr: 1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))
        labels:
          team: ops
      - alert: HostHighCpu
        expr: instance:cpu_busy:ratio * 100 > 80
        for: 5m
        keep_firing_for: 1m30s
        labels:
          severity: P2
          who: '{{ $labels.instance }}'
        annotations:
          summary: CPU at {{ $value | humanize }}%
  - name: empty
)y";
  RuleFileParse p = ParseRuleFile(text, "host.yaml");
  ASSERT_EQ(p.errors, Errors{});
  ASSERT_EQ(p.groups.size(), 2u);
  EXPECT_EQ(p.rule_count(), 2u);
  const RuleGroupSpec& g = p.groups[0];
  EXPECT_EQ(g.name, "host");
  EXPECT_EQ(g.interval_ms, 30'000);
  EXPECT_EQ(p.groups[1].interval_ms, kDefaultGroupIntervalMs);
  EXPECT_EQ(g.rules[0].kind, RuleSpec::Kind::kRecord);
  EXPECT_EQ(g.rules[0].name, "instance:cpu_busy:ratio");
  EXPECT_EQ(g.rules[0].labels.size(), 1u);
  const RuleSpec& a = g.rules[1];
  EXPECT_EQ(a.kind, RuleSpec::Kind::kAlert);
  EXPECT_EQ(a.for_ms, 300'000);
  EXPECT_EQ(a.keep_firing_for_ms, 90'000);
  EXPECT_EQ(a.source, "host.yaml:9");
  ASSERT_TRUE(a.query);
  EXPECT_EQ(FormatExpr(a.query->expr()), "(instance:cpu_busy:ratio * 100) > 80");
  ASSERT_EQ(a.annotations.size(), 1u);
  EXPECT_EQ(a.annotations[0].tmpl.Render({}, 85.5), "CPU at 85.5%");
}

TEST(RuleFile, EmptyFileHasNoRules) {
  EXPECT_EQ(ParseRuleFile("", "e.yaml").rule_count(), 0u);
  EXPECT_EQ(ParseRuleFile("groups: []\n", "e.yaml").errors, Errors{});
}

TEST(RuleFile, ExpressionErrorsPointIntoTheFile) {
  const char* text = R"y(groups:
  - name: g
    rules:
      - alert: Plain
        expr: up offset 5m
      - alert: Quoted
        expr: "rate(x[5m:1m])"
      - alert: Block
        expr: |
          sum by (job) (
            rate(x[5m]) @ 100
          )
)y";
  EXPECT_EQ(ParseRuleFile(text, "r.yaml").errors,
            (Errors{
                "r.yaml:5:18: group \"g\", alert \"Plain\": expr: the offset modifier is not "
                "supported",
                "r.yaml:7:25: group \"g\", alert \"Quoted\": expr: subqueries are not supported",
                "r.yaml:11:25: group \"g\", alert \"Block\": expr: the @ modifier is not "
                "supported",
            }));
}

TEST(RuleFile, SchemaErrorsNameFileLineColumnAndRule) {
  const char* text = R"y(groups:
  - name: g
    interval: soon
    rules:
      - alert: A
        record: b
        expr: up
      - alert: B
        expr: up == 0
        for: 5 minutes
        severity: P1
        labels:
          __name__: x
        annotations:
          summary: '{{ if $value }}'
      - record: not a metric
        expr: up
        for: 1m
      - record: r
        expr: up
        labels:
          x: '{{ $value }}'
      - alert: C
  - name: g
)y";
  EXPECT_EQ(ParseRuleFile(text, "s.yaml").errors,
            (Errors{
                "s.yaml:3:15: group \"g\": 'interval': invalid duration 'soon': expected a number "
                "at position 1",
                "s.yaml:5:9: group \"g\": a rule needs exactly one of 'alert' and 'record'",
                "s.yaml:11:9: group \"g\", alert \"B\": unknown field 'severity' (allowed: alert, "
                "expr, for, keep_firing_for, labels, annotations)",
                "s.yaml:10:14: group \"g\", alert \"B\": 'for': invalid duration '5 minutes': unit "
                "must be ms, s, m, h, d or w",
                "s.yaml:13:11: group \"g\", alert \"B\": '__name__' is not a valid label name",
                "s.yaml:15:24: group \"g\", alert \"B\": annotations.summary template: template "
                "action 'if' is not supported",
                "s.yaml:18:9: group \"g\", record \"not a metric\": unknown field 'for' (allowed: "
                "record, expr, labels)",
                "s.yaml:16:17: group \"g\", record \"not a metric\": a recording rule's name must "
                "be a valid metric name",
                "s.yaml:22:14: group \"g\", record \"r\": recording rule labels cannot use "
                "templates",
                "s.yaml:23:9: group \"g\", alert \"C\": 'expr' is required",
                "s.yaml:24:5: group \"g\": group name used twice in this file",
            }));
}

TEST(RuleFile, BadYamlAndBadShapes) {
  auto bad = ParseRuleFile("groups:\n  - name: [unclosed\n", "b.yaml").errors;
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].rfind("b.yaml:", 0), 0u) << bad[0];
  EXPECT_NE(bad[0].find("invalid YAML"), std::string::npos) << bad[0];
  EXPECT_EQ(ParseRuleFile("- a\n", "l.yaml").errors,
            Errors{"l.yaml:1:1: a rule file is a mapping with a 'groups' list"});
  EXPECT_EQ(ParseRuleFile("groups: {}\n", "m.yaml").errors,
            Errors{"m.yaml:1:9: 'groups' must be a list"});
  EXPECT_EQ(ParseRuleFile("rules: []\n", "k.yaml").errors,
            Errors{"k.yaml:1:1: unknown field 'rules' (allowed: groups)"});
  EXPECT_EQ(LoadRuleFile("/nonexistent/x.yaml").errors,
            Errors{"/nonexistent/x.yaml: cannot read the file"});
}

}  // namespace
}  // namespace failsafe::watch::rules
