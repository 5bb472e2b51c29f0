#pragma once
// Every label value in the memory store with the number of series carrying it, and for regex
// matchers the set of values they accept: worked out once per distinct value and kept until a
// value of that label appears or disappears, instead of matching the regex against every
// series (or every shard) on every Select. Thread-safe.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "watch/metrics/series.h"

namespace failsafe::watch {

// std::hash over string_view, so that sets of std::string can be probed with string_views.
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using ValueSet = std::unordered_set<std::string, StringViewHash, std::equal_to<>>;

class LabelValueIndex {
 public:
  void Add(const Labels& labels);     // a new series
  void Remove(const Labels& labels);  // a series dropped

  // Every value of `name`, sorted.
  std::vector<std::string> Values(std::string_view name) const;

  // The values present in the store that `m` accepts (a missing label's empty value is not
  // among them: callers ask m.Matches("") for that). Shared and immutable: a later change of
  // the label's values makes a new set rather than changing this one.
  std::shared_ptr<const ValueSet> Accepted(const LabelMatcher& m) const;

  // How many times Accepted matched a matcher against the values (for tests: the cache).
  uint64_t matcher_runs() const;

 private:
  struct Name {
    std::unordered_map<std::string, uint32_t> counts;  // value -> series carrying it
    uint64_t generation = 0;  // changes whenever a value appears or disappears
  };
  struct Cached {
    uint64_t generation = 0;
    std::shared_ptr<const ValueSet> values;
  };
  // Bounds the cache; past either it is emptied and refilled by the matchers in use.
  static constexpr size_t kMaxCachedMatchers = 4096;
  static constexpr size_t kMaxCachedValues = 200'000;

  mutable std::mutex mu_;
  std::unordered_map<std::string, Name> names_;
  uint64_t next_generation_ = 0;  // store-wide, so a name dropped and re-added never reuses one
  mutable std::unordered_map<std::string, Cached> cache_;  // key: name, op, regex
  mutable size_t cached_values_ = 0;
  mutable uint64_t matcher_runs_ = 0;
};

}  // namespace failsafe::watch
