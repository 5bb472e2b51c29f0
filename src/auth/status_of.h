#pragma once
// StatusOf: drops the value of a Result, keeping only whether (and why) it failed.
#include "base/result.h"

namespace failsafe::auth {

template <typename T>
Status StatusOf(const Result<T>& r) {
  return r ? Status::Ok() : r.error();
}

}  // namespace failsafe::auth
