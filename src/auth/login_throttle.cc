#include "auth/login_throttle.h"

namespace failsafe::auth {

LoginThrottle::LoginThrottle(const Clock& clock, int limit, std::chrono::milliseconds window)
    : clock_(clock), limit_(limit), window_ms_(window.count()) {}

void LoginThrottle::Prune(std::deque<int64_t>& failures, int64_t now) const {
  while (!failures.empty() && failures.front() <= now - window_ms_) failures.pop_front();
}

std::optional<std::chrono::milliseconds> LoginThrottle::Blocked(const std::string& addr) {
  if (limit_ <= 0) return std::nullopt;
  const int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  auto it = failures_.find(addr);
  if (it == failures_.end()) return std::nullopt;
  Prune(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return std::nullopt;
  }
  if (static_cast<int>(it->second.size()) < limit_) return std::nullopt;
  // Refused until enough failures have aged out to bring the count under the limit.
  const int64_t oldest_needed = it->second[it->second.size() - static_cast<size_t>(limit_)];
  return std::chrono::milliseconds(oldest_needed + window_ms_ - now);
}

void LoginThrottle::RecordFailure(const std::string& addr) {
  if (limit_ <= 0) return;
  const int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  if (failures_.size() >= kMaxAddresses && !failures_.count(addr)) {
    for (auto& kv : failures_) Prune(kv.second, now);
    std::erase_if(failures_, [](const auto& kv) { return kv.second.empty(); });
  }
  auto& q = failures_[addr];
  q.push_back(now);
  // Only the newest `limit` failures matter for the decision.
  while (static_cast<int>(q.size()) > limit_) q.pop_front();
}

}  // namespace failsafe::auth
