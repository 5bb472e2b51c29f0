#pragma once
// The outbox worker: one thread that sleeps until the next due row (or a Wake()), claims due
// rows, sends them (one task per channel, so a hanging robot does not hold up the others),
// records each outcome with the delivery listener in the same transaction, retries failures
// with exponential backoff and jitter, and keeps each channel under its rate limit by folding
// a storm into one digest message.
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "auth/module_services.h"
#include "notify/channel.h"
#include "notify/notify_module.h"
#include "notify/outbox_store.h"
#include "notify/rate_limiter.h"

namespace failsafe::notify {

class OutboxWorker {
 public:
  // `listener` is read when rows are recorded: set it before Start(); it must outlive this.
  OutboxWorker(const auth::ModuleServices& services, NotifySettings settings,
               const DeliveryListener& listener);
  ~OutboxWorker();  // Stop()

  void Start();
  void Stop();  // joins; safe to call twice
  void Wake();

  // Sends `out` to `channel` now (the "test message"), respecting its rate limit.
  SendResult SendNow(const Channel& channel, const Outgoing& out);
  // Processes what is due at `now_ms` once: one task per channel with due rows (a channel
  // whose previous task still runs, e.g. a hanging robot, is skipped). With `wait`, waits for
  // the tasks (tests); the worker thread does not, and is woken when a task ends. Returns when
  // to look again (nullopt: nothing is waiting).
  std::optional<int64_t> RunOnce(int64_t now_ms, bool wait = true);

 private:
  void Run();
  void ProcessChannel(int64_t channel_id, const std::vector<OutboxRow>& rows, int64_t now_ms);
  void SendRow(const SendTarget& target, OutboxRow row);
  RateLimiter& LimiterFor(const Channel& channel, int64_t now_ms);
  int64_t RetryAt(int attempt, int64_t now_ms);

  const auth::ModuleServices& services_;
  const NotifySettings settings_;
  const DeliveryListener& listener_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, woken_ = false, started_ = false;
  std::thread thread_;

  metrics::Family<metrics::Counter>& sends_;  // failsafe_notify_sends_total{type,outcome}

  // Channel id -> its running task. Used only by the thread calling RunOnce.
  struct Lane {
    std::future<void> task;
    std::shared_ptr<std::atomic<bool>> done;  // set by the task before it wakes the worker
  };
  std::map<int64_t, Lane> lanes_;

  std::mutex limiters_mu_;
  std::map<int64_t, std::unique_ptr<RateLimiter>> limiters_;
};

}  // namespace failsafe::notify
