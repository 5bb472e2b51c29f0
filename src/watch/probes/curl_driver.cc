#include "watch/probes/curl_driver.h"

#include <stdexcept>
#include <vector>

namespace failsafe::watch::probes {
namespace {

// curl_global_init is not thread-safe; run it once before the first handle anywhere.
void GlobalInitOnce() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  if (!done) throw std::runtime_error("curl_global_init failed");
}

}  // namespace

Transfer::Transfer() {
  GlobalInitOnce();
  easy_ = curl_easy_init();
  if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
}

Transfer::~Transfer() {
  curl_easy_cleanup(easy_);
}

CurlDriver::CurlDriver(size_t max_in_flight) : max_in_flight_(max_in_flight) {
  GlobalInitOnce();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  // Each probe is a new connection by design; a large cache would only hold closed sockets.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 16L);
  thread_ = std::thread([this] { Loop(); });
}

CurlDriver::~CurlDriver() {
  stop_ = true;
  curl_multi_wakeup(multi_);
  thread_.join();
  curl_multi_cleanup(multi_);
}

void CurlDriver::Submit(std::unique_ptr<Transfer> transfer) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(transfer));
  }
  curl_multi_wakeup(multi_);
}

void CurlDriver::StartQueued() {
  std::vector<std::unique_ptr<Transfer>> refused;  // finished outside the lock: Finish may Submit
  {
    std::lock_guard lock(mu_);
    while (!queue_.empty() && in_flight_ < max_in_flight_) {
      std::unique_ptr<Transfer> t = std::move(queue_.front());
      queue_.pop_front();
      if (curl_multi_add_handle(multi_, t->easy()) != CURLM_OK) {
        refused.push_back(std::move(t));
        continue;
      }
      running_.insert(t.release());
      ++in_flight_;
    }
  }
  for (auto& t : refused) t->Finish(CURLE_FAILED_INIT);
}

void CurlDriver::CollectDone() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;
    Transfer* t = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
    curl_multi_remove_handle(multi_, easy);
    running_.erase(t);
    --in_flight_;
    std::unique_ptr<Transfer> owned(t);
    owned->Finish(code);
  }
}

void CurlDriver::Loop() {
  while (!stop_) {
    StartQueued();
    int running = 0;
    curl_multi_perform(multi_, &running);
    CollectDone();
    if (stop_) break;
    StartQueued();
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  // Abort what is left so every Transfer is finished exactly once.
  for (Transfer* t : running_) {
    curl_multi_remove_handle(multi_, t->easy());
    std::unique_ptr<Transfer> owned(t);
    owned->Finish(CURLE_ABORTED_BY_CALLBACK);
  }
  running_.clear();
  std::deque<std::unique_ptr<Transfer>> queued;
  {
    std::lock_guard lock(mu_);
    queued.swap(queue_);
  }
  for (auto& t : queued) t->Finish(CURLE_ABORTED_BY_CALLBACK);
}

}  // namespace failsafe::watch::probes
