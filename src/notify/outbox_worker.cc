#include "notify/outbox_worker.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <random>

#include "base/log.h"
#include "store/tx_result.h"

namespace failsafe::notify {
namespace {

constexpr int kBatch = 500;
// A storm gathers for this long (since its newest row) before the last send of a window
// folds it into one digest, so the digest lists the whole storm rather than its first rows.
constexpr int64_t kGatherMs = 1000;
// Poll at least this often even without a Wake(): another instance (PostgreSQL) may enqueue.
constexpr int64_t kMaxSleepMs = 5000;

double Jitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.5, 1.0)(rng);
}

}  // namespace

OutboxWorker::OutboxWorker(const auth::ModuleServices& services, NotifySettings settings,
                           const DeliveryListener& listener)
    : services_(services),
      settings_(settings),
      listener_(listener),
      sends_(services.metrics.AddCounter("failsafe_notify_sends_total",
                                         "Notification send attempts by channel type and outcome",
                                         {"type", "outcome"})) {}

OutboxWorker::~OutboxWorker() {
  Stop();
  for (auto& [id, lane] : lanes_) lane.task.get();  // RunOnce(now, false) without Start (tests)
}

void OutboxWorker::Start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  stop_ = false;
  // SQLite belongs to this one process: a row left "sending" was interrupted (kill -9 between
  // send and record) and is due again now, with the same key. On PostgreSQL another instance
  // may be sending it, so its lease has to run out first.
  if (services_.store.engine() == store::Engine::kSqlite) {
    const int64_t now = services_.clock.NowMillis();
    Status st =
        services_.store.Write([&](store::Tx& tx) { return ReleaseInterruptedSends(tx, now); });
    if (!st.ok()) log::Warn("notify_release_failed", {{"error", st.message()}});
  }
  thread_ = std::thread([this] { Run(); });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& [id, lane] : lanes_) lane.task.get();  // sends in flight finish (bounded by timeout)
  lanes_.clear();
  std::lock_guard lock(mu_);
  started_ = false;
}

void OutboxWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void OutboxWorker::Run() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      woken_ = false;
    }
    const int64_t now = services_.clock.NowMillis();
    std::optional<int64_t> next = RunOnce(now, /*wait=*/false);
    const int64_t after = services_.clock.NowMillis();
    int64_t sleep_ms = kMaxSleepMs;
    if (next) sleep_ms = std::clamp<int64_t>(*next - after, 0, kMaxSleepMs);
    std::unique_lock lock(mu_);
    if (sleep_ms > 0) {
      cv_.wait_for(lock, std::chrono::milliseconds(sleep_ms), [this] { return stop_ || woken_; });
    }
  }
}

int64_t OutboxWorker::RetryAt(int attempt, int64_t now_ms) {
  const double initial = static_cast<double>(settings_.retry_initial.count());
  const double cap = static_cast<double>(settings_.retry_max.count());
  const double base = std::min(cap, initial * std::pow(2.0, std::max(0, attempt - 1)));
  return now_ms + std::max<int64_t>(1, static_cast<int64_t>(base * Jitter()));
}

RateLimiter& OutboxWorker::LimiterFor(const Channel& channel, int64_t now_ms) {
  std::lock_guard lock(limiters_mu_);
  auto& slot = limiters_[channel.id];
  if (!slot) {
    slot = std::make_unique<RateLimiter>();
    // Seed with what was sent in the last minute (before a restart, say).
    auto sends = store::ReadResult<std::vector<int64_t>>(services_.store, [&](store::Tx& tx) {
      return RecentSends(tx, channel.id, now_ms - 60000);
    });
    if (sends) {
      for (int64_t t : *sends) slot->Record(t);
    }
  }
  slot->Configure(channel.rate_per_second, channel.rate_per_minute);
  return *slot;
}

std::optional<int64_t> OutboxWorker::RunOnce(int64_t now_ms, bool wait) {
  for (auto it = lanes_.begin(); it != lanes_.end();) {
    // `done`, not the future's state: the task wakes us before its future becomes ready, and
    // a lane that still looked busy then would wait for the next poll (seconds) to be seen.
    if (it->second.done->load()) {
      it->second.task.get();  // returns at once: the task is past its work
      it = lanes_.erase(it);
    } else {
      ++it;
    }
  }
  auto due = store::ReadResult<std::vector<OutboxRow>>(
      services_.store, [&](store::Tx& tx) { return DueRows(tx, now_ms, kBatch); });
  if (!due) {
    log::Warn("notify_due_rows_failed", {{"error", due.error().message()}});
    return now_ms + 1000;
  }
  std::map<int64_t, std::vector<OutboxRow>> by_channel;
  for (auto& r : *due) {
    if (lanes_.count(r.channel_id) == 0) by_channel[r.channel_id].push_back(std::move(r));
  }
  for (auto& [channel_id, rows] : by_channel) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    lanes_[channel_id] =
        Lane{std::async(std::launch::async,
                        [this, id = channel_id, rows = std::move(rows), now_ms, done] {
                          ProcessChannel(id, rows, now_ms);
                          done->store(true);
                          Wake();  // the worker looks again: this channel may have more, or be free
                        }),
             done};
  }
  if (wait) {
    for (auto& [id, lane] : lanes_) lane.task.get();
    lanes_.clear();
  }
  auto next = store::ReadResult<std::optional<int64_t>>(
      services_.store, [&](store::Tx& tx) { return NextDueAt(tx); });
  if (!next) return now_ms + 1000;
  // Rows still due belong to channels whose task is running: its end wakes the worker.
  if (*next && **next <= now_ms && !lanes_.empty()) return now_ms + kMaxSleepMs;
  return *next;
}

void OutboxWorker::ProcessChannel(int64_t channel_id, const std::vector<OutboxRow>& rows,
                                  int64_t now_ms) {
  auto loaded = store::ReadResult<std::optional<Channel>>(
      services_.store, [&](store::Tx& tx) { return LoadChannel(tx, channel_id); });
  if (!loaded) return;
  if (!*loaded || !(*loaded)->enabled) {
    const std::string why = !*loaded ? "channel deleted" : "channel disabled";
    Status st = services_.store.Write(
        [&](store::Tx& tx) { return FailWaitingRows(tx, rows, why, now_ms, listener_); });
    if (!st.ok()) log::Warn("notify_fail_rows_failed", {{"error", st.message()}});
    return;
  }
  const Channel& channel = **loaded;
  auto target = OpenTarget(channel, services_.secrets);
  if (!target) {
    Status st = services_.store.Write([&](store::Tx& tx) {
      return FailWaitingRows(tx, rows, "cannot open the channel's sealed URL (key changed?)",
                             now_ms, listener_);
    });
    if (!st.ok()) log::Warn("notify_fail_rows_failed", {{"error", st.message()}});
    return;
  }
  RateLimiter& limiter = LimiterFor(channel, now_ms);
  const int avail = limiter.Available(now_ms);
  const size_t n = rows.size();
  if (avail == RateLimiter::kUnlimited || n + 1 <= static_cast<size_t>(avail)) {
    for (const auto& r : rows) SendRow(*target, r);
    return;
  }
  if (avail == 0) {
    const int64_t free_at = limiter.NextFreeAt(now_ms);
    Status st =
        services_.store.Write([&](store::Tx& tx) { return Postpone(tx, channel_id, free_at); });
    if (!st.ok()) log::Warn("notify_postpone_failed", {{"error", st.message()}});
    return;
  }
  // Send all but the last allowed message individually; the last one carries the rest.
  const size_t single = static_cast<size_t>(avail - 1);
  for (size_t k = 0; k < single; ++k) SendRow(*target, rows[k]);
  std::vector<OutboxRow> rest(rows.begin() + static_cast<std::ptrdiff_t>(single), rows.end());
  int64_t newest = 0;
  for (const auto& r : rest) newest = std::max(newest, r.created_at);
  if (limiter.Busy(now_ms) && newest + kGatherMs > now_ms) {
    // The storm may still be arriving: gather it before spending the window's last message.
    const int64_t at = newest + kGatherMs;
    Status st = services_.store.Write([&](store::Tx& tx) { return Postpone(tx, channel_id, at); });
    if (!st.ok()) log::Warn("notify_postpone_failed", {{"error", st.message()}});
    return;
  }
  if (rest.size() == 1) {
    SendRow(*target, rest[0]);
    return;
  }
  // Rows being re-sent after a crash (state sending) are not folded: they may have arrived.
  std::vector<OutboxRow> foldable, resend;
  for (auto& r : rest) (r.state == "pending" ? foldable : resend).push_back(r);
  for (const auto& r : resend) SendRow(*target, r);
  if (foldable.size() == 1) {
    SendRow(*target, foldable[0]);
    return;
  }
  auto digest = store::WriteResult<OutboxRow>(services_.store, [&](store::Tx& tx) {
    return FoldIntoDigest(tx, foldable, now_ms, listener_);
  });
  if (!digest) {
    log::Warn("notify_fold_failed", {{"error", digest.error().message()}});
    return;
  }
  SendRow(*target, *digest);
}

void OutboxWorker::SendRow(const SendTarget& target, OutboxRow row) {
  const int64_t now = services_.clock.NowMillis();
  // The lease outlives the send's timeout, so only a dead sender's rows are taken over.
  const int64_t lease = now + settings_.send_timeout.count() * 2 + 5000;
  auto claimed = store::WriteResult<bool>(
      services_.store, [&](store::Tx& tx) { return Claim(tx, row, now, lease); });
  if (!claimed || !*claimed) return;
  Outgoing out;
  out.message = row.message;
  out.idempotency_key = row.idempotency_key + ":" + std::to_string(row.channel_id);
  out.kind = row.kind;
  out.incident_id = row.incident_id;
  out.email_to = row.email_to;
  {
    std::lock_guard lock(limiters_mu_);
    auto it = limiters_.find(row.channel_id);
    if (it != limiters_.end()) it->second->Record(now);
  }
  SendResult result = Send(target, out, now, settings_.send_timeout);
  sends_.With({target.type, result.ok ? "delivered" : "failed"}).Inc();
  const int64_t done = services_.clock.NowMillis();
  const int attempt = row.attempts + 1;
  Status st = services_.store.Write([&](store::Tx& tx) {
    return RecordOutcome(tx, row, result.ok, result.error, settings_.max_attempts, done,
                         RetryAt(attempt, done), listener_);
  });
  if (!st.ok()) {
    log::Warn("notify_record_failed", {{"notification", row.id}, {"error", st.message()}});
  }
  if (!result.ok) {
    log::Info("notify_send_failed", {{"notification", row.id},
                                     {"channel", row.channel_name},
                                     {"attempt", attempt},
                                     {"error", result.error}});
  }
}

SendResult OutboxWorker::SendNow(const Channel& channel, const Outgoing& out) {
  const int64_t now = services_.clock.NowMillis();
  auto target = OpenTarget(channel, services_.secrets);
  if (!target) return {false, "cannot open the channel's sealed URL: " + target.error().message()};
  RateLimiter& limiter = LimiterFor(channel, now);
  if (limiter.Available(now) < 1) {
    const int64_t wait = limiter.NextFreeAt(now) - now;
    return {false, "rate limited: the channel's limit is reached; try again in " +
                       std::to_string((wait + 999) / 1000) + " s"};
  }
  limiter.Record(now);
  return Send(*target, out, now, settings_.send_timeout);
}

}  // namespace failsafe::notify
