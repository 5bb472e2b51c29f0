#pragma once
// HttpServer: Boost.Beast HTTP/1.1 server (optionally TLS) in front of a Dispatcher.
// Keep-alive, a body limit, header and idle timeouts (kept to within a tenth of the shorter
// one, at most 1 s late), and graceful shutdown: Stop() stops
// accepting, lets in-flight requests finish (up to a grace period) and then returns.
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "server/dispatcher.h"

namespace failsafe::server {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port
  std::string tls_cert_file;              // PEM; TLS is on when both files are set
  std::string tls_key_file;
  size_t body_limit_bytes = 1 << 20;  // larger bodies get 413
  int header_timeout_ms = 10'000;     // time to receive a complete header
  int idle_timeout_ms = 60'000;       // keep-alive connection idle time
  int threads = 0;                    // 0: one per core (at least 2)
  int shutdown_grace_ms = 10'000;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Dispatcher& dispatcher);
  ~HttpServer();

  // Binds and starts serving on background threads. Fails with kUnavailable when the address
  // cannot be bound, kInvalidArgument for a malformed address or unreadable TLS files.
  Status Start();
  // The bound address "HOST:PORT" (after Start), with the real port when 0 was asked.
  std::string BoundAddress() const;
  // Graceful stop; idempotent; safe from any thread except the server's own.
  void Stop();
  // Blocks until Stop() has completed.
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace failsafe::server
