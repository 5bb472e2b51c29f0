#pragma once
// ProbeScheduler: runs each probe every `interval`, retrying a failed attempt up to `retries`
// times (`retry_delay` apart) before the failure is reported, and reports one result per
// interval to a sink. Start times are spread over the interval (StartOffset) so a thousand
// probes with the same interval do not fire in the same millisecond.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "watch/probes/prober.h"

namespace failsafe::watch::probes {

struct ProbeReport {
  std::shared_ptr<const ProbeSpec> spec;
  ProbeResult result;
  int64_t t_ms = 0;  // Unix milliseconds when the reported attempt ended
};

// Called on a prober thread, one report at a time per probe; must not block.
using ReportSink = std::function<void(const ProbeReport&)>;

// The first run of probe `name` happens this long after Start: a stable hash of the name
// spread over the interval, so restarts keep each probe's phase.
std::chrono::milliseconds StartOffset(const std::string& name, std::chrono::milliseconds interval);

class ProbeScheduler {
 public:
  // `spread_start` false runs every probe at once on Start (tests, `failsafe probe run`).
  ProbeScheduler(Prober& prober, const Clock& clock, ReportSink sink, bool spread_start = true);
  ~ProbeScheduler();  // Stop()
  ProbeScheduler(const ProbeScheduler&) = delete;
  ProbeScheduler& operator=(const ProbeScheduler&) = delete;

  // Starts probing `specs` (replacing what ran before).
  void Start(std::vector<ProbeSpec> specs);
  // Stops the timers and waits until no attempt can report any more (at most the longest
  // timeout of an attempt in flight). Not from a prober thread; destroy the scheduler before
  // the prober.
  void Stop();

  // The latest report of each probe, by name.
  std::vector<ProbeReport> Latest() const;
  // Intervals skipped because the previous attempt (with its retries) was still running.
  uint64_t skipped() const { return skipped_.load(); }

 private:
  struct Slot;
  void Arm(const std::shared_ptr<Slot>& slot);
  void Tick(const std::shared_ptr<Slot>& slot);
  void Attempt(const std::shared_ptr<Slot>& slot, int attempt);
  void Report(const std::shared_ptr<Slot>& slot, ProbeResult result);

  Prober& prober_;
  const Clock& clock_;
  ReportSink sink_;
  bool spread_start_;
  std::vector<std::shared_ptr<Slot>> slots_;
  mutable std::mutex latest_mu_;
  std::map<std::string, ProbeReport> latest_;
  std::atomic<uint64_t> skipped_{0};
  // Attempts and retry waits whose callbacks still use `this`; Stop waits for zero. Each
  // callback decrements it as its last use of `this`.
  std::atomic<int> active_{0};
};

}  // namespace failsafe::watch::probes
