#pragma once
// ScriptedHttpServer: a stand-in for a misbehaving S3 server in the S3 client's tests. It
// answers each request on 127.0.0.1 with the exact bytes a function returns (status line,
// headers, body: lying Content-Lengths and bodies cut short included), then closes the
// connection. One connection at a time, on its own thread.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace failsafe::backup::testing {

class ScriptedHttpServer {
 public:
  // `respond` gets the request's head (request line and headers) and returns the raw answer.
  using Respond = std::function<std::string(const std::string& head)>;

  explicit ScriptedHttpServer(Respond respond);
  ~ScriptedHttpServer();
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  int port() const { return port_; }
  std::vector<std::string> heads() const;  // every request head received, in order

  // "HTTP/1.1 <status>" with `headers` (each "Name: value"), Connection: close and `body`.
  static std::string Answer(const std::string& status, const std::vector<std::string>& headers,
                            const std::string& body = {});

 private:
  void Serve();

  Respond respond_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace failsafe::backup::testing
