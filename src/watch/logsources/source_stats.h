#pragma once
// What a log source counts: lines handed on, and every line it had to cut, repair or drop,
// so nothing disappears silently. Updated from the source's thread, read from any.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace failsafe::watch {

struct SourceStats {
  std::atomic<uint64_t> lines{0};                 // handed to the sink
  std::atomic<uint64_t> bytes{0};                 // read or received
  std::atomic<uint64_t> truncated{0};             // longer than the cap: cut to the cap
  std::atomic<uint64_t> invalid_utf8{0};          // had invalid UTF-8, replaced by U+FFFD
  std::atomic<uint64_t> malformed{0};             // dropped: not syslog, a bad frame
  std::atomic<uint64_t> rejected_connections{0};  // TCP connections over the limit
  std::atomic<uint64_t> restarts{0};              // files read again from 0 (truncated, replaced)

  void SetLastError(std::string e) {
    std::lock_guard lock(mu_);
    last_error_ = std::move(e);
  }
  std::string last_error() const {
    std::lock_guard lock(mu_);
    return last_error_;
  }

 private:
  mutable std::mutex mu_;
  std::string last_error_;
};

}  // namespace failsafe::watch
