// Scheduling scrapes and the host collector (scrape_manager.h).
#include "watch/metrics/scrape_manager.h"

#include <unistd.h>

#include <chrono>

namespace failsafe::watch {
namespace {

std::string Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

}  // namespace

ScrapeManager::ScrapeManager(MemoryStore& store, const Clock& clock, ScrapeManagerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)), collector_(options_.host) {
  if (options_.host_instance.empty()) options_.host_instance = Hostname();
  if (options_.host_collector) {
    Job host;
    host.target.job = options_.host_job;
    host.target.instance = options_.host_instance;
    host.target.url = "builtin:" + options_.host.proc_root;
    host.interval_ms = options_.interval_ms;
    host.host = true;
    jobs_.push_back(std::move(host));
  }
}

ScrapeManager::~ScrapeManager() {
  Stop();
}

void ScrapeManager::AddTarget(ScrapeTarget target, int64_t interval_ms) {
  if (target.instance.empty()) target.instance = InstanceFromUrl(target.url);
  jobs_.push_back({std::move(target), interval_ms > 0 ? interval_ms : options_.interval_ms});
}

void ScrapeManager::Start() {
  for (const Job& job : jobs_) threads_.emplace_back([this, &job] { Loop(job); });
  if (options_.maintain_every_ms > 0) {
    threads_.emplace_back([this] {
      std::unique_lock lock(mu_);
      while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(options_.maintain_every_ms),
                                [this] { return stopping_; })) {
        lock.unlock();
        store_.Maintain(clock_.NowMillis());
        lock.lock();
      }
    });
  }
}

void ScrapeManager::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void ScrapeManager::Loop(const Job& job) {
  // A stable offset within the interval from the target's identity spreads the targets.
  const Labels identity =
      MakeLabels({{"job", job.target.job}, {"instance", job.target.instance}}).value_or(Labels{});
  const int64_t offset = static_cast<int64_t>(Fingerprint(identity) % job.interval_ms);
  int64_t now = clock_.NowMillis();
  int64_t next = now - now % job.interval_ms + offset;
  if (next < now) next += job.interval_ms;
  std::unique_lock lock(mu_);
  while (true) {
    const auto wait = std::chrono::milliseconds(next - clock_.NowMillis());
    if (stop_cv_.wait_for(lock, wait, [this] { return stopping_; })) return;
    lock.unlock();
    RunJob(job, next);
    lock.lock();
    // A scrape that overran skips the ticks it missed rather than bunching up.
    now = clock_.NowMillis();
    do next += job.interval_ms;
    while (next <= now);
  }
}

void ScrapeManager::RunJob(const Job& job, int64_t t_ms) {
  if (!job.host) {
    Record(job, ScrapeOnce(job.target, store_, t_ms));
    return;
  }
  CollectHost(t_ms);
}

void ScrapeManager::CollectHost(int64_t t_ms) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<ParsedSample> samples;
  std::vector<std::string> errors;
  {
    std::lock_guard lock(collector_mu_);
    samples = collector_.Collect();
    errors = collector_.errors();
  }
  const Labels target =
      MakeLabels({{"job", options_.host_job}, {"instance", options_.host_instance}})
          .value_or(Labels{});
  ScrapeResult r;
  r.t_ms = t_ms;
  r.up = true;
  r.samples_scraped = samples.size();
  r.samples_stored = WriteWithTargetLabels(store_, samples, target, t_ms);
  for (const std::string& e : errors) r.error += (r.error.empty() ? "" : "; ") + e;
  r.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WriteScrapeSeries(store_, target, r);
  for (const Job& job : jobs_) {
    if (job.host) Record(job, r);
  }
}

void ScrapeManager::RunOnce(int64_t t_ms) {
  for (const Job& job : jobs_) RunJob(job, t_ms);
}

void ScrapeManager::Record(const Job& job, const ScrapeResult& r) {
  std::lock_guard lock(mu_);
  TargetHealth& h = health_[job.target.job + "\n" + job.target.instance];
  h.job = job.target.job;
  h.instance = job.target.instance;
  h.url = job.target.url;
  h.up = r.up;
  h.last_error = r.error;
  h.last_scrape_ms = r.t_ms;
  h.last_duration_s = r.duration_s;
  h.last_samples = r.samples_stored;
}

std::vector<TargetHealth> ScrapeManager::Health() const {
  std::lock_guard lock(mu_);
  std::vector<TargetHealth> out;
  for (const auto& [key, h] : health_) out.push_back(h);
  return out;
}

}  // namespace failsafe::watch
