#pragma once
// Instant queries over a SeriesQuerier with Prometheus's semantics: instant selectors look
// back 5 minutes for each series' latest sample, range selectors read (t - range, t],
// functions and arithmetic drop __name__ where Prometheus drops it, comparisons filter.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "watch/metrics/series.h"
#include "watch/rules/expr.h"

namespace failsafe::watch::rules {

struct InstantSample {
  Labels labels;
  double value = 0;
};
using Vector = std::vector<InstantSample>;

inline constexpr int64_t kDefaultLookbackMs = 5 * 60 * 1000;

// Prometheus's staleness marker: a NaN with this bit pattern ends a series; an instant
// selector whose latest sample is one finds nothing, and range functions skip it.
bool IsStaleMarker(double v);

// A parsed expression with its selectors' matchers compiled once, evaluated many times.
class Query {
 public:
  static Result<Query> Parse(std::string_view text);
  static Result<Query> Make(std::unique_ptr<Expr> expr);

  // The value at `t_ms`, its series in no particular order (as in Prometheus). A scalar
  // expression gives one sample without labels (as Prometheus's rule manager turns scalars
  // into vectors). Fails on many-to-many vector matching.
  Result<Vector> Eval(const SeriesQuerier& series, int64_t t_ms) const;

  const Expr& expr() const { return *expr_; }
  void set_lookback_ms(int64_t ms) { lookback_ms_ = ms; }

 private:
  Query() = default;

  std::shared_ptr<const Expr> expr_;  // shared: a Query is copied into rule groups
  std::shared_ptr<const std::unordered_map<const Expr*, std::vector<LabelMatcher>>> matchers_;
  int64_t lookback_ms_ = kDefaultLookbackMs;

  friend class Evaluation;
};

}  // namespace failsafe::watch::rules
