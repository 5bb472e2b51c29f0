#include "watch/rule_runner.h"

#include <boost/json.hpp>

#include "base/clock.h"
#include "base/log.h"

namespace failsafe::watch {

RuleRunner::RuleRunner(MemoryStore& store, const Clock& clock,
                       std::vector<rules::RuleGroupSpec> groups, AlertPoster poster)
    : store_(store), clock_(clock), poster_(std::move(poster)) {
  for (auto& g : groups) slots_.push_back(Slot{rules::RuleGroup(std::move(g)), 0, {}});
}

RuleRunner::~RuleRunner() {
  Stop();
}

void RuleRunner::Start() {
  if (thread_.joinable() || slots_.empty()) return;
  int64_t now = clock_.NowMillis();
  // Align each group to its interval, as Prometheus does, so restarts keep the phase.
  for (auto& s : slots_) s.next_ms = now - now % s.group.interval_ms() + s.group.interval_ms();
  thread_ = std::thread([this] { Loop(); });
}

void RuleRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RuleRunner::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    int64_t now = clock_.NowMillis();
    int64_t next = INT64_MAX;
    for (auto& s : slots_) {
      if (s.next_ms <= now) {
        Evaluate(s, s.next_ms);
        // Skip missed rounds rather than running them back to back after a stall.
        while (s.next_ms <= now) s.next_ms += s.group.interval_ms();
      }
      next = std::min(next, s.next_ms);
    }
    cv_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(1, next - clock_.NowMillis())),
                 [this] { return stopping_; });
  }
}

void RuleRunner::EvaluateAll(int64_t t_ms) {
  std::lock_guard lock(mu_);
  for (auto& s : slots_) Evaluate(s, t_ms);
}

void RuleRunner::Evaluate(Slot& slot, int64_t t_ms) {
  rules::GroupResult r = slot.group.Evaluate(store_, &store_, t_ms);
  if (r.errors != slot.last_errors) {
    for (const auto& e : r.errors) log::Warn("watch.rule_failed", {{"error", e}});
    slot.last_errors = r.errors;
  }
  if (!r.alerts.empty() && poster_) poster_(std::move(r.alerts));
}

size_t RuleRunner::rule_count() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& s : slots_) n += s.group.size();
  return n;
}

namespace {

boost::json::object LabelsObject(const Labels& labels) {
  boost::json::object o;
  for (const auto& l : labels) o[l.name] = l.value;
  return o;
}

std::string TimeOrEmpty(int64_t ms) {
  return ms > 0 ? FormatRfc3339(ms) : std::string();
}

}  // namespace

boost::json::value RuleRunner::StateJson() const {
  std::lock_guard lock(mu_);
  boost::json::array groups;
  for (const auto& s : slots_) {
    const auto& g = s.group;
    boost::json::array rules_json;
    for (size_t i = 0; i < g.size(); ++i) {
      const auto& spec = g.spec(i);
      const auto& health = g.health(i);
      boost::json::object r{
          {"name", spec.name},
          {"type", spec.kind == rules::RuleSpec::Kind::kAlert ? "alerting" : "recording"},
          {"expr", spec.expr_text},
          {"source", spec.source},
          {"for_seconds", spec.for_ms / 1000.0},
          {"health", health.last_eval_ms == 0    ? "unknown"
                     : health.last_error.empty() ? "ok"
                                                 : "err"},
          {"last_error", health.last_error},
          {"last_evaluation", TimeOrEmpty(health.last_eval_ms)},
          {"evaluation_seconds", static_cast<double>(health.last_duration_ns) / 1e9}};
      boost::json::array alerts;
      if (const auto* rule = g.alerting(i)) {
        r["state"] = std::string(rules::AlertStateName(rule->state()));
        for (const auto& [fp, a] : rule->alerts()) {
          alerts.push_back(boost::json::object{{"labels", LabelsObject(a.labels)},
                                               {"annotations", LabelsObject(a.annotations)},
                                               {"state", rules::AlertStateName(a.state)},
                                               {"value", a.value},
                                               {"active_at", TimeOrEmpty(a.active_at_ms)}});
        }
      }
      r["alerts"] = std::move(alerts);
      rules_json.push_back(std::move(r));
    }
    groups.push_back(boost::json::object{{"name", g.name()},
                                         {"interval_seconds", g.interval_ms() / 1000.0},
                                         {"rules", std::move(rules_json)}});
  }
  return boost::json::object{{"groups", std::move(groups)}};
}

}  // namespace failsafe::watch
