#include "watch/metrics/range_query.h"

#include <gtest/gtest.h>

#include <cmath>

#include "base/json.h"
#include "watch/metrics/memory_store.h"

namespace failsafe::watch {
namespace {

TEST(RangeQuery, FormatsLikePrometheus) {
  EXPECT_EQ(FormatPromTimestamp(1435781430781), "1435781430.781");
  EXPECT_EQ(FormatPromTimestamp(1435781430000), "1435781430");
  EXPECT_EQ(FormatPromTimestamp(1435781430500), "1435781430.5");
  EXPECT_EQ(FormatPromTimestamp(-1500), "-1.5");
  EXPECT_EQ(FormatPromValue(1), "1");
  EXPECT_EQ(FormatPromValue(0.1), "0.1");
  EXPECT_EQ(FormatPromValue(1e21), "1000000000000000000000");
  EXPECT_EQ(FormatPromValue(-2.5e-7), "-0.00000025");
  EXPECT_EQ(FormatPromValue(NAN), "NaN");
  EXPECT_EQ(FormatPromValue(INFINITY), "+Inf");
  EXPECT_EQ(FormatPromValue(-INFINITY), "-Inf");
}

TEST(RangeQuery, StepsTakeTheLatestSampleWithinTheLookback) {
  SeriesSamples s{*MakeLabels({{"__name__", "up"}}),
                  {{10'000, 1}, {25'000, 2}, {26'000, 3}, {400'000, 4}}};
  RangeQuery q{.start_ms = 0, .end_ms = 420'000, .step_ms = 60'000};
  auto r = EvaluateAtSteps({s}, q);
  ASSERT_EQ(r.size(), 1u);
  // t=0: nothing yet; 60s..300s: 3 (26s is within 5 m until 326 s); 360s: stale; 420s: 4.
  std::vector<Sample> want = {{60'000, 3},  {120'000, 3}, {180'000, 3},
                              {240'000, 3}, {300'000, 3}, {420'000, 4}};
  EXPECT_EQ(r[0].samples, want);
  // A series with no point in range is left out.
  EXPECT_TRUE(EvaluateAtSteps({s}, {.start_ms = 1'000'000, .end_ms = 2'000'000}).empty());
}

TEST(RangeQuery, RefusesBadRangesWithPrometheusMessages) {
  EXPECT_EQ(CheckRangeQuery({.start_ms = 0, .end_ms = 10, .step_ms = 0}).field(), "step");
  EXPECT_EQ(CheckRangeQuery({.start_ms = 10, .end_ms = 0}).field(), "end");
  Status too_many = CheckRangeQuery({.start_ms = 0, .end_ms = 11'000'000, .step_ms = 1000});
  EXPECT_NE(too_many.message().find("11,000 points"), std::string::npos);
  EXPECT_TRUE(CheckRangeQuery({.start_ms = 0, .end_ms = 10'999'000, .step_ms = 1000}).ok());
}

TEST(RangeQuery, MatrixJsonFromTheStore) {
  MemoryStore store;
  Labels l = *MakeLabels({{"__name__", "node_load1"}, {"instance", "a \"b\"\n"}});
  store.Append(l, {1'700'000'000'000, 0.5});
  store.Append(l, {1'700'000'015'500, NAN});
  auto selected =
      store.Select(std::vector{*LabelMatcher::Make("__name__", MatchOp::kEqual, "node_load1")}, 0,
                   1'800'000'000'000);
  const std::string json = MatrixJson(selected);
  EXPECT_EQ(json, R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":)"
                  R"({"__name__":"node_load1","instance":"a \"b\"\n"},"values":)"
                  R"([[1700000000,"0.5"],[1700000015.5,"NaN"]]}]}})");
  auto parsed = json::Parse(json);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(MatrixJson({}), R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
  EXPECT_EQ(ApiErrorJson("bad_data", "bad \"step\""),
            R"({"status":"error","errorType":"bad_data","error":"bad \"step\""})");
}

}  // namespace
}  // namespace failsafe::watch
