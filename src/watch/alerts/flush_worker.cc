#include "watch/alerts/flush_worker.h"

#include <algorithm>
#include <chrono>

#include "base/log.h"

namespace failsafe::watch::alerts {
namespace {

constexpr int64_t kReloadEveryMs = 5'000;
constexpr int64_t kGcEveryMs = 60'000;
constexpr int64_t kKeepResolvedMs = 15 * 60'000;  // resolved alerts stay listed-able this long
constexpr int64_t kMaxSleepMs = 1'000;

}  // namespace

void FlushWorker::Start() {
  std::lock_guard lock(mu_);
  if (running_) return;
  running_ = true;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void FlushWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::lock_guard lock(mu_);
  running_ = false;
}

void FlushWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void FlushWorker::WakeFor(int64_t due_ms) {
  // Lock-free check first: the worker stores sleeps_until_ under mu_ before it waits, and the
  // touch that made `due_ms` happened before this load, so a worker that read the groups
  // before the touch is either still awake (INT64_MAX) or sleeps until no later than needed.
  if (due_ms >= sleeps_until_.load()) return;
  Wake();
}

size_t FlushWorker::FlushDue() {
  const int64_t now = ctx_.now();
  auto due = ctx_.groups.TakeDue(now);
  if (due.empty()) return 0;
  Inhibitor inhibitor(ctx_.config.inhibit_rules, ctx_.live, now);
  Muters muters{ctx_.silences, ctx_.maintenance, inhibitor};
  for (const auto& group : due) {
    auto r = bridge_.Flush(group, ctx_.live, muters, now);
    if (!r) {
      ctx_.metrics.flush_errors.Inc();
      log::Warn("alert_flush_failed", {{"group", group.key}, {"error", r.error().message()}});
      ctx_.groups.WakeAt(group.key, now + group.route->group_interval_ms);
      continue;
    }
    if (r->declared) ctx_.metrics.declared.Inc();
    ctx_.groups.Reported(group.key, r->reported, now);
    // A firing alert nobody re-sends resolves at its endsAt: look again then.
    if (r->next_expiry != 0) ctx_.groups.WakeAt(group.key, r->next_expiry + 1);
  }
  return due.size();
}

void FlushWorker::Housekeeping(int64_t now) {
  if (now - last_reload_ >= kReloadEveryMs) {
    last_reload_ = now;
    Status a = ctx_.silences.Reload(ctx_.services.store);
    Status b = ctx_.maintenance.Reload(ctx_.services.store);
    if (!a.ok() || !b.ok()) {
      log::Warn("alert_mutes_reload_failed", {{"error", (!a.ok() ? a : b).message()}});
    }
  }
  // A silence or window changed (here or on another server): every group is looked at again.
  const uint64_t generation = ctx_.silences.generation() + ctx_.maintenance.generation();
  if (generation != seen_generation_) {
    seen_generation_ = generation;
    ctx_.groups.TouchAll(now);
  }
  if (now - last_gc_ >= kGcEveryMs) {
    last_gc_ = now;
    ctx_.live.CollectGarbage(now - kKeepResolvedMs);
  }
}

void FlushWorker::Run() {
  while (true) {
    const int64_t now = ctx_.now();
    Housekeeping(now);
    FlushDue();
    const int64_t next = ctx_.groups.NextDue();
    const int64_t before_sleep = ctx_.now();
    const int64_t sleep_ms = std::clamp<int64_t>(next - before_sleep, 0, kMaxSleepMs);
    std::unique_lock lock(mu_);
    if (stop_) return;
    if (sleep_ms > 0 && !woken_) {
      sleeps_until_ = before_sleep + sleep_ms;
      cv_.wait_for(lock, std::chrono::milliseconds(sleep_ms), [this] { return stop_ || woken_; });
      sleeps_until_ = INT64_MAX;
    }
    woken_ = false;
    if (stop_) return;
  }
}

}  // namespace failsafe::watch::alerts
