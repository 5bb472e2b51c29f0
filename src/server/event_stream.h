#pragma once
// EventStream: the body of a response that is written as it is produced (server-sent events
// for the console's live updates). A producer on any thread pushes chunks; the connection
// writes them in order and ends the response when the producer closes the stream, when the
// client goes away, or when the server stops.
//
// The queue is bounded: a client that cannot keep up is cut off rather than buffered without
// limit (an EventSource reconnects by itself and resynchronises from Last-Event-ID).
#include <deque>
#include <functional>
#include <mutex>
#include <string>

namespace failsafe::server {

class EventStream {
 public:
  explicit EventStream(size_t max_queued = 512) : max_queued_(max_queued) {}

  // Producer side. False when the stream has ended (nothing was queued); a push over the
  // queue limit ends the stream.
  bool Push(std::string chunk);
  // No more data: the connection writes what is queued, then ends the response.
  void Close();
  bool ended() const;

  // Connection side. `ready` is called (from the producer's thread, without the lock held)
  // after every Push and on Close; it must only schedule work.
  void SetReadyCallback(std::function<void()> ready);
  enum class Next { kData, kEmpty, kEnded };
  // Moves the queued chunks into `out` (concatenated).
  Next Take(std::string& out);
  // The connection is gone: later pushes fail, so the producer drops this stream.
  void Abandon();

 private:
  void NotifyReady();

  const size_t max_queued_;
  mutable std::mutex mu_;
  std::deque<std::string> queue_;
  bool closed_ = false;     // producer said no more
  bool abandoned_ = false;  // connection gone, or the client fell behind
  std::function<void()> ready_;
};

}  // namespace failsafe::server
