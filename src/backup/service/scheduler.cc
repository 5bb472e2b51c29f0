#include "backup/service/scheduler.h"

#include "backup/format/snapshot.h"
#include "backup/service/due.h"
#include "backup/service/policy_store.h"
#include "base/log.h"
#include "catalog/catalog.h"
#include "store/tx_result.h"

namespace failsafe::backup::service {
namespace {

const char* KindName(JobKind k) {
  return k == JobKind::kBackup ? "backup" : "drill";
}

std::string IsoMillis(int64_t ms) {
  return FormatTimeNs(ms * 1'000'000);
}

}  // namespace

Scheduler::Scheduler(store::Store& store, const auth::SecretBox& box, const Clock& clock,
                     SchedulerSettings settings, AlertSink alerts)
    : store_(store),
      box_(box),
      clock_(clock),
      settings_(std::move(settings)),
      alerts_(std::move(alerts)),
      throttle_(settings_.progress_interval) {
  if (settings_.runner.clock == nullptr) settings_.runner.clock = &clock_;
}

Scheduler::~Scheduler() {
  Stop();
}

void Scheduler::Start() {
  std::lock_guard lock(mu_);
  if (ticker_.joinable()) return;
  stop_ = false;
  ticker_ = std::thread([this] { TickLoop(); });
  worker_ = std::thread([this] { WorkLoop(); });
  if (settings_.events) reporter_ = std::thread([this] { ReportLoop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  if (worker_.joinable()) worker_.join();
  if (reporter_.joinable()) reporter_.join();
}

void Scheduler::TickLoop() {
  for (;;) {
    if (Status s = Tick(); !s.ok()) log::Warn("backup_tick_failed", {{"error", s.message()}});
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, settings_.tick, [this] { return stop_; })) return;
  }
}

void Scheduler::WorkLoop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = queue_.front();
      queue_.pop_front();
      current_ = job;
    }
    cv_.notify_all();  // the reporter starts sampling
    RunJob(job);
    {
      std::lock_guard lock(mu_);
      current_.reset();
    }
    cv_.notify_all();
  }
}

void Scheduler::ReportLoop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    // Sleeps while nothing runs; while a job runs, samples it as soon as the throttle lets the
    // next event go (so an event sent on a phase change does not cost the next sample a whole
    // interval), but never more often than every quarter interval.
    cv_.wait(lock, [this] { return stop_ || current_.has_value(); });
    const auto now = std::chrono::steady_clock::now();
    const auto least = std::max(settings_.progress_interval / 4, std::chrono::milliseconds(1));
    const auto due = std::max(throttle_.NextAllowed(), now + least);
    if (cv_.wait_until(lock, due, [this] { return stop_; })) return;
    lock.unlock();
    PublishProgress();
    lock.lock();
  }
}

void Scheduler::Publish(const char* event, const std::string& data) const {
  if (settings_.events) settings_.events(event, data);
}

bool Scheduler::PublishProgress() {
  if (!settings_.events) return false;
  RunningJob job;
  {
    std::lock_guard lock(mu_);
    if (!current_ || !reporting_ || !throttle_.Admit(std::chrono::steady_clock::now())) {
      return false;
    }
    job = running_;
    if (progress_ != nullptr) {
      job.has_progress = true;
      job.progress = progress_->Sample();
    }
  }
  // Outside the lock: the sink writes to every listening console.
  Publish(kProgressEvent, ProgressEventData(job));
  return true;
}

void Scheduler::Drain() {
  for (;;) {
    Job job;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) return;
      job = queue_.front();
      queue_.pop_front();
      current_ = job;
    }
    RunJob(job);
    std::lock_guard lock(mu_);
    current_.reset();
  }
}

void Scheduler::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return stop_ || (queue_.empty() && !current_); });
}

bool Scheduler::Busy(int64_t policy_id, JobKind kind) const {
  if (current_ && current_->policy_id == policy_id && current_->kind == kind) return true;
  for (const Job& j : queue_) {
    if (j.policy_id == policy_id && j.kind == kind) return true;
  }
  return false;
}

bool Scheduler::Enqueue(Job job) {
  {
    std::lock_guard lock(mu_);
    if (Busy(job.policy_id, job.kind)) {
      // A queued (not yet running) backup becomes a full one when a full run is asked for.
      for (Job& j : queue_) {
        if (j.policy_id == job.policy_id && j.kind == job.kind) j.full = j.full || job.full;
      }
      return false;
    }
    queue_.push_back(std::move(job));
  }
  cv_.notify_all();
  return true;
}

std::vector<RunningJob> Scheduler::Running() const {
  std::lock_guard lock(mu_);
  if (!current_) return {};
  RunningJob r = running_;
  if (progress_ != nullptr) {
    r.has_progress = true;
    r.progress = progress_->Sample();
  }
  return {r};
}

std::vector<Job> Scheduler::Queued() const {
  std::lock_guard lock(mu_);
  return {queue_.begin(), queue_.end()};
}

void Scheduler::RunJob(const Job& job) {
  auto loaded = store::ReadResult<std::pair<std::optional<Policy>, int64_t>>(
      store_, [&](store::Tx& tx) -> Result<std::pair<std::optional<Policy>, int64_t>> {
        FS_ASSIGN_OR_RETURN(auto p, FindPolicyById(tx, box_, job.policy_id));
        int64_t rto = 0;
        if (p) {
          FS_ASSIGN_OR_RETURN(auto svc, catalog::FindServiceByKey(tx, p->service));
          if (svc) rto = svc->rto_ms;
        }
        return std::pair{std::move(p), rto};
      });
  if (!loaded || !loaded->first) {
    log::Warn("backup_job_skipped",
              {{"policy", job.policy_name},
               {"error", loaded ? "the policy is gone" : loaded.error().message()}});
    return;
  }
  const Policy& policy = *loaded->first;
  const bool backup = job.kind == JobKind::kBackup;
  {
    std::lock_guard lock(mu_);
    running_ = RunningJob{};
    running_.policy = policy.name;
    running_.service = policy.service;
    running_.kind = KindName(job.kind);
    running_.phase = backup ? "staging" : "opening";
    running_.destinations = static_cast<int>(policy.destinations.size());
    running_.trigger = job.trigger;
    running_.started_at = clock_.NowMillis();
    progress_ = nullptr;
    reporting_ = true;
    throttle_.NewJob();
  }
  PublishProgress();  // the first of a job always goes out: consoles see it start
  ProgressHook hook = [this, backup, &policy](const std::string& destination, const Progress* p) {
    {
      std::lock_guard lock(mu_);
      running_.destination = destination;
      for (size_t i = 0; i < policy.destinations.size(); ++i) {
        if (policy.destinations[i].url == destination) running_.destination_index = int(i) + 1;
      }
      running_.phase = p == nullptr ? "finishing" : backup ? "saving" : "restoring";
      progress_ = p;
    }
    PublishProgress();  // a new phase, unless the last event was too recent
  };
  log::Info("backup_job_started",
            {{"policy", policy.name}, {"kind", KindName(job.kind)}, {"trigger", job.trigger}});
  Status stored;
  std::pair<const char*, std::string> finished;
  if (backup) {
    const int64_t scheduled = job.scheduled_for ? job.scheduled_for : clock_.NowMillis();
    auto runs = RunPolicyBackup(policy, settings_.runner, job.full, job.trigger, scheduled, hook);
    stored = store_.Write([&](store::Tx& tx) -> Status {
      for (auto& r : runs) {
        FS_ASSIGN_OR_RETURN_STATUS(r.id, InsertRun(tx, r));
      }
      return Status::Ok();
    });
    finished = {kRunFinishedEvent, RunFinishedEventData(policy.name, policy.service, runs)};
    for (const auto& r : runs) {
      log::Info("backup_run_finished", {{"policy", r.policy_name},
                                        {"destination", r.destination},
                                        {"status", r.status},
                                        {"snapshot", r.snapshot_id}});
    }
  } else {
    DrillRecord d = RunPolicyDrill(policy, settings_.runner, loaded->second, job.trigger, hook);
    auto id =
        store::WriteResult<int64_t>(store_, [&](store::Tx& tx) { return InsertDrill(tx, d); });
    if (id) d.id = *id;
    stored = StatusOf(id);
    finished = {kDrillFinishedEvent, DrillFinishedEventData(d)};
    log::Info("backup_drill_finished",
              {{"policy", d.policy_name}, {"status", d.status}, {"detail", d.detail}});
  }
  if (!stored.ok()) log::Error("backup_record_failed", {{"error", stored.message()}});
  {
    std::lock_guard lock(mu_);
    progress_ = nullptr;
    reporting_ = false;
  }
  // After the records are stored: a console refetching on this event sees the new run.
  Publish(finished.first, finished.second);
  if (Status s = PostAlerts(); !s.ok()) log::Warn("backup_alerts_failed", {{"error", s.message()}});
}

Status Scheduler::TickPolicy(const Policy& p, int64_t now) {
  struct Plan {
    const char* kind;
    const std::string* cron;
  };
  for (const Plan plan : {Plan{"backup", &p.schedule}, Plan{"full", &p.full_schedule},
                          Plan{"drill", &p.drill_schedule}}) {
    if (plan.cron->empty()) continue;
    auto schedule = CronSchedule::Parse(*plan.cron, p.time_zone);
    if (!schedule) continue;  // validated on apply; a zone that vanished is not ours to fix
    FS_ASSIGN_OR_RETURN_STATUS(
        auto last, store::ReadResult<std::optional<int64_t>>(
                       store_, [&](store::Tx& tx) { return LastDue(tx, p.id, plan.kind); }));
    if (!p.enabled) {
      // A disabled policy starts afresh when enabled again: nothing counts as missed.
      FS_RETURN_STATUS_IF_ERROR(
          store_.Write([&](store::Tx& tx) { return SetLastDue(tx, p.id, plan.kind, now); }));
      continue;
    }
    const DueCheck due = CheckDue(*schedule, last, p.updated_at, now, settings_.grace_ms);
    if (!last && !due.due) {
      FS_RETURN_STATUS_IF_ERROR(store_.Write(
          [&](store::Tx& tx) { return SetLastDue(tx, p.id, plan.kind, p.updated_at); }));
    }
    if (!due.due) continue;
    const bool is_drill = std::string_view(plan.kind) == "drill";
    const Status written = store_.Write([&](store::Tx& tx) -> Status {
      FS_RETURN_STATUS_IF_ERROR(SetLastDue(tx, p.id, plan.kind, due.due_at));
      if (!due.missed || is_drill) return Status::Ok();
      for (const auto& d : p.destinations) {
        RunRecord r;
        r.policy_id = p.id;
        r.policy_name = p.name;
        r.service_key = p.service;
        r.destination = d.url;
        r.trigger = "schedule";
        r.full = std::string_view(plan.kind) == "full";
        r.scheduled_for = due.first_missed;
        r.started_at = now;
        r.error_count = due.missed_count;
        r.errors = std::to_string(due.missed_count) + " scheduled run(s) from " +
                   IsoMillis(due.first_missed) +
                   " did not happen (the server was down or busy); a catch-up run follows";
        r.status = kRunMissed;
        FS_RETURN_STATUS_IF_ERROR(StatusOf(InsertRun(tx, r)));
      }
      return Status::Ok();
    });
    if (!written.ok()) return written;
    if (due.missed && !is_drill) {
      log::Warn("backup_run_missed", {{"policy", p.name},
                                      {"scheduled_for", IsoMillis(due.first_missed)},
                                      {"count", due.missed_count}});
    }
    Job job;
    job.policy_id = p.id;
    job.policy_name = p.name;
    job.kind = is_drill ? JobKind::kDrill : JobKind::kBackup;
    job.full = std::string_view(plan.kind) == "full";
    job.trigger = due.missed ? "catch-up" : "schedule";
    job.scheduled_for = due.due_at;
    if (!Enqueue(job)) {
      log::Info("backup_run_skipped",
                {{"policy", p.name}, {"kind", plan.kind}, {"reason", "still running or queued"}});
    }
  }
  return Status::Ok();
}

Status Scheduler::Tick() {
  FS_ASSIGN_OR_RETURN_STATUS(auto policies,
                             store::ReadResult<std::vector<Policy>>(
                                 store_, [&](store::Tx& tx) { return ListPolicies(tx, box_); }));
  const int64_t now = clock_.NowMillis();
  for (const auto& p : policies) FS_RETURN_STATUS_IF_ERROR(TickPolicy(p, now));
  return PostAlerts();
}

Status Scheduler::PostAlerts() {
  if (!alerts_) return Status::Ok();
  FS_ASSIGN_OR_RETURN_STATUS(
      auto all, store::ReadResult<std::vector<BackupAlert>>(
                    store_, [&](store::Tx& tx) -> Result<std::vector<BackupAlert>> {
                      FS_ASSIGN_OR_RETURN(auto policies, ListPolicies(tx, box_));
                      std::vector<BackupAlert> out;
                      for (const auto& p : policies) {
                        if (!p.enabled) continue;
                        FS_ASSIGN_OR_RETURN(auto runs, LatestRunPerDestination(tx, p.id));
                        FS_ASSIGN_OR_RETURN(auto drill, LastDrill(tx, p.id));
                        FS_ASSIGN_OR_RETURN(auto svc, catalog::FindServiceByKey(tx, p.service));
                        for (auto& a : PolicyAlerts(p, svc ? svc->tier : "", runs, drill)) {
                          out.push_back(std::move(a));
                        }
                      }
                      return out;
                    }));
  std::vector<BackupAlert> post;
  {
    std::lock_guard lock(mu_);
    std::map<std::string, BackupAlert> still;
    for (auto& a : all) {
      const std::string key = a.Key();
      if (a.firing) {
        still[key] = a;
        post.push_back(std::move(a));
      } else if (fired_.contains(key)) {
        post.push_back(std::move(a));
      }
      fired_.erase(key);
    }
    // What fired before but is no longer evaluated (the policy was disabled or deleted) is
    // over too.
    for (auto& [key, a] : fired_) {
      a.firing = false;
      post.push_back(std::move(a));
    }
    fired_ = std::move(still);
  }
  if (!post.empty()) alerts_(std::move(post));
  return Status::Ok();
}

}  // namespace failsafe::backup::service
