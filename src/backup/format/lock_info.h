#pragma once
// The content of a lock file (docs/backup-format.md, "Locks"): encrypted JSON saying who
// holds the repository, how, and since when.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::backup {

struct LockInfo {
  std::string host;
  int64_t pid = 0;
  std::string user;
  bool exclusive = false;
  int64_t created_ms = 0;    // Unix milliseconds; RFC 3339 in the file
  int64_t refreshed_ms = 0;  // the last refresh (equal to created for a new lock)
  friend bool operator==(const LockInfo&, const LockInfo&) = default;
};

std::string EncodeLockInfo(const LockInfo& lock);
Result<LockInfo> DecodeLockInfo(std::string_view json, std::string_view name);

}  // namespace failsafe::backup
