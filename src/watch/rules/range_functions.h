#pragma once
// The functions over one series' samples in a range window, as Prometheus computes them.
// Each takes the samples of (start_ms, end_ms], oldest first, stale markers removed.
#include <cstdint>
#include <optional>
#include <span>

#include "watch/metrics/series.h"
#include "watch/rules/expr.h"

namespace failsafe::watch::rules {

// rate() and increase(): the counter's growth over the window, counter resets added back,
// extrapolated to the window's edges the way Prometheus does (to at most half an average
// sample interval beyond the first and last sample, never below zero at the start).
// rate is per second of the window. nullopt with fewer than 2 samples.
std::optional<double> ExtrapolatedDelta(std::span<const Sample> samples, int64_t start_ms,
                                        int64_t end_ms, bool per_second);

// predict_linear(): the least-squares line through the samples, read `seconds_ahead` after
// `at_ms`. nullopt with fewer than 2 samples.
std::optional<double> PredictLinear(std::span<const Sample> samples, int64_t at_ms,
                                    double seconds_ahead);

// avg|min|max|sum|count_over_time. nullopt without samples.
std::optional<double> OverTime(Func f, std::span<const Sample> samples);

}  // namespace failsafe::watch::rules
