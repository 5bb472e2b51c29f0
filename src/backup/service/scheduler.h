#pragma once
// The scheduler inside `failsafe serve`: a ticking thread decides what is due (backups, full
// runs, drills; missed runs recorded as such and caught up), a worker thread runs the queued
// jobs one after another (so a policy never runs twice at once, and two cores are not
// oversubscribed), records every result, and after each tick and job re-evaluates the alerts.
// Tests drive it without threads: Tick() and Drain() with a FakeClock.
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "auth/secret_box.h"
#include "backup/ops/progress.h"
#include "backup/service/alerts.h"
#include "backup/service/live_events.h"
#include "backup/service/runner.h"
#include "store/store.h"

namespace failsafe::backup::service {

struct SchedulerSettings {
  RunnerSettings runner;
  std::chrono::milliseconds tick{15'000};
  // A schedule time first seen later than this after it passed counts as missed.
  int64_t grace_ms = 120'000;
  // Live events for the console (progress, outcomes); none when empty. Progress of the
  // running job is sent at most once per `progress_interval`.
  LiveEventSink events;
  std::chrono::milliseconds progress_interval{500};
};

enum class JobKind { kBackup, kDrill };

struct Job {
  int64_t policy_id = 0;
  std::string policy_name;
  JobKind kind = JobKind::kBackup;
  bool full = false;
  std::string trigger = "schedule";
  int64_t scheduled_for = 0;
};

class Scheduler {
 public:
  Scheduler(store::Store& store, const auth::SecretBox& box, const Clock& clock,
            SchedulerSettings settings, AlertSink alerts);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  void Stop();  // waits for the running job to end

  // One pass over every policy: queue what is due, record missed runs, post alerts.
  Status Tick();
  // Queues a job unless the policy already has one of that kind queued or running
  // (then false). Thread-safe.
  bool Enqueue(Job job);
  // Runs the queued jobs on the calling thread until none is left (tests; no worker running).
  void Drain();
  // Blocks until the queue is empty and nothing runs (tests with the threads running).
  void WaitIdle();

  std::vector<RunningJob> Running() const;
  // Sends a progress event for the running job unless one went out less than
  // progress_interval ago (the reporter thread calls it every interval; a job's start and each
  // new destination call it too). False when nothing was sent.
  bool PublishProgress();
  std::vector<Job> Queued() const;
  // Re-evaluates and posts the alerts of every policy.
  Status PostAlerts();

 private:
  void RunJob(const Job& job);
  Status TickPolicy(const Policy& policy, int64_t now);
  bool Busy(int64_t policy_id, JobKind kind) const;  // mu_ held
  void TickLoop();
  void WorkLoop();
  void ReportLoop();
  void Publish(const char* event, const std::string& data) const;

  store::Store& store_;
  const auth::SecretBox& box_;
  const Clock& clock_;
  SchedulerSettings settings_;
  AlertSink alerts_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  std::optional<Job> current_;
  RunningJob running_;
  const Progress* progress_ = nullptr;
  bool reporting_ = false;  // running_ describes the current job
  ProgressThrottle throttle_;
  bool stop_ = false;
  std::map<std::string, BackupAlert> fired_;  // raised and not yet resolved, by Key()
  std::thread ticker_, worker_, reporter_;
};

}  // namespace failsafe::backup::service
