#pragma once
// Internal: the transaction rules both engines share, so they cannot drift apart —
// parameter checks, "a failed statement aborts the transaction", and the
// begin / run fn / commit-or-rollback sequence behind Store::Write and Store::Read.
#include <functional>
#include <vector>

#include "store/store.h"

namespace failsafe::store {

// kInvalidArgument naming the parameter when a text value is not valid UTF-8 or contains a
// NUL byte (PostgreSQL cannot store either; SQLite is held to the same rule for portability).
Status CheckParams(const std::vector<Value>& params);

// Remembers the first failed statement of a transaction. Not thread-safe (a Tx is not).
class TxErrorLatch {
 public:
  // OK while no statement failed; afterwards kFailedPrecondition quoting the first failure.
  Status Check() const;
  void Record(const Status& s) {
    if (first_.ok() && !s.ok()) first_ = s;
  }
  const Status& first() const { return first_; }

 private:
  Status first_;
};

// Runs fn(tx) between begin() and commit(); calls rollback() when fn fails, throws or
// swallowed a failed statement (latch). Returns begin's or fn's error, the latched statement
// error, or commit's outcome. Exceptions from fn are rethrown after the rollback.
template <typename Begin, typename Commit, typename Rollback>
Status RunInTransaction(Tx& tx, const TxErrorLatch& latch, const std::function<Status(Tx&)>& fn,
                        Begin begin, Commit commit, Rollback rollback) {
  FS_RETURN_STATUS_IF_ERROR(begin());
  Status status;
  try {
    status = fn(tx);
  } catch (...) {
    rollback();
    throw;
  }
  if (status.ok()) status = latch.first();
  if (!status.ok()) {
    rollback();
    return status;
  }
  return commit();
}

}  // namespace failsafe::store
