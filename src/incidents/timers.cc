#include "incidents/timers.h"

#include <algorithm>

#include "base/log.h"
#include "store/tx_result.h"

namespace failsafe::incidents {
namespace {

constexpr int kBatch = 200;
constexpr auto kErrorPause = std::chrono::seconds(1);

}  // namespace

Status ScheduleTimer(store::Tx& tx, int64_t incident_id, std::string_view kind, int64_t due_at,
                     int level, int round) {
  return StatusOf(
      tx.Exec("INSERT INTO incident_timers (incident_id, kind, due_at, level, round) VALUES (?, ?, "
              "?, ?, ?)",
              {incident_id, std::string(kind), due_at, int64_t{level}, int64_t{round}}));
}

Status CancelTimers(store::Tx& tx, int64_t incident_id, std::string_view kind, int64_t now_ms) {
  if (kind.empty()) {
    return StatusOf(
        tx.Exec("UPDATE incident_timers SET cancelled_at = ? WHERE incident_id = ? "
                "AND fired_at IS NULL AND cancelled_at IS NULL",
                {now_ms, incident_id}));
  }
  return StatusOf(
      tx.Exec("UPDATE incident_timers SET cancelled_at = ? WHERE incident_id = ? AND "
              "kind = ? AND fired_at IS NULL AND cancelled_at IS NULL",
              {now_ms, incident_id, std::string(kind)}));
}

Result<std::vector<Timer>> PendingTimers(store::Tx& tx, int64_t incident_id) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, incident_id, kind, due_at, level, round "
                                          "FROM incident_timers WHERE incident_id = ? AND "
                                          "fired_at IS NULL AND cancelled_at IS NULL "
                                          "ORDER BY due_at, id",
                                          {incident_id}));
  std::vector<Timer> out;
  for (const auto& r : rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3), static_cast<int>(r.Int(4)),
                   static_cast<int>(r.Int(5))});
  }
  return out;
}

TimerWorker::TimerWorker(store::Store& store, NowFn now, FireFn fire,
                         std::function<void()> after_commit, std::chrono::milliseconds max_sleep)
    : store_(store),
      now_(std::move(now)),
      fire_(std::move(fire)),
      after_commit_(std::move(after_commit)),
      max_sleep_(max_sleep) {}

TimerWorker::~TimerWorker() {
  Stop();
}

void TimerWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void TimerWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

Result<int> TimerWorker::RunDue(int64_t now_ms) {
  int total = 0;
  for (;;) {
    FS_ASSIGN_OR_RETURN(
        int fired, store::WriteResult<int>(store_, [&](store::Tx& tx) -> Result<int> {
          FS_ASSIGN_OR_RETURN(auto rows,
                              tx.Query("SELECT id, incident_id, kind, due_at, level, round FROM "
                                       "incident_timers WHERE fired_at IS NULL AND cancelled_at "
                                       "IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?",
                                       {now_ms, int64_t{kBatch}}));
          int n = 0;
          for (const auto& r : rows) {
            Timer t{r.Int(0),
                    r.Int(1),
                    r.Text(2),
                    r.Int(3),
                    static_cast<int>(r.Int(4)),
                    static_cast<int>(r.Int(5))};
            // Claim it: another server may have fired it meanwhile.
            FS_ASSIGN_OR_RETURN(int64_t claimed,
                                tx.Exec("UPDATE incident_timers SET fired_at = ? WHERE id = ? "
                                        "AND fired_at IS NULL AND cancelled_at IS NULL",
                                        {now_ms, t.id}));
            if (claimed != 1) continue;
            FS_RETURN_IF_ERROR(fire_(tx, t, now_ms));
            ++n;
          }
          return n;
        }));
    total += fired;
    if (fired > 0 && after_commit_) after_commit_();
    if (fired < kBatch) return total;
  }
}

void TimerWorker::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    const int64_t now = now_();
    auto ran = RunDue(now);
    std::chrono::milliseconds sleep = max_sleep_;
    if (!ran) {
      log::Error("incident_timers_failed", {{"error", ran.error().message()}});
      sleep = std::min<std::chrono::milliseconds>(sleep, kErrorPause);
    } else {
      auto next = store::ReadResult<std::optional<int64_t>>(
          store_, [](store::Tx& tx) -> Result<std::optional<int64_t>> {
            FS_ASSIGN_OR_RETURN(auto row,
                                tx.QueryOne("SELECT MIN(due_at) FROM incident_timers WHERE "
                                            "fired_at IS NULL AND cancelled_at IS NULL"));
            return row ? row->OptInt(0) : std::nullopt;
          });
      if (next && *next) {
        const int64_t wait = std::max<int64_t>(0, **next - now_());
        sleep = std::min<std::chrono::milliseconds>(sleep, std::chrono::milliseconds(wait));
      }
    }
    lock.lock();
    if (stop_) break;
    if (!woken_) cv_.wait_for(lock, sleep, [this] { return stop_ || woken_; });
    woken_ = false;
  }
}

}  // namespace failsafe::incidents
