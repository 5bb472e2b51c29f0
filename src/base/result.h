#pragma once
// Result<T>: a T or the Status that explains why there is none (tl::expected).
#include <tl/expected.hpp>

#include "base/status.h"

namespace failsafe {

template <typename T>
using Result = tl::expected<T, Status>;

inline tl::unexpected<Status> Err(Status s) {
  return tl::unexpected<Status>(std::move(s));
}

// Drops the value of a Result, keeping only whether (and why) it failed.
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r ? Status::Ok() : r.error();
}

}  // namespace failsafe

// Propagates a failed Status from an expression returning Status.
#define FS_RETURN_IF_ERROR(expr)                              \
  do {                                                        \
    ::failsafe::Status fs_status_ = (expr);                   \
    if (!fs_status_.ok()) return ::failsafe::Err(fs_status_); \
  } while (0)

// Same, for functions that return Status rather than Result<T>.
#define FS_RETURN_STATUS_IF_ERROR(expr)      \
  do {                                       \
    ::failsafe::Status fs_status_ = (expr);  \
    if (!fs_status_.ok()) return fs_status_; \
  } while (0)

#define FS_CONCAT_INNER(a, b) a##b
#define FS_CONCAT(a, b) FS_CONCAT_INNER(a, b)

// `FS_ASSIGN_OR_RETURN(auto x, F());` binds the value of a Result or returns its error
// (as Err(...) so it works in functions returning Result<U>; for Status-returning functions
// use FS_ASSIGN_OR_RETURN_STATUS).
#define FS_ASSIGN_OR_RETURN(lhs, expr)                               \
  auto FS_CONCAT(fs_result_, __LINE__) = (expr);                     \
  if (!FS_CONCAT(fs_result_, __LINE__))                              \
    return ::failsafe::Err(FS_CONCAT(fs_result_, __LINE__).error()); \
  lhs = std::move(*FS_CONCAT(fs_result_, __LINE__))

#define FS_ASSIGN_OR_RETURN_STATUS(lhs, expr)                                           \
  auto FS_CONCAT(fs_result_, __LINE__) = (expr);                                        \
  if (!FS_CONCAT(fs_result_, __LINE__)) return FS_CONCAT(fs_result_, __LINE__).error(); \
  lhs = std::move(*FS_CONCAT(fs_result_, __LINE__))
