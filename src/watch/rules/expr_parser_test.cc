#include <gtest/gtest.h>

#include "watch/rules/expr.h"

namespace failsafe::watch::rules {
namespace {

// The canonical text of what `text` parses to, or "error: <message>".
std::string Canon(std::string_view text) {
  auto e = ParseExpr(text);
  if (!e) return "error: " + e.error().message();
  return FormatExpr(**e);
}

TEST(ExprParser, SelectorsAndMatchers) {
  EXPECT_EQ(Canon("up"), "up");
  EXPECT_EQ(Canon(R"(up{job="node", instance!="a",  mode=~"idle|iowait" , x!~'y'})"),
            R"(up{job="node", instance!="a", mode=~"idle|iowait", x!~"y"})");
  EXPECT_EQ(Canon(R"({__name__="up", job="n"})"), R"(up{job="n"})");
  EXPECT_EQ(Canon(R"({job="n"})"), R"({job="n"})");
  EXPECT_EQ(Canon("job:node_cpu:rate5m"), "job:node_cpu:rate5m");
  EXPECT_EQ(Canon(":x"), ":x");
  EXPECT_EQ(Canon("{__name__=\":1\"}"), "{__name__=\":1\"}");
  EXPECT_EQ(Canon(R"(x{a="q\"uo\\te\n", b=`raw\n`})"), R"(x{a="q\"uo\\te\n", b="raw\\n"})");
  EXPECT_EQ(Canon(R"(x{a="\u4e2d"})"), "x{a=\"\xe4\xb8\xad\"}");
  EXPECT_EQ(Canon("x{on=\"1\", by=\"2\",}"), R"(x{on="1", by="2"})");
}

TEST(ExprParser, RangesAndDurations) {
  EXPECT_EQ(Canon("rate(x[30s])"), "rate(x[30s])");
  EXPECT_EQ(Canon("rate(x[5m])"), "rate(x[5m])");
  EXPECT_EQ(Canon("rate(x[1h30m])"), "rate(x[1h30m])");
  EXPECT_EQ(Canon("rate(x[1d])"), "rate(x[1d])");
  EXPECT_EQ(Canon("rate(x[90m])"), "rate(x[1h30m])");
  auto e = ParseExpr("avg_over_time(x[1h30m])");
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)->args[0]->range_ms, 5'400'000);
}

TEST(ExprParser, ConstantArithmeticFolds) {
  auto e = ParseExpr("4*3600");
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)->kind, Expr::Kind::kNumber);
  EXPECT_EQ((*e)->number, 14400);
  EXPECT_EQ(Canon("predict_linear(node_filesystem_avail_bytes[1h], 4 * 3600) < 0"),
            "predict_linear(node_filesystem_avail_bytes[1h], 14400) < 0");
  EXPECT_EQ(Canon("1 + 2 * 3 - 4 / 2"), "5");
  EXPECT_EQ(Canon("(1 + 2) * 3"), "9");
  EXPECT_EQ(Canon("-2 * -3"), "6");
  EXPECT_EQ(Canon("0x10 + 1e3 + .5"), "1016.5");
  EXPECT_EQ(Canon("2 > bool 1"), "1");
  EXPECT_EQ(Canon("Inf"), "Inf");
  EXPECT_EQ(Canon("-inf"), "-Inf");
  EXPECT_EQ(Canon("x + 0 / 0"), "x + NaN");  // 0/0 is a NaN with the sign bit set
  EXPECT_EQ(Canon("x + -1"), "x + (-1)");
}

TEST(ExprParser, PrecedenceAndAssociativity) {
  EXPECT_EQ(Canon("a + b * c"), "a + (b * c)");
  EXPECT_EQ(Canon("a - b - c"), "(a - b) - c");
  EXPECT_EQ(Canon("a > 1 and b < 2 or c"), "((a > 1) and (b < 2)) or c");
  EXPECT_EQ(Canon("a or b unless c"), "a or (b unless c)");
  EXPECT_EQ(Canon("a AND b"), "a and b");
  EXPECT_EQ(Canon("1 < a"), "1 < a");
  EXPECT_EQ(Canon("a == bool b"), "a == bool b");
  EXPECT_EQ(Canon("a / on(instance, job) b"), "a / on(instance, job) b");
  EXPECT_EQ(Canon("a and ignoring(mode) b"), "a and ignoring(mode) b");
  EXPECT_EQ(Canon("-a"), "-(a)");
}

TEST(ExprParser, TheDefaultRules) {
  EXPECT_EQ(Canon("100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])))"
                  " > 80"),
            "(100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])))) "
            "> 80");
  EXPECT_EQ(Canon("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.1"),
            "(node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) < 0.1");
  EXPECT_EQ(Canon("probe_success == 0"), "probe_success == 0");
  EXPECT_EQ(Canon("absent(up{job=\"node\"})"), "absent(up{job=\"node\"})");
}

TEST(ExprParser, AggregationsPrefixAndSuffix) {
  EXPECT_EQ(Canon("sum by (job) (x)"), "sum by (job) (x)");
  EXPECT_EQ(Canon("sum(x) by (job)"), "sum by (job) (x)");
  EXPECT_EQ(Canon("max without (cpu, mode) (x)"), "max without (cpu, mode) (x)");
  EXPECT_EQ(Canon("count(x) without (a,)"), "count without (a) (x)");
  EXPECT_EQ(Canon("avg(x)"), "avg(x)");
  EXPECT_EQ(Canon("min(x) by ()"), "min(x)");
  EXPECT_EQ(Canon("sum by (job) (rate(x[5m])) > 3"), "sum by (job) (rate(x[5m])) > 3");
  // An aggregation name not followed by ( or by/without is a metric name.
  EXPECT_EQ(Canon("{__name__=\"sum\"}"), "{__name__=\"sum\"}");
}

TEST(ExprParser, RefusesWhatIsNotSupportedWithPosition) {
  EXPECT_EQ(Canon("x offset 5m"), "error: 1:3: the offset modifier is not supported");
  EXPECT_EQ(Canon("rate(x[5m] @ 100)"), "error: 1:12: the @ modifier is not supported");
  EXPECT_EQ(Canon("rate(x[5m:1m])"), "error: 1:10: subqueries are not supported");
  EXPECT_EQ(Canon("rate(x[5m])[1h]"),
            "error: 1:12: a range [...] may only follow a metric selector (subqueries are not "
            "supported)");
  EXPECT_EQ(Canon("histogram_quantile(0.9, x)").substr(0, 56),
            "error: 1:1: unknown or unsupported function 'histogram_q");
  EXPECT_EQ(Canon("topk(3, x)"),
            "error: 1:1: aggregation 'topk' is not supported (supported: sum, avg, min, max, "
            "count)");
  EXPECT_EQ(Canon("a * on(x) group_left b"),
            "error: 1:11: 'group_left' (many-to-one matching) is not supported; only one-to-one "
            "vector matching is");
  EXPECT_EQ(Canon("a % 2"), "error: 1:3: operator '%' is not supported (use + - * /)");
  EXPECT_EQ(Canon("a ^ 2"), "error: 1:3: operator '^' is not supported (use + - * /)");
  EXPECT_EQ(Canon("x\n  and\n  y{a=\"1\" b=\"2\"}"),
            "error: 3:11: unexpected identifier 'b', expected ',' or '}'");
}

TEST(ExprParser, RefusesTypeErrors) {
  EXPECT_EQ(Canon("rate(x)"),
            "error: 1:6: argument 1 of 'rate' must be a range vector, got a instant vector");
  EXPECT_EQ(Canon("x[5m]"),
            "error: 1:1: a rule expression must be an instant vector or a scalar, not a range "
            "vector (wrap it in a function such as rate or avg_over_time)");
  EXPECT_EQ(Canon("predict_linear(x[1h])"),
            "error: 1:1: function 'predict_linear' takes 2 argument(s), got 1");
  EXPECT_EQ(Canon("predict_linear(x[1h], y)"),
            "error: 1:23: argument 2 of 'predict_linear' must be a scalar, got a instant vector");
  EXPECT_EQ(Canon("1 > 2"),
            "error: 1:3: comparisons between two scalars must use the bool modifier");
  EXPECT_EQ(Canon("x and 1"), "error: 1:3: set operator 'and' needs instant vectors on both sides");
  EXPECT_EQ(Canon("x + bool y"),
            "error: 1:5: bool modifier is only allowed on comparison operators");
  EXPECT_EQ(Canon("sum(x[5m])"),
            "error: 1:5: aggregation 'sum' needs an instant vector, got a range vector");
  EXPECT_EQ(Canon("x[5m] > 1"),
            "error: 1:1: operator '>' needs an instant vector or a scalar, not a range vector");
  EXPECT_EQ(Canon("absent(x[5m])"),
            "error: 1:8: argument 1 of 'absent' must be a instant vector, got a range vector");
}

TEST(ExprParser, RefusesMalformedInput) {
  EXPECT_EQ(Canon(""),
            "error: 1:1: unexpected end of input, expected a number, a metric "
            "selector, a function or '('");
  EXPECT_EQ(Canon("x{a=~\"(\"}"), "error: 1:6: invalid regular expression: missing ): (");
  EXPECT_EQ(Canon("{a=\"\"}"),
            "error: 1:1: a selector needs a metric name or at least one matcher that does not "
            "match the empty string");
  EXPECT_EQ(Canon("{a=~\".*\"}").substr(0, 30), "error: 1:1: a selector needs a");
  EXPECT_EQ(Canon("x{__name__=\"y\"}"),
            "error: 1:3: the metric name is given twice (before the braces and as __name__)");
  EXPECT_EQ(Canon("rate(x[0s])"), "error: 1:8: a range must be longer than zero");
  EXPECT_EQ(Canon("rate(x[5q])").substr(0, 26), "error: 1:8: invalid durati");
  EXPECT_EQ(Canon("x > 5m"), "error: 1:5: a duration such as '5m' is only allowed inside [...]");
  EXPECT_EQ(Canon("x{a=\"b}"), "error: 1:5: unterminated string");
  EXPECT_EQ(Canon("x{a=\"\\q\"}"), "error: 1:6: unknown escape sequence in string");
  EXPECT_EQ(Canon("x $ y"), "error: 1:3: unexpected character '$'");
  EXPECT_EQ(Canon("x\x01"), "error: 1:2: unexpected byte 0x01");
  EXPECT_EQ(Canon("(x"), "error: 1:3: unexpected end of input, expected ')'");
  EXPECT_EQ(Canon("x y"),
            "error: 1:3: unexpected identifier 'y', expected an operator or the end "
            "of the expression");
  EXPECT_EQ(Canon("\"s\""), "error: 1:1: strings are not supported as values");
  EXPECT_EQ(Canon("sum by (job) (x) by (a)"),
            "error: 1:18: by/without given twice in one aggregation");
  EXPECT_EQ(Canon("x{a==\"1\"}"), "error: 1:4: use '=' in a label matcher, not '=='");
}

TEST(ExprParser, BoundsNesting) {
  std::string deep(1000, '(');
  EXPECT_NE(Canon(deep + "x" + std::string(1000, ')')).find("nested too deeply"),
            std::string::npos);
  std::string chain = "x";
  for (int i = 0; i < 1000; ++i) chain += " + x";
  EXPECT_NE(Canon(chain).find("nested too deeply"), std::string::npos);
  EXPECT_NE(Canon(std::string(1000, '-') + "x").find("nested too deeply"), std::string::npos);
}

TEST(ExprParser, TimeIsAScalarKnownAtEvaluation) {
  EXPECT_EQ(Canon("probe_ssl_earliest_cert_expiry - time() < 14 * 86400"),
            "(probe_ssl_earliest_cert_expiry - time()) < 1209600");
  EXPECT_EQ(Canon("time() - 60"), "time() - 60");
  EXPECT_EQ(Canon("-time()"), "-(time())");
  EXPECT_EQ(Canon("time() > 1"),
            "error: 1:8: comparisons between two scalars must use the bool modifier");
  EXPECT_EQ(Canon("time(x)"), "error: 1:1: function 'time' takes 0 argument(s), got 1");
}

TEST(ExprParser, CommentsAndNewlines) {
  EXPECT_EQ(Canon("x # the metric\n > 1"), "x > 1");
}

}  // namespace
}  // namespace failsafe::watch::rules
