#pragma once
// Binary operators between vectors and scalars and between two vectors (one-to-one matching
// and the set operators), as Prometheus applies them.
#include "watch/rules/eval.h"

namespace failsafe::watch::rules {

// `vec op scalar`, or `scalar op vec` when `scalar_on_left`.
Vector VectorScalarOp(const Expr& node, Vector vec, double scalar, bool scalar_on_left);
Result<Vector> VectorVectorOp(const Expr& node, Vector lhs, Vector rhs);

// Labels without __name__.
Labels DropMetricName(Labels labels);
// A copy of `labels` without __name__ (one allocation, nothing copied to be erased).
Labels WithoutMetricName(const Labels& labels);

}  // namespace failsafe::watch::rules
