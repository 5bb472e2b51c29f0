#pragma once
// The rule expression language: a strict subset of PromQL (docs/watch/rules.md). ParseExpr
// turns text into a type-checked tree; anything outside the subset (offset, @, subqueries,
// unknown functions, group_left, ...) is refused with "line:col: message", never guessed at.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/metrics/series.h"

namespace failsafe::watch::rules {

struct Pos {
  int line = 1;
  int col = 1;
};

enum class ValueType { kScalar, kVector, kMatrix };

// One matcher as written; compiled into a LabelMatcher by the evaluator.
struct MatcherSpec {
  std::string name;
  MatchOp op = MatchOp::kEqual;
  std::string value;
};

enum class BinOp { kAdd, kSub, kMul, kDiv, kEq, kNe, kGt, kLt, kGe, kLe, kAnd, kOr, kUnless };
enum class Func {
  kAvgOverTime,
  kMinOverTime,
  kMaxOverTime,
  kSumOverTime,
  kCountOverTime,
  kRate,
  kIncrease,
  kAbsent,
  kPredictLinear,
  kTime,  // time(): the evaluation time in seconds, a scalar
};
enum class AggOp { kSum, kAvg, kMin, kMax, kCount };

bool IsComparison(BinOp op);
// `a op b` between two scalars; comparisons (always with bool there) give 1 or 0.
double ScalarBinOp(BinOp op, double a, double b);
bool IsSetOp(BinOp op);
std::string_view BinOpName(BinOp op);
std::string_view FuncName(Func f);
std::string_view AggOpName(AggOp op);

// How two vectors' samples are paired: by all labels but __name__ (no modifier), only the
// `on(...)` labels, or all but the `ignoring(...)` labels.
struct VectorMatching {
  enum class Kind { kDefault, kOn, kIgnoring } kind = Kind::kDefault;
  std::vector<std::string> labels;
};

struct Expr {
  enum class Kind { kNumber, kSelector, kCall, kAggregate, kBinary, kNegate };
  Kind kind = Kind::kNumber;
  Pos pos;
  ValueType type = ValueType::kScalar;
  int depth = 1;  // of the tree below; the parser bounds it so recursion over trees is safe

  double number = 0;  // kNumber

  // kSelector: the matchers (the metric name, if written, as a __name__ matcher first) and,
  // for a range selector, its window.
  std::vector<MatcherSpec> matchers;
  int64_t range_ms = 0;

  Func func = Func::kRate;  // kCall
  AggOp agg = AggOp::kSum;  // kAggregate
  bool without = false;     // kAggregate: `without (...)` rather than `by (...)`
  std::vector<std::string> grouping;

  BinOp op = BinOp::kAdd;  // kBinary
  bool return_bool = false;
  VectorMatching matching;

  // kCall: the arguments; kAggregate, kNegate: one operand; kBinary: left, right.
  std::vector<std::unique_ptr<Expr>> args;
};

// The deepest tree ParseExpr accepts (nesting of parentheses, calls and operators).
inline constexpr int kMaxExprDepth = 128;

// Parses and type-checks `text`. The result is a scalar or an instant vector (what a rule
// can evaluate); errors read "line:col: message" with 1-based positions into `text`.
Result<std::unique_ptr<Expr>> ParseExpr(std::string_view text);

// Canonical PromQL text for a tree (numbers in shortest form, durations as 1h30m). Parsing
// the output gives the same tree.
std::string FormatExpr(const Expr& e);

}  // namespace failsafe::watch::rules
