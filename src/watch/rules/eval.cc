#include "watch/rules/eval.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <map>

#include "watch/rules/range_functions.h"
#include "watch/rules/vector_ops.h"

namespace failsafe::watch::rules {

bool IsStaleMarker(double v) {
  return std::bit_cast<uint64_t>(v) == 0x7ff0000000000002ULL;
}

namespace {

using MatcherMap = std::unordered_map<const Expr*, std::vector<LabelMatcher>>;

Status CompileSelectors(const Expr& e, MatcherMap& out) {
  if (e.kind == Expr::Kind::kSelector) {
    std::vector<LabelMatcher> compiled;
    for (const MatcherSpec& m : e.matchers) {
      auto lm = LabelMatcher::Make(m.name, m.op, m.value);
      if (!lm) {
        return InvalidArgument(std::to_string(e.pos.line) + ":" + std::to_string(e.pos.col) + ": " +
                               lm.error().message());
      }
      compiled.push_back(std::move(*lm));
    }
    out.emplace(&e, std::move(compiled));
  }
  for (const auto& a : e.args) FS_RETURN_STATUS_IF_ERROR(CompileSelectors(*a, out));
  return Status::Ok();
}

}  // namespace

// One evaluation of a Query at one time.
class Evaluation {
 public:
  Evaluation(const Query& q, const SeriesQuerier& series, int64_t t_ms)
      : q_(q), series_(series), t_(t_ms) {}

  // Scalars come back as a one-sample vector with `scalar` set.
  struct Value {
    Vector vec;
    bool scalar = false;
    double number = 0;
  };

  Result<Value> Eval(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kNumber: return Value{{}, true, e.number};
      case Expr::Kind::kSelector: return Value{InstantSelect(e), false, 0};
      case Expr::Kind::kCall: return Call(e);
      case Expr::Kind::kAggregate: {
        FS_ASSIGN_OR_RETURN(Value arg, Eval(*e.args[0]));
        return Value{Aggregate(e, std::move(arg.vec)), false, 0};
      }
      case Expr::Kind::kNegate: {
        FS_ASSIGN_OR_RETURN(Value arg, Eval(*e.args[0]));
        arg.number = -arg.number;
        for (InstantSample& s : arg.vec) {
          s.labels = DropMetricName(std::move(s.labels));
          s.value = -s.value;
        }
        return arg;
      }
      case Expr::Kind::kBinary: {
        FS_ASSIGN_OR_RETURN(Value l, Eval(*e.args[0]));
        FS_ASSIGN_OR_RETURN(Value r, Eval(*e.args[1]));
        if (l.scalar && r.scalar) return Value{{}, true, ScalarBinOp(e.op, l.number, r.number)};
        if (l.scalar) return Value{VectorScalarOp(e, std::move(r.vec), l.number, true), false, 0};
        if (r.scalar) return Value{VectorScalarOp(e, std::move(l.vec), r.number, false), false, 0};
        FS_ASSIGN_OR_RETURN(Vector v, VectorVectorOp(e, std::move(l.vec), std::move(r.vec)));
        return Value{std::move(v), false, 0};
      }
    }
    return Err(InvalidArgument("unknown expression node"));
  }

 private:
  const std::vector<LabelMatcher>& Matchers(const Expr& e) const { return q_.matchers_->at(&e); }

  // Series are visited rather than selected: the store hands out its own labels and samples
  // without copying them and in no particular order (nothing below depends on the order).
  Vector InstantSelect(const Expr& e) {
    Vector out;
    series_.Visit(Matchers(e), t_ - q_.lookback_ms_ + 1, t_, {.newest_only = true},
                  [&](const Labels& labels, std::span<const Sample> samples) {
                    if (samples.empty() || IsStaleMarker(samples.back().value)) return;
                    out.push_back({labels, samples.back().value});
                  });
    return out;
  }

  Result<Value> Call(const Expr& e) {
    if (e.func == Func::kTime) return Value{{}, true, static_cast<double>(t_) / 1000.0};
    if (e.func == Func::kAbsent) {
      FS_ASSIGN_OR_RETURN(Value arg, Eval(*e.args[0]));
      if (!arg.vec.empty()) return Value{};
      return Value{{{AbsentLabels(*e.args[0]), 1}}, false, 0};
    }
    const Expr& sel = *e.args[0];
    double ahead = 0;
    if (e.func == Func::kPredictLinear) {
      FS_ASSIGN_OR_RETURN(Value seconds, Eval(*e.args[1]));
      ahead = seconds.number;
    }
    const int64_t start = t_ - sel.range_ms;
    Value out;
    std::vector<Sample> fresh;  // reused by WithoutStaleMarkers
    series_.Visit(Matchers(sel), start + 1, t_, {},
                  [&](const Labels& labels, std::span<const Sample> samples) {
                    std::optional<double> v =
                        RangeFunction(e.func, WithoutStaleMarkers(samples, fresh), start, ahead);
                    if (v) out.vec.push_back({WithoutMetricName(labels), *v});
                  });
    return out;
  }

  std::optional<double> RangeFunction(Func f, std::span<const Sample> samples, int64_t start,
                                      double ahead) const {
    switch (f) {
      case Func::kRate: return ExtrapolatedDelta(samples, start, t_, true);
      case Func::kIncrease: return ExtrapolatedDelta(samples, start, t_, false);
      case Func::kPredictLinear: return PredictLinear(samples, t_, ahead);
      default: return OverTime(f, samples);
    }
  }

  // `samples`, or when it holds staleness markers its other samples copied into `buffer`.
  static std::span<const Sample> WithoutStaleMarkers(std::span<const Sample> samples,
                                                     std::vector<Sample>& buffer) {
    auto stale = [](const Sample& x) { return IsStaleMarker(x.value); };
    if (std::none_of(samples.begin(), samples.end(), stale)) return samples;
    buffer.clear();
    std::remove_copy_if(samples.begin(), samples.end(), std::back_inserter(buffer), stale);
    return buffer;
  }

  // absent(sel{a="x"}) reports {a="x"}: the labels fixed by equality matchers, when a label
  // is fixed only once; any other argument gives no labels.
  static Labels AbsentLabels(const Expr& arg) {
    if (arg.kind != Expr::Kind::kSelector) return {};
    std::map<std::string, int> seen;
    for (const MatcherSpec& m : arg.matchers) ++seen[m.name];
    std::vector<Label> labels;
    for (const MatcherSpec& m : arg.matchers) {
      if (m.op == MatchOp::kEqual && m.name != kMetricNameLabel && seen[m.name] == 1)
        labels.push_back({m.name, m.value});
    }
    auto made = MakeLabels(std::move(labels));
    return made ? *made : Labels{};
  }

  static Vector Aggregate(const Expr& e, Vector in) {
    struct Group {
      double value = 0;
      double count = 0;
    };
    std::map<Labels, Group> groups;
    for (InstantSample& s : in) {
      Labels key;
      for (Label& l : s.labels) {
        const bool listed =
            std::find(e.grouping.begin(), e.grouping.end(), l.name) != e.grouping.end();
        if (e.without ? (!listed && l.name != kMetricNameLabel) : listed) key.push_back(l);
      }
      auto [it, fresh] = groups.try_emplace(std::move(key));
      Group& g = it->second;
      g.count += 1;
      if (fresh) {
        g.value = s.value;
        continue;
      }
      switch (e.agg) {
        case AggOp::kSum:
        case AggOp::kAvg: g.value += s.value; break;
        case AggOp::kMin:
          if (s.value < g.value || std::isnan(g.value)) g.value = s.value;
          break;
        case AggOp::kMax:
          if (s.value > g.value || std::isnan(g.value)) g.value = s.value;
          break;
        case AggOp::kCount: break;
      }
    }
    Vector out;
    out.reserve(groups.size());
    for (auto& [labels, g] : groups) {
      double v = g.value;
      if (e.agg == AggOp::kAvg) v = g.value / g.count;
      if (e.agg == AggOp::kCount) v = g.count;
      out.push_back({labels, v});
    }
    return out;
  }

  const Query& q_;
  const SeriesQuerier& series_;
  const int64_t t_;
};

Result<Query> Query::Parse(std::string_view text) {
  FS_ASSIGN_OR_RETURN(auto expr, ParseExpr(text));
  return Make(std::move(expr));
}

Result<Query> Query::Make(std::unique_ptr<Expr> expr) {
  auto matchers = std::make_shared<MatcherMap>();
  FS_RETURN_IF_ERROR(CompileSelectors(*expr, *matchers));
  Query q;
  q.expr_ = std::move(expr);
  q.matchers_ = std::move(matchers);
  return q;
}

Result<Vector> Query::Eval(const SeriesQuerier& series, int64_t t_ms) const {
  Evaluation ev(*this, series, t_ms);
  FS_ASSIGN_OR_RETURN(Evaluation::Value v, ev.Eval(*expr_));
  if (v.scalar) return Vector{{Labels{}, v.number}};
  return std::move(v.vec);
}

}  // namespace failsafe::watch::rules
