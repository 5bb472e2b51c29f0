#include "watch/logs/key_window.h"

#include <algorithm>

namespace failsafe::watch::logs {
namespace {
constexpr uint64_t kSweepEvery = 65'536;  // adds between expiry sweeps
}

KeyWindows::KeyWindows(int count, int64_t within_ms, size_t max_keys)
    : count_(std::max(1, count)), within_ms_(within_ms), max_keys_(std::max<size_t>(1, max_keys)) {}

std::optional<KeyWindows::Fired> KeyWindows::Add(std::string_view key, int64_t t_ms) {
  newest_ms_ = std::max(newest_ms_, t_ms);
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    if (keys_.size() >= max_keys_ || ++adds_since_sweep_ >= kSweepEvery) Sweep(newest_ms_);
    it = keys_.try_emplace(std::string(key)).first;
    if (count_ > kInlineTimes) it->second.heap_times.reset(new int64_t[count_]);
  }
  Entry& e = it->second;
  int64_t* times = e.times();
  times[e.next] = t_ms;
  e.next = (e.next + 1) % count_;
  e.size = std::min<uint32_t>(e.size + 1, count_);
  e.last_ms = std::max(e.last_ms, t_ms);
  if (static_cast<int>(e.size) < count_) return std::nullopt;
  // The ring is full: its oldest and newest entries bound the last `count_` matches.
  const auto [lo, hi] = std::minmax_element(times, times + count_);
  if (*hi - *lo > within_ms_) return std::nullopt;
  Fired fired{count_, *lo};
  e.size = 0;  // start over; the entry stays until it idles out (no churn for busy keys)
  e.next = 0;
  return fired;
}

void KeyWindows::Sweep(int64_t now_ms) {
  adds_since_sweep_ = 0;
  expired_ += boost::unordered::erase_if(
      keys_, [&](const auto& kv) { return kv.second.last_ms < now_ms - within_ms_; });
  if (keys_.size() < max_keys_) return;
  // Still full of live keys: drop the least recently seen tenth.
  std::vector<int64_t> lasts;
  lasts.reserve(keys_.size());
  for (const auto& [k, e] : keys_) lasts.push_back(e.last_ms);
  const size_t drop = std::max<size_t>(1, keys_.size() / 10);
  std::nth_element(lasts.begin(), lasts.begin() + (drop - 1), lasts.end());
  const int64_t cutoff = lasts[drop - 1];
  size_t dropped = 0;
  evicted_ += boost::unordered::erase_if(
      keys_, [&](const auto& kv) { return kv.second.last_ms <= cutoff && dropped++ < drop; });
}

}  // namespace failsafe::watch::logs
