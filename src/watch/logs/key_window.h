#pragma once
// Per-key sliding windows for "at least `count` matches with the same key within `within`".
// The time is the line's own; lines may arrive slightly out of order. Memory is bounded:
// keys idle longer than the window are expired, and past `max_keys` the least recently seen
// keys are evicted (counted; an evicted key starts again from zero).
// Not thread-safe: one instance per rule, fed by one engine.
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace failsafe::watch::logs {

class KeyWindows {
 public:
  KeyWindows(int count, int64_t within_ms, size_t max_keys);

  struct Fired {
    int count = 0;
    int64_t first_ms = 0;  // the oldest match in the window
  };
  // Records a match of `key` at `t_ms`. When the key has `count` matches within the window,
  // returns them and starts the key over (one alert per burst, as fail2ban bans once).
  std::optional<Fired> Add(std::string_view key, int64_t t_ms);

  size_t keys() const { return keys_.size(); }
  uint64_t expired() const { return expired_; }
  uint64_t evicted() const { return evicted_; }

 private:
  static constexpr int kInlineTimes = 6;
  struct Entry {
    // Ring of the last `count_` match times: inline for small counts (no allocation per key).
    int64_t inline_times[kInlineTimes];
    std::unique_ptr<int64_t[]> heap_times;
    uint32_t next = 0;  // where the next time goes
    uint32_t size = 0;
    int64_t last_ms = 0;
    int64_t* times() { return heap_times ? heap_times.get() : inline_times; }
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };
  void Sweep(int64_t now_ms);

  int count_;
  int64_t within_ms_;
  size_t max_keys_;
  boost::unordered_flat_map<std::string, Entry, Hash, Eq> keys_;
  int64_t newest_ms_ = INT64_MIN;
  uint64_t adds_since_sweep_ = 0;
  uint64_t expired_ = 0, evicted_ = 0;
};

}  // namespace failsafe::watch::logs
