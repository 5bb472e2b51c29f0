// The evaluator against the real in-memory store, with expected values worked out by hand
// (the arithmetic is in the comments).
#include "watch/rules/eval.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "watch/metrics/memory_store.h"

namespace failsafe::watch::rules {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // evaluation time, Unix ms

class EvalTest : public ::testing::Test {
 protected:
  // Adds samples (seconds relative to kT0, value) to the series with these labels.
  void Add(std::vector<Label> labels, std::vector<std::pair<double, double>> points) {
    auto made = MakeLabels(std::move(labels));
    ASSERT_TRUE(made);
    for (auto [sec, v] : points) store_.Append(*made, {kT0 + static_cast<int64_t>(sec * 1000), v});
  }

  // "labels value" lines, sorted; or "error: ...".
  std::vector<std::string> Run(std::string_view expr, int64_t t = kT0) {
    auto q = Query::Parse(expr);
    if (!q) return {"error: " + q.error().message()};
    auto v = q->Eval(store_, t);
    if (!v) return {"error: " + v.error().message()};
    std::vector<std::string> out;
    for (const InstantSample& s : *v) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", s.value);
      out.push_back(FormatLabels(s.labels) + " " + buf);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  double Value(std::string_view expr) {
    auto q = Query::Parse(expr);
    EXPECT_TRUE(q) << expr;
    auto v = q->Eval(store_, kT0);
    EXPECT_TRUE(v && v->size() == 1) << expr;
    return v && v->size() == 1 ? (*v)[0].value : std::nan("");
  }

  MemoryStore store_;
};

using Lines = std::vector<std::string>;

TEST_F(EvalTest, InstantSelectorLooksBackFiveMinutesLeftOpen) {
  Add({{"__name__", "up"}, {"job", "a"}}, {{-400, 0}, {-299, 1}});
  Add({{"__name__", "up"}, {"job", "b"}}, {{-300, 1}});  // exactly 5 m old: outside (t-5m, t]
  Add({{"__name__", "up"}, {"job", "c"}}, {{-10, 2}, {5, 3}});  // the future is not seen
  EXPECT_EQ(Run("up"), (Lines{"up{job=\"a\"} 1", "up{job=\"c\"} 2"}));
  EXPECT_EQ(Run("up{job!=\"a\"}"), (Lines{"up{job=\"c\"} 2"}));
  EXPECT_EQ(Run("up{job=~\"a|b\"}"), (Lines{"up{job=\"a\"} 1"}));
  EXPECT_EQ(Run("up{job!~\"a.*\"}"), (Lines{"up{job=\"c\"} 2"}));
  EXPECT_EQ(Run("{job=\"c\"}"), (Lines{"up{job=\"c\"} 2"}));
}

TEST_F(EvalTest, StaleMarkerEndsASeries) {
  const double stale = std::bit_cast<double>(0x7ff0000000000002ULL);
  Add({{"__name__", "up"}, {"job", "a"}}, {{-30, 1}, {-15, stale}});
  EXPECT_EQ(Run("up"), Lines{});
  EXPECT_EQ(Run("count_over_time(up[1m])"), (Lines{"{job=\"a\"} 1"}));
}

TEST_F(EvalTest, RateAndIncreaseExtrapolateLikePrometheus) {
  // Samples at -45, -30, -15, 0 s: 10, 25, 40, 55. Window (t-60s, t].
  // delta 45 over 45 s sampled; to the start 15 s, but the line reaches zero 10 s before the
  // first sample (45 * 10/45), so extrapolate 10 s back; to the end 0 s.
  // increase = 45 * (45 + 10) / 45 = 55; rate = 55 / 60.
  Add({{"__name__", "c"}, {"i", "steady"}}, {{-45, 10}, {-30, 25}, {-15, 40}, {0, 55}});
  EXPECT_DOUBLE_EQ(Value("increase(c{i=\"steady\"}[1m])"), 55);
  EXPECT_DOUBLE_EQ(Value("rate(c{i=\"steady\"}[1m])"), 55.0 / 60);
  // Reset: 10, 25, 5, 20 -> delta 10 + 25 (the value lost at the reset) = 35. Zero is
  // 45 * 10/35 = 12.857 s before the first sample (< 15 s), so the interval is 45 + 12.857:
  // 35 * (45 + 90/7) / 45 = 45.
  Add({{"__name__", "c"}, {"i", "reset"}}, {{-45, 10}, {-30, 25}, {-15, 5}, {0, 20}});
  EXPECT_NEAR(Value("increase(c{i=\"reset\"}[1m])"), 45, 1e-9);
  // Sparse: 100 at -50 s, 110 at -40 s. Average step 10 s, threshold 11 s. To the start 10 s
  // (< 11: extrapolate fully); to the end 40 s (>= 11: only half a step, 5 s).
  // 10 * (10 + 10 + 5) / 10 = 25.
  Add({{"__name__", "c"}, {"i", "sparse"}}, {{-50, 100}, {-40, 110}});
  EXPECT_DOUBLE_EQ(Value("increase(c{i=\"sparse\"}[1m])"), 25);
  // One sample: no rate. The name is dropped.
  Add({{"__name__", "c"}, {"i", "one"}}, {{-5, 1}});
  EXPECT_EQ(Run("rate(c{i=\"one\"}[1m])"), Lines{});
  EXPECT_EQ(Run("increase(c{i=\"steady\"}[1m])"), (Lines{"{i=\"steady\"} 55"}));
}

TEST_F(EvalTest, PredictLinearIsLeastSquaresFromEvaluationTime) {
  // x = -60, -30, 0 s; y = 150, 130, 100. n 3, sum x -90, sum y 380, sum xy -12900,
  // sum x^2 4500. cov = -12900 + 90*380/3 = -1500; var = 4500 - 8100/3 = 1800;
  // slope -5/6; intercept 380/3 - (-5/6)(-30) = 305/3. At +60 s: 305/3 - 50 = 155/3.
  Add({{"__name__", "avail"}}, {{-60, 150}, {-30, 130}, {0, 100}});
  EXPECT_NEAR(Value("predict_linear(avail[5m], 60)"), 155.0 / 3, 1e-9);
  // A disk losing 1 byte/s from 10000: full in 4 h? 10000 - 14400 < 0.
  Add({{"__name__", "disk"}}, {{-120, 10120}, {-60, 10060}, {0, 10000}});
  EXPECT_NEAR(Value("predict_linear(disk[1h], 4 * 3600)"), -4400, 1e-6);
  EXPECT_EQ(Run("predict_linear(disk[1h], 4*3600) < 0"), (Lines{"{} -4400"}));
  // A flat line stays flat.
  Add({{"__name__", "flat"}}, {{-60, 7}, {0, 7}});
  EXPECT_DOUBLE_EQ(Value("predict_linear(flat[5m], 3600)"), 7);
}

TEST_F(EvalTest, OverTimeFunctionsUseTheLeftOpenWindow) {
  // -60 s is exactly the window's start, so it is left out.
  Add({{"__name__", "g"}}, {{-60, 100}, {-45, 1}, {-30, 5}, {-15, 3}});
  EXPECT_DOUBLE_EQ(Value("avg_over_time(g[1m])"), 3);
  EXPECT_DOUBLE_EQ(Value("min_over_time(g[1m])"), 1);
  EXPECT_DOUBLE_EQ(Value("max_over_time(g[1m])"), 5);
  EXPECT_DOUBLE_EQ(Value("sum_over_time(g[1m])"), 9);
  EXPECT_DOUBLE_EQ(Value("count_over_time(g[1m])"), 3);
  EXPECT_DOUBLE_EQ(Value("max_over_time(g[61s])"), 100);
}

TEST_F(EvalTest, Aggregations) {
  Add({{"__name__", "x"}, {"job", "a"}, {"cpu", "0"}}, {{0, 1}});
  Add({{"__name__", "x"}, {"job", "a"}, {"cpu", "1"}}, {{0, 3}});
  Add({{"__name__", "x"}, {"job", "b"}, {"cpu", "0"}}, {{0, 10}});
  EXPECT_EQ(Run("sum by (job) (x)"), (Lines{"{job=\"a\"} 4", "{job=\"b\"} 10"}));
  EXPECT_EQ(Run("avg(x) by (job)"), (Lines{"{job=\"a\"} 2", "{job=\"b\"} 10"}));
  EXPECT_EQ(Run("max without (cpu) (x)"), (Lines{"{job=\"a\"} 3", "{job=\"b\"} 10"}));
  EXPECT_EQ(Run("min without (job) (x)"), (Lines{"{cpu=\"0\"} 1", "{cpu=\"1\"} 3"}));
  EXPECT_EQ(Run("count(x)"), (Lines{"{} 3"}));
  EXPECT_EQ(Run("sum by (__name__) (x)"), (Lines{"x 14"}));
}

TEST_F(EvalTest, TheDefaultCpuRule) {
  // Two CPUs per instance, idle counters sampled every 15 s over the last 5 minutes (-285..0).
  // Instance a is idle 0.1 s per s, b 0.5 s per s. The first sample is 15 s after the window
  // start (< 1.1 steps) and the counters start far from zero, so rate extrapolates to the
  // whole window: exactly 0.1 and 0.5. 100 * (1 - 0.1) = 90 > 80; 100 * (1 - 0.5) = 50.
  for (const char* inst : {"a", "b"}) {
    for (const char* cpu : {"0", "1"}) {
      for (const char* mode : {"idle", "user"}) {
        std::vector<std::pair<double, double>> points;
        const double per_s = std::string(mode) == "user" ? 0.3
                             : std::string(inst) == "a"  ? 0.1
                                                         : 0.5;
        for (int s = -285; s <= 0; s += 15) points.push_back({s, 10000 + per_s * (s + 285)});
        Add({{"__name__", "node_cpu_seconds_total"},
             {"instance", inst},
             {"cpu", cpu},
             {"mode", mode}},
            points);
      }
    }
  }
  auto lines =
      Run("100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))) > 80");
  EXPECT_EQ(lines, (Lines{"{instance=\"a\"} 90"}));
}

TEST_F(EvalTest, TheDefaultMemoryRuleMatchesOneToOne) {
  Add({{"__name__", "node_memory_MemAvailable_bytes"}, {"instance", "a"}}, {{0, 50}});
  Add({{"__name__", "node_memory_MemTotal_bytes"}, {"instance", "a"}}, {{0, 1000}});
  Add({{"__name__", "node_memory_MemAvailable_bytes"}, {"instance", "b"}}, {{0, 500}});
  Add({{"__name__", "node_memory_MemTotal_bytes"}, {"instance", "b"}}, {{0, 1000}});
  Add({{"__name__", "node_memory_MemAvailable_bytes"}, {"instance", "lonely"}}, {{0, 1}});
  EXPECT_EQ(Run("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.1"),
            (Lines{"{instance=\"a\"} 0.05"}));
}

TEST_F(EvalTest, ComparisonsFilterAndKeepTheName) {
  Add({{"__name__", "x"}, {"k", "1"}}, {{0, 1}});
  Add({{"__name__", "x"}, {"k", "2"}}, {{0, 2}});
  EXPECT_EQ(Run("x > 1"), (Lines{"x{k=\"2\"} 2"}));
  EXPECT_EQ(Run("1 < x"), (Lines{"x{k=\"2\"} 2"}));  // the vector's value, not the scalar's
  EXPECT_EQ(Run("x >= 1"), (Lines{"x{k=\"1\"} 1", "x{k=\"2\"} 2"}));
  EXPECT_EQ(Run("x == 2"), (Lines{"x{k=\"2\"} 2"}));
  EXPECT_EQ(Run("x != 2"), (Lines{"x{k=\"1\"} 1"}));
  EXPECT_EQ(Run("x <= 1"), (Lines{"x{k=\"1\"} 1"}));
  EXPECT_EQ(Run("x > bool 1"), (Lines{"{k=\"1\"} 0", "{k=\"2\"} 1"}));
  EXPECT_EQ(Run("x * 2 - 1"), (Lines{"{k=\"1\"} 1", "{k=\"2\"} 3"}));
  EXPECT_EQ(Run("-x"), (Lines{"{k=\"1\"} -1", "{k=\"2\"} -2"}));
  EXPECT_EQ(Run("4 * 3600"), (Lines{"{} 14400"}));
}

TEST_F(EvalTest, VectorMatchingAndSetOperators) {
  Add({{"__name__", "a"}, {"job", "j"}, {"i", "1"}}, {{0, 10}});
  Add({{"__name__", "a"}, {"job", "j"}, {"i", "2"}}, {{0, 20}});
  Add({{"__name__", "b"}, {"job", "j"}, {"i", "1"}}, {{0, 5}});
  Add({{"__name__", "c"}, {"job", "j"}}, {{0, 2}});
  EXPECT_EQ(Run("a > b"), (Lines{"a{i=\"1\", job=\"j\"} 10"}));
  EXPECT_EQ(Run("a - b"), (Lines{"{i=\"1\", job=\"j\"} 5"}));
  EXPECT_EQ(Run("a and b"), (Lines{"a{i=\"1\", job=\"j\"} 10"}));
  EXPECT_EQ(Run("a unless b"), (Lines{"a{i=\"2\", job=\"j\"} 20"}));
  EXPECT_EQ(Run("b or a"), (Lines{"a{i=\"2\", job=\"j\"} 20", "b{i=\"1\", job=\"j\"} 5"}));
  EXPECT_EQ(Run("b / on(job) c"), (Lines{"{job=\"j\"} 2.5"}));
  EXPECT_EQ(Run("b / ignoring(i) c"), (Lines{"{job=\"j\"} 2.5"}));
  EXPECT_EQ(Run("a and on(job) c"),
            (Lines{"a{i=\"1\", job=\"j\"} 10", "a{i=\"2\", job=\"j\"} 20"}));
  EXPECT_EQ(
      Run("c / on(job) a"),
      (Lines{"error: many-to-many matching not allowed: the right side of '/' has more "
             "than one series for {job=\"j\"} (aggregate it, or use on(...)/ignoring(...))"}));
  EXPECT_EQ(Run("a / on(job) c"),
            (Lines{"error: many-to-one matching is not supported: the left side of '/' has more "
                   "than one series for {job=\"j\"}"}));
}

TEST_F(EvalTest, TimeIsTheEvaluationTimeInSeconds) {
  // A certificate expiring 10 days after kT0, another 20 days after.
  const double now = kT0 / 1000.0;
  Add({{"__name__", "probe_ssl_earliest_cert_expiry"}, {"instance", "a"}}, {{0, now + 10 * 86400}});
  Add({{"__name__", "probe_ssl_earliest_cert_expiry"}, {"instance", "b"}}, {{0, now + 20 * 86400}});
  EXPECT_EQ(Run("probe_ssl_earliest_cert_expiry - time() < 14 * 86400"),
            (Lines{"{instance=\"a\"} 864000"}));
  EXPECT_DOUBLE_EQ(Value("time() - 60"), now - 60);
  EXPECT_DOUBLE_EQ(Value("-time()"), -now);
  EXPECT_DOUBLE_EQ(Value("time() > bool 0"), 1);
  Add({{"__name__", "d"}}, {{-60, 120}, {0, 60}});  // -1 per second: 60 - 3600/60 = 0
  EXPECT_DOUBLE_EQ(Value("predict_linear(d[5m], time() - time() + 60)"), 0);
}

TEST_F(EvalTest, Absent) {
  Add({{"__name__", "up"}, {"job", "a"}}, {{0, 1}});
  EXPECT_EQ(Run("absent(up)"), Lines{});
  EXPECT_EQ(Run("absent(up{job=\"b\", instance=~\".+\"})"), (Lines{"{job=\"b\"} 1"}));
  EXPECT_EQ(Run("absent(nope{job=\"x\", job=\"y\"})"), (Lines{"{} 1"}));
  EXPECT_EQ(Run("absent(sum(nope))"), (Lines{"{} 1"}));
}

}  // namespace
}  // namespace failsafe::watch::rules
