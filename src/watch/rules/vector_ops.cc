#include "watch/rules/vector_ops.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace failsafe::watch::rules {
namespace {

// The value of `l op r`, and for comparisons whether the pair passes.
std::pair<double, bool> Apply(BinOp op, double l, double r) {
  switch (op) {
    case BinOp::kAdd: return {l + r, true};
    case BinOp::kSub: return {l - r, true};
    case BinOp::kMul: return {l * r, true};
    case BinOp::kDiv: return {l / r, true};
    case BinOp::kEq: return {l, l == r};
    case BinOp::kNe: return {l, l != r};
    case BinOp::kGt: return {l, l > r};
    case BinOp::kLt: return {l, l < r};
    case BinOp::kGe: return {l, l >= r};
    case BinOp::kLe: return {l, l <= r};
    default: return {l, false};  // set operators never reach here
  }
}

bool Listed(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The labels two samples are paired by.
Labels Signature(const Labels& labels, const VectorMatching& m) {
  Labels out;
  for (const Label& l : labels) {
    const bool keep =
        m.kind == VectorMatching::Kind::kOn
            ? Listed(m.labels, l.name)
            : l.name != kMetricNameLabel &&
                  !(m.kind == VectorMatching::Kind::kIgnoring && Listed(m.labels, l.name));
    if (keep) out.push_back(l);
  }
  return out;
}

// The labels of a one-to-one result: the left side's, without __name__ for arithmetic and
// bool comparisons, reduced to the on() labels or stripped of the ignoring() ones.
Labels ResultLabels(const Expr& node, const Labels& lhs) {
  Labels out;
  const bool drop_name = !IsComparison(node.op) || node.return_bool;
  for (const Label& l : lhs) {
    if (drop_name && l.name == kMetricNameLabel) continue;
    if (node.matching.kind == VectorMatching::Kind::kOn && !Listed(node.matching.labels, l.name))
      continue;
    if (node.matching.kind == VectorMatching::Kind::kIgnoring &&
        Listed(node.matching.labels, l.name))
      continue;
    out.push_back(l);
  }
  return out;
}

Vector SetOp(const Expr& node, Vector lhs, Vector rhs) {
  std::set<Labels> right;
  for (const InstantSample& s : rhs) right.insert(Signature(s.labels, node.matching));
  Vector out;
  if (node.op == BinOp::kOr) {
    std::set<Labels> left;
    for (InstantSample& s : lhs) {
      left.insert(Signature(s.labels, node.matching));
      out.push_back(std::move(s));
    }
    for (InstantSample& s : rhs)
      if (!left.contains(Signature(s.labels, node.matching))) out.push_back(std::move(s));
    return out;
  }
  const bool want_in_right = node.op == BinOp::kAnd;
  for (InstantSample& s : lhs)
    if (right.contains(Signature(s.labels, node.matching)) == want_in_right)
      out.push_back(std::move(s));
  return out;
}

}  // namespace

Labels DropMetricName(Labels labels) {
  std::erase_if(labels, [](const Label& l) { return l.name == kMetricNameLabel; });
  return labels;
}

Labels WithoutMetricName(const Labels& labels) {
  Labels out;
  out.reserve(labels.size());
  for (const Label& l : labels) {
    if (l.name != kMetricNameLabel) out.push_back(l);
  }
  return out;
}

Vector VectorScalarOp(const Expr& node, Vector vec, double scalar, bool scalar_on_left) {
  Vector out;
  out.reserve(vec.size());
  for (InstantSample& s : vec) {
    const double l = scalar_on_left ? scalar : s.value;
    const double r = scalar_on_left ? s.value : scalar;
    auto [value, keep] = Apply(node.op, l, r);
    if (IsComparison(node.op)) value = s.value;  // a filter keeps the vector's own value
    if (node.return_bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    if (!IsComparison(node.op) || node.return_bool) s.labels = DropMetricName(std::move(s.labels));
    s.value = value;
    out.push_back(std::move(s));
  }
  return out;
}

Result<Vector> VectorVectorOp(const Expr& node, Vector lhs, Vector rhs) {
  if (IsSetOp(node.op)) return SetOp(node, std::move(lhs), std::move(rhs));
  std::map<Labels, size_t> right;
  for (size_t i = 0; i < rhs.size(); ++i) {
    if (!right.emplace(Signature(rhs[i].labels, node.matching), i).second)
      return Err(InvalidArgument("many-to-many matching not allowed: the right side of '" +
                                 std::string(BinOpName(node.op)) +
                                 "' has more than one series for " +
                                 FormatLabels(Signature(rhs[i].labels, node.matching)) +
                                 " (aggregate it, or use on(...)/ignoring(...))"));
  }
  std::set<Labels> matched_left;
  Vector out;
  for (InstantSample& s : lhs) {
    Labels sig = Signature(s.labels, node.matching);
    auto it = right.find(sig);
    if (it == right.end()) continue;
    if (!matched_left.insert(sig).second)
      return Err(InvalidArgument("many-to-one matching is not supported: the left side of '" +
                                 std::string(BinOpName(node.op)) +
                                 "' has more than one series for " + FormatLabels(sig)));
    auto [value, keep] = Apply(node.op, s.value, rhs[it->second].value);
    if (node.return_bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push_back({ResultLabels(node, s.labels), value});
  }
  return out;
}

}  // namespace failsafe::watch::rules
