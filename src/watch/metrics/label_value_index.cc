// Label values and the regex matchers' accepted values (label_value_index.h).
#include "watch/metrics/label_value_index.h"

#include <algorithm>

namespace failsafe::watch {

void LabelValueIndex::Add(const Labels& labels) {
  std::lock_guard lock(mu_);
  for (const Label& l : labels) {
    Name& name = names_[l.name];
    if (++name.counts[l.value] == 1) name.generation = ++next_generation_;
  }
}

void LabelValueIndex::Remove(const Labels& labels) {
  std::lock_guard lock(mu_);
  for (const Label& l : labels) {
    auto name_it = names_.find(l.name);
    Name& name = name_it->second;
    auto value_it = name.counts.find(l.value);
    if (--value_it->second > 0) continue;
    name.counts.erase(value_it);
    name.generation = ++next_generation_;
    if (name.counts.empty()) names_.erase(name_it);
  }
}

std::vector<std::string> LabelValueIndex::Values(std::string_view name) const {
  std::vector<std::string> out;
  std::lock_guard lock(mu_);
  auto it = names_.find(std::string(name));
  if (it == names_.end()) return out;
  for (const auto& [value, n] : it->second.counts) out.push_back(value);
  std::sort(out.begin(), out.end());
  return out;
}

std::shared_ptr<const ValueSet> LabelValueIndex::Accepted(const LabelMatcher& m) const {
  std::lock_guard lock(mu_);
  auto name_it = names_.find(m.name());
  if (name_it == names_.end()) return std::make_shared<const ValueSet>();
  const Name& name = name_it->second;
  std::string key = m.name();
  key += '\0';
  key += static_cast<char>('0' + static_cast<int>(m.op()));
  key += m.value();
  auto cached = cache_.find(key);
  if (cached != cache_.end() && cached->second.generation == name.generation) {
    return cached->second.values;
  }
  auto values = std::make_shared<ValueSet>();
  for (const auto& [value, n] : name.counts) {
    if (m.Matches(value)) values->insert(value);
  }
  ++matcher_runs_;
  if (cached != cache_.end()) {
    cached_values_ -= cached->second.values->size();
    cached->second = {name.generation, values};
  } else {
    if (cache_.size() >= kMaxCachedMatchers || cached_values_ >= kMaxCachedValues) {
      cache_.clear();
      cached_values_ = 0;
    }
    cache_.emplace(std::move(key), Cached{name.generation, values});
  }
  cached_values_ += values->size();
  return values;
}

uint64_t LabelValueIndex::matcher_runs() const {
  std::lock_guard lock(mu_);
  return matcher_runs_;
}

}  // namespace failsafe::watch
