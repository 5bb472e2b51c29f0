#pragma once
// TokenCache: verified API token hash -> Principal for a short TTL, so the hot path of bearer
// authentication does not touch the database. Entries never outlive the token's own expiry.
// Revocation, disabling a user or changing a role invalidates the affected entries at once
// in this process; other instances sharing PostgreSQL notice within the TTL.
// Thread-safe (a shared lock on lookups).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "server/http_types.h"

namespace failsafe::auth {

class TokenCache {
 public:
  // `clock` must outlive the cache. A zero TTL disables caching.
  TokenCache(const Clock& clock, std::chrono::milliseconds ttl);

  std::optional<server::Principal> Get(const std::string& token_hash) const;
  // Read before looking a token up in the store and pass to Put: an invalidation that ran in
  // between (a revoke racing the lookup) makes Put a no-op, so a stale answer is never cached.
  uint64_t generation() const { return generation_.load(); }
  void Put(const std::string& token_hash, const server::Principal& principal,
           int64_t token_expires_at_ms, uint64_t generation_before_lookup);
  void InvalidateToken(int64_t token_id);
  void InvalidateUser(int64_t user_id);
  size_t size() const;

 private:
  struct Entry {
    server::Principal principal;
    int64_t valid_until_ms;
  };
  static constexpr size_t kMaxEntries = 100'000;

  const Clock& clock_;
  const int64_t ttl_ms_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace failsafe::auth
