#pragma once
// Range queries for charts, in the shape of Prometheus's GET /api/v1/query_range, so
// Grafana-style clients and the console read them unchanged:
//   {"status":"success","data":{"resultType":"matrix","result":[
//     {"metric":{"__name__":"up","job":"node"},"values":[[1700000000,"1"],[1700000015.5,"0"]]}]}}
// Timestamps are Unix seconds (milliseconds as a fraction), values strings ("NaN", "+Inf").
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "watch/metrics/series.h"

namespace failsafe::watch {

struct RangeQuery {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t step_ms = 15'000;
  // How far back a step looks for the latest sample: Prometheus's default 5 minutes.
  int64_t lookback_ms = 5 * 60'000;
};

// Prometheus's limit, with its message: a query gives at most 11,000 points per series.
inline constexpr int64_t kMaxPointsPerSeries = 11'000;

// Refuses an empty or inverted range, a step <= 0 and too many points (field: the parameter).
Status CheckRangeQuery(const RangeQuery& q);

// The value of each series at every step start, start+step, ... <= end: its latest sample in
// (t - lookback, t], stamped t, as PromQL evaluates a plain selector over a range. Feed it
// Select(matchers, start - lookback, end). Series with no point at all are left out.
std::vector<SeriesSamples> EvaluateAtSteps(const std::vector<SeriesSamples>& selected,
                                           const RangeQuery& q);

// The success body of /api/v1/query_range for `series` (a "matrix").
std::string MatrixJson(const std::vector<SeriesSamples>& series);
// The error body: {"status":"error","errorType":"bad_data","error":"..."}.
std::string ApiErrorJson(std::string_view error_type, std::string_view message);

// "1700000000.5": Unix seconds from milliseconds, as Prometheus prints sample times.
std::string FormatPromTimestamp(int64_t t_ms);
// "0.1", "1e+21" -> "1000000000000000000000", "NaN", "+Inf": as Prometheus prints values.
std::string FormatPromValue(double v);

}  // namespace failsafe::watch
