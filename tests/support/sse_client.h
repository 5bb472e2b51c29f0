#pragma once
// Reads a server-sent event stream (GET /api/v1/events) from a real failsafe server, for the
// tests of live updates: opens the stream with a bearer token and collects its text.
#include <chrono>
#include <memory>
#include <string>

namespace failsafe::testing {

class EventStreamReader {
 public:
  EventStreamReader(std::string host_port, std::string bearer, std::string last_event_id = "");
  ~EventStreamReader();

  // The answer's status (0 when it could not connect), after the header arrived.
  int status() const { return status_; }
  // Reads until the text received so far contains `needle` or `timeout` passes.
  bool WaitFor(const std::string& needle, std::chrono::milliseconds timeout);
  // Reads until the server ends the stream (true) or `timeout` passes (false).
  bool WaitForEnd(std::chrono::milliseconds timeout);
  // Everything received so far (chunk framing included).
  const std::string& text() const { return text_; }

 private:
  bool ReadSome(std::chrono::steady_clock::time_point deadline);
  struct Conn;
  std::unique_ptr<Conn> conn_;
  int status_ = 0;
  bool ended_ = false;
  std::string text_;
};

}  // namespace failsafe::testing
