#pragma once
// CurlDriver: one thread running a libcurl multi handle, so thousands of HTTP probes share one
// event loop instead of a thread each. Callers hand over a Transfer (an easy handle and the
// buffers it points into); the driver runs it and calls Finish on its own thread.
#include <curl/curl.h>

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace failsafe::watch::probes {

// One HTTP exchange. Owns its easy handle; subclasses own what the handle points at.
class Transfer {
 public:
  Transfer();
  virtual ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_; }
  // Runs on the driver thread once the transfer ended (`code` CURLE_OK or why not). The
  // driver destroys the transfer right after. Must not block: start follow-ups by Submit.
  virtual void Finish(CURLcode code) = 0;

 private:
  CURL* easy_;
};

class CurlDriver {
 public:
  // `max_in_flight` bounds open sockets; more submissions wait in a queue, in order.
  explicit CurlDriver(size_t max_in_flight = 1024);
  // Stops the thread; transfers still queued or running finish with CURLE_ABORTED_BY_CALLBACK.
  ~CurlDriver();
  CurlDriver(const CurlDriver&) = delete;
  CurlDriver& operator=(const CurlDriver&) = delete;

  // Thread-safe, including from inside Finish.
  void Submit(std::unique_ptr<Transfer> transfer);

  size_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

 private:
  void Loop();
  void StartQueued();
  void CollectDone();

  CURLM* multi_;
  size_t max_in_flight_;
  std::mutex mu_;
  std::deque<std::unique_ptr<Transfer>> queue_;  // guarded by mu_
  std::unordered_set<Transfer*> running_;        // owned; touched by the driver thread only
  std::atomic<size_t> in_flight_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace failsafe::watch::probes
