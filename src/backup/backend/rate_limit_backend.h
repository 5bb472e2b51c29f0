#pragma once
// RateLimitBackend: caps the bytes a backend uploads (Save) and downloads (Load) per second,
// each with its own token bucket, so a backup over a shared office uplink leaves room for
// everyone else. Listing and stat requests are small and not counted.
#include <memory>

#include "backup/backend/backend_options.h"
#include "backup/backend/forwarding_backend.h"
#include "backup/backend/token_bucket.h"

namespace failsafe::backup {

class RateLimitBackend final : public ForwardingBackend {
 public:
  RateLimitBackend(std::unique_ptr<Backend> inner, RateLimitOptions options);
  // For tests: buckets with a fake clock.
  RateLimitBackend(std::unique_ptr<Backend> inner, std::unique_ptr<TokenBucket> up,
                   std::unique_ptr<TokenBucket> down);

  Status Save(FileType type, const std::string& name, std::string_view data) override;
  Status LoadInto(FileType type, const std::string& name, std::string* out) override;
  Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                           uint64_t length = 0) override;

 private:
  std::unique_ptr<TokenBucket> up_, down_;
};

}  // namespace failsafe::backup
