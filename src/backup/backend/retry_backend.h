#pragma once
// RetryBackend: retries what failed with Unavailable (network, 5xx, timeouts) with exponential
// backoff and full jitter, a bounded number of times, and logs each retry (location, operation,
// file, attempt, delay, error: never credentials, which no Location() or error carries).
// Everything else is final and returned at once.
#include <chrono>
#include <functional>
#include <memory>

#include "backup/backend/backend_options.h"
#include "backup/backend/forwarding_backend.h"

namespace failsafe::backup {

class RetryBackend final : public ForwardingBackend {
 public:
  using Sleeper = std::function<void(std::chrono::milliseconds)>;
  // `sleep` defaults to std::this_thread::sleep_for; tests record the delays instead.
  RetryBackend(std::unique_ptr<Backend> inner, RetryOptions options, Sleeper sleep = nullptr);

  Status Create() override;
  Status Save(FileType type, const std::string& name, std::string_view data) override;
  Status LoadInto(FileType type, const std::string& name, std::string* out) override;
  Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                           uint64_t length = 0) override;
  Result<FileInfo> Stat(FileType type, const std::string& name) override;
  Result<std::vector<FileInfo>> List(FileType type) override;
  // A retry that finds the file gone reports success: the failed attempt removed it.
  Status Remove(FileType type, const std::string& name) override;

  // The delay before retry number `retry` (1-based), before jitter: initial * 2^(retry-1),
  // capped at max_backoff.
  std::chrono::milliseconds BackoffFor(int retry) const;

 private:
  template <typename T, typename Op>
  T Run(std::string_view operation, std::string_view file, Op op);

  RetryOptions options_;
  Sleeper sleep_;
};

}  // namespace failsafe::backup
