#pragma once
// RuleRunner: evaluates each rule group on its own interval against the series store, on one
// thread (rules are cheap next to their interval; bench/rules), and hands every evaluation's
// firing and resolved alerts to the poster, which feeds the alert intake. Thread-safe reads
// of the rules' state for the API.
#include <boost/json/value.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "watch/metrics/memory_store.h"
#include "watch/rules/rule_group.h"

namespace failsafe::watch {

using AlertPoster = std::function<void(std::vector<rules::PostableAlert>)>;

class RuleRunner {
 public:
  RuleRunner(MemoryStore& store, const Clock& clock, std::vector<rules::RuleGroupSpec> groups,
             AlertPoster poster);
  ~RuleRunner();  // Stop()
  RuleRunner(const RuleRunner&) = delete;
  RuleRunner& operator=(const RuleRunner&) = delete;

  void Start();
  void Stop();
  // Evaluates every group at `t_ms` on the calling thread (tests).
  void EvaluateAll(int64_t t_ms);

  // {"groups": [{name, file, interval_seconds, rules: [{name, type, expr, for_seconds, state,
  //   health, last_error, last_evaluation, alerts: [{labels, annotations, state, value,
  //   active_at}]}]}]}
  boost::json::value StateJson() const;
  size_t rule_count() const;

 private:
  struct Slot {
    rules::RuleGroup group;
    int64_t next_ms = 0;
    std::vector<std::string> last_errors;  // logged when they change, not every round
  };
  void Loop();
  void Evaluate(Slot& slot, int64_t t_ms);

  MemoryStore& store_;
  const Clock& clock_;
  AlertPoster poster_;
  std::vector<Slot> slots_;
  mutable std::mutex mu_;  // guards slots_ (evaluation vs StateJson) and stopping_
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace failsafe::watch
