#include "auth/token_cache.h"

#include <algorithm>
#include <mutex>

namespace failsafe::auth {

TokenCache::TokenCache(const Clock& clock, std::chrono::milliseconds ttl)
    : clock_(clock), ttl_ms_(ttl.count()) {}

std::optional<server::Principal> TokenCache::Get(const std::string& token_hash) const {
  if (ttl_ms_ <= 0) return std::nullopt;
  const int64_t now = clock_.NowMillis();
  std::shared_lock lock(mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end() || it->second.valid_until_ms <= now) return std::nullopt;
  return it->second.principal;
}

void TokenCache::Put(const std::string& token_hash, const server::Principal& principal,
                     int64_t token_expires_at_ms, uint64_t generation_before_lookup) {
  if (ttl_ms_ <= 0) return;
  const int64_t now = clock_.NowMillis();
  std::unique_lock lock(mu_);
  if (generation_.load() != generation_before_lookup) return;
  if (entries_.size() >= kMaxEntries) {
    std::erase_if(entries_, [now](const auto& kv) { return kv.second.valid_until_ms <= now; });
    if (entries_.size() >= kMaxEntries) entries_.clear();  // a flood of distinct tokens
  }
  entries_[token_hash] = Entry{principal, std::min(now + ttl_ms_, token_expires_at_ms)};
}

void TokenCache::InvalidateToken(int64_t token_id) {
  std::unique_lock lock(mu_);
  ++generation_;
  std::erase_if(entries_,
                [token_id](const auto& kv) { return kv.second.principal.token_id == token_id; });
}

void TokenCache::InvalidateUser(int64_t user_id) {
  std::unique_lock lock(mu_);
  ++generation_;
  std::erase_if(entries_,
                [user_id](const auto& kv) { return kv.second.principal.user_id == user_id; });
}

size_t TokenCache::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace failsafe::auth
