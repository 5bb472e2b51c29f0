#include "server/event_stream.h"

namespace failsafe::server {

bool EventStream::Push(std::string chunk) {
  {
    std::lock_guard lock(mu_);
    if (closed_ || abandoned_) return false;
    if (queue_.size() >= max_queued_) {
      abandoned_ = true;  // too far behind: end it; the client reconnects and catches up
      queue_.clear();
    } else {
      queue_.push_back(std::move(chunk));
    }
  }
  NotifyReady();
  return !ended();
}

void EventStream::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  NotifyReady();
}

bool EventStream::ended() const {
  std::lock_guard lock(mu_);
  return closed_ || abandoned_;
}

void EventStream::SetReadyCallback(std::function<void()> ready) {
  {
    std::lock_guard lock(mu_);
    ready_ = std::move(ready);
  }
  NotifyReady();  // chunks pushed before the connection was ready
}

EventStream::Next EventStream::Take(std::string& out) {
  std::lock_guard lock(mu_);
  if (abandoned_) return Next::kEnded;
  if (queue_.empty()) return closed_ ? Next::kEnded : Next::kEmpty;
  out.clear();
  for (auto& chunk : queue_) out += chunk;
  queue_.clear();
  return Next::kData;
}

void EventStream::Abandon() {
  std::function<void()> ready;
  {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    queue_.clear();
    ready = std::move(ready_);  // drop the connection's callback (and what it keeps alive)
    ready_ = nullptr;
  }
}

void EventStream::NotifyReady() {
  std::function<void()> ready;
  {
    std::lock_guard lock(mu_);
    ready = ready_;
  }
  if (ready) ready();
}

}  // namespace failsafe::server
