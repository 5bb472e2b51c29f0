#include "watch/rules/range_functions.h"

#include <cmath>

namespace failsafe::watch::rules {

std::optional<double> ExtrapolatedDelta(std::span<const Sample> samples, int64_t start_ms,
                                        int64_t end_ms, bool per_second) {
  if (samples.size() < 2) return std::nullopt;
  const Sample& first = samples.front();
  const Sample& last = samples.back();
  double delta = last.value - first.value;
  // A counter that went down was reset to zero: the value before the reset was gained too.
  double previous = first.value;
  for (const Sample& s : samples.subspan(1)) {
    if (s.value < previous) delta += previous;
    previous = s.value;
  }
  const double sampled = static_cast<double>(last.t_ms - first.t_ms) / 1000.0;
  if (sampled <= 0) return std::nullopt;
  double to_start = static_cast<double>(first.t_ms - start_ms) / 1000.0;
  const double to_end = static_cast<double>(end_ms - last.t_ms) / 1000.0;
  const double average_step = sampled / static_cast<double>(samples.size() - 1);
  // A counter cannot have been below zero: do not extrapolate back past the point where the
  // line through the samples reaches zero.
  if (delta > 0 && first.value >= 0) {
    const double to_zero = sampled * (first.value / delta);
    if (to_zero < to_start) to_start = to_zero;
  }
  // Extrapolate to an edge only when the series seems to continue to it (the gap is within
  // 110 % of the average step); otherwise assume it started or ended half a step beyond.
  const double threshold = average_step * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : average_step / 2;
  interval += to_end < threshold ? to_end : average_step / 2;
  double result = delta * (interval / sampled);
  if (per_second) result /= static_cast<double>(end_ms - start_ms) / 1000.0;
  return result;
}

std::optional<double> PredictLinear(std::span<const Sample> samples, int64_t at_ms,
                                    double seconds_ahead) {
  if (samples.size() < 2) return std::nullopt;
  // x is seconds relative to `at_ms`, so the intercept is the fitted value at evaluation time.
  double n = 0, sum_x = 0, sum_y = 0, sum_xy = 0, sum_x2 = 0;
  bool constant_y = true;
  for (const Sample& s : samples) {
    const double x = static_cast<double>(s.t_ms - at_ms) / 1000.0;
    n += 1;
    sum_x += x;
    sum_y += s.value;
    sum_xy += x * s.value;
    sum_x2 += x * x;
    constant_y = constant_y && s.value == samples.front().value;
  }
  if (constant_y) return samples.front().value;  // avoids 0/0 noise on a flat line
  const double cov_xy = sum_xy - sum_x * sum_y / n;
  const double var_x = sum_x2 - sum_x * sum_x / n;
  const double slope = cov_xy / var_x;
  const double intercept = sum_y / n - slope * sum_x / n;
  return slope * seconds_ahead + intercept;
}

std::optional<double> OverTime(Func f, std::span<const Sample> samples) {
  if (samples.empty()) return std::nullopt;
  double acc = samples.front().value;
  switch (f) {
    case Func::kCountOverTime: return static_cast<double>(samples.size());
    case Func::kSumOverTime:
    case Func::kAvgOverTime:
      acc = 0;
      for (const Sample& s : samples) acc += s.value;
      return f == Func::kSumOverTime ? acc : acc / static_cast<double>(samples.size());
    case Func::kMinOverTime:
      // NaN loses to any number, as in Prometheus.
      for (const Sample& s : samples)
        if (s.value < acc || std::isnan(acc)) acc = s.value;
      return acc;
    case Func::kMaxOverTime:
      for (const Sample& s : samples)
        if (s.value > acc || std::isnan(acc)) acc = s.value;
      return acc;
    default: return std::nullopt;
  }
}

}  // namespace failsafe::watch::rules
