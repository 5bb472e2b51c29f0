#pragma once
// Running a transaction for a value: `fn(Tx&) -> Result<T>` inside Store::Write or Store::Read,
// giving back the value, or fn's error, or the commit's error. Saves every module the same
// optional-and-capture dance.
#include <optional>
#include <utility>

#include "store/store.h"

namespace failsafe::store {

enum class TxKind { kRead, kWrite };

template <typename T, typename Fn>
Result<T> RunForResult(Store& store, TxKind kind, Fn&& fn) {
  std::optional<T> out;
  auto body = [&](Tx& tx) -> Status {
    Result<T> r = fn(tx);
    if (!r) return r.error();
    out = std::move(*r);
    return Status::Ok();
  };
  Status st = kind == TxKind::kWrite ? store.Write(body) : store.Read(body);
  if (!st.ok()) return Err(st);
  return std::move(*out);
}

// Runs `fn` in a write transaction; the value is returned only once the commit is durable.
template <typename T, typename Fn>
Result<T> WriteResult(Store& store, Fn&& fn) {
  return RunForResult<T>(store, TxKind::kWrite, std::forward<Fn>(fn));
}

// Runs `fn` in a read-only transaction.
template <typename T, typename Fn>
Result<T> ReadResult(Store& store, Fn&& fn) {
  return RunForResult<T>(store, TxKind::kRead, std::forward<Fn>(fn));
}

}  // namespace failsafe::store
