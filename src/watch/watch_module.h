#pragma once
// WatchModule: the early-warning engines `failsafe serve` runs on its own (docs/watch/):
// the in-memory series store fed by the host collector, scrapes and probes; the rule groups
// evaluated over it, whose alerts go to the alert intake (the poster); the log sources and log
// rules (their alerts go to the log poster); and the read API the console charts and lists
// from (/api/v1/watch/...), with POST /api/v1/logs/{source} for pushed lines.
#include <memory>

#include "base/clock.h"
#include "base/metrics.h"
#include "base/result.h"
#include "server/router.h"
#include "watch/log_pipeline.h"
#include "watch/metrics/memory_store.h"
#include "watch/probes/probe_spec.h"
#include "watch/rule_runner.h"
#include "watch/watch_config.h"

namespace failsafe::watch {

class ScrapeManager;
class SourceMetrics;
namespace probes {
class Prober;
class ProbeScheduler;
}  // namespace probes

class WatchModule {
 public:
  // Loads the rule and probe files the config names; fails with the first file's errors
  // (every error of a rule file, one per line) so a bad file stops the start.
  static Result<std::unique_ptr<WatchModule>> Create(const Clock& clock,
                                                     metrics::Registry& registry,
                                                     WatchConfig config, AlertPoster poster,
                                                     LogAlertPoster log_poster = {});
  ~WatchModule();  // Stop()
  WatchModule(const WatchModule&) = delete;
  WatchModule& operator=(const WatchModule&) = delete;

  void RegisterRoutes(server::Router& router);
  // Fails when a log source cannot start (a syslog port in use, a damaged saved position).
  Status Start();
  void Stop();

  MemoryStore& store() { return store_; }

 private:
  WatchModule(const Clock& clock, WatchConfig config);

  const Clock& clock_;
  WatchConfig config_;
  MemoryStore store_;
  std::unique_ptr<ScrapeManager> scrapes_;
  std::unique_ptr<RuleRunner> rules_;
  std::vector<probes::ProbeSpec> probe_specs_;
  std::unique_ptr<probes::Prober> prober_;
  std::unique_ptr<probes::ProbeScheduler> probe_scheduler_;  // destroyed before prober_
  std::unique_ptr<LogPipeline> logs_;                        // null without log rules
  std::unique_ptr<SourceMetrics> log_metrics_;               // after logs_: destroyed first
  bool started_ = false;
};

}  // namespace failsafe::watch
