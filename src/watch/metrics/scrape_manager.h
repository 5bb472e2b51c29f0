#pragma once
// Runs scrapes on their interval: every configured target, and the built-in host collector
// as the target {job="node", instance=<hostname>}, each on its own thread (as Prometheus runs
// a loop per target), at a fixed offset within the interval so targets do not all fire at
// once. Samples are stamped with the scheduled time, so regular scrapes are exactly one
// interval apart (what the chunk encoding stores in one bit). It also runs the store's
// retention now and then. Thread-safe.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "watch/metrics/host_collector.h"
#include "watch/metrics/memory_store.h"
#include "watch/metrics/scraper.h"

namespace failsafe::watch {

struct ScrapeManagerOptions {
  int64_t interval_ms = 15'000;
  bool host_collector = true;
  std::string host_job = "node";
  std::string host_instance;  // empty: the hostname
  HostCollectorOptions host;
  int64_t maintain_every_ms = 60'000;  // MemoryStore::Maintain
};

// The last outcome of one target, for the API and the console's targets page.
struct TargetHealth {
  std::string job;
  std::string instance;
  std::string url;  // "builtin:/proc" for the host collector
  bool up = false;
  std::string last_error;
  int64_t last_scrape_ms = 0;
  double last_duration_s = 0;
  size_t last_samples = 0;
};

class ScrapeManager {
 public:
  ScrapeManager(MemoryStore& store, const Clock& clock, ScrapeManagerOptions options = {});
  ~ScrapeManager();  // stops
  ScrapeManager(const ScrapeManager&) = delete;
  ScrapeManager& operator=(const ScrapeManager&) = delete;

  // Targets added before Start(); a target's interval of 0 takes the default.
  void AddTarget(ScrapeTarget target, int64_t interval_ms = 0);
  void Start();
  void Stop();

  // One scrape of every target and of the host, stamped `t_ms`, on the calling thread
  // (tests, `failsafe metrics scrape-once`).
  void RunOnce(int64_t t_ms);
  // Collects the host into the store, stamped `t_ms`.
  void CollectHost(int64_t t_ms);

  std::vector<TargetHealth> Health() const;

 private:
  struct Job {
    ScrapeTarget target;
    int64_t interval_ms;
    bool host = false;
  };
  void Loop(const Job& job);
  void RunJob(const Job& job, int64_t t_ms);
  void Record(const Job& job, const ScrapeResult& r);

  MemoryStore& store_;
  const Clock& clock_;
  ScrapeManagerOptions options_;
  HostCollector collector_;
  std::mutex collector_mu_;
  std::vector<Job> jobs_;
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::map<std::string, TargetHealth> health_;  // by job + instance
};

}  // namespace failsafe::watch
