#include "backup/backend/rate_limit_backend.h"

namespace failsafe::backup {

RateLimitBackend::RateLimitBackend(std::unique_ptr<Backend> inner, RateLimitOptions options)
    : RateLimitBackend(std::move(inner),
                       std::make_unique<TokenBucket>(options.upload_bytes_per_second),
                       std::make_unique<TokenBucket>(options.download_bytes_per_second)) {}

RateLimitBackend::RateLimitBackend(std::unique_ptr<Backend> inner, std::unique_ptr<TokenBucket> up,
                                   std::unique_ptr<TokenBucket> down)
    : ForwardingBackend(std::move(inner)), up_(std::move(up)), down_(std::move(down)) {}

Status RateLimitBackend::Save(FileType type, const std::string& name, std::string_view data) {
  up_->Acquire(data.size());
  return target().Save(type, name, data);
}

Result<std::string> RateLimitBackend::Load(FileType type, const std::string& name, uint64_t offset,
                                           uint64_t length) {
  // The size is known only afterwards; charging then keeps the average, one file late.
  auto data = target().Load(type, name, offset, length);
  if (data) down_->Acquire(data->size());
  return data;
}

Status RateLimitBackend::LoadInto(FileType type, const std::string& name, std::string* out) {
  Status s = target().LoadInto(type, name, out);
  if (s.ok()) down_->Acquire(out->size());
  return s;
}

}  // namespace failsafe::backup
