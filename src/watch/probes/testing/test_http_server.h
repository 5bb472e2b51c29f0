#pragma once
// A small HTTP/1.1 server on 127.0.0.1 (or ::1) for probe tests and the probe benchmark:
// Boost.Beast on its own threads, optional TLS, one request per connection (probes never
// reuse connections), answers from a handler function.
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace failsafe::watch::probes::testing {

struct TestRequest {
  std::string method;
  std::string target;                          // path and query
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct TestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait before answering
};

using TestHandler = std::function<TestResponse(const TestRequest&)>;

class TestHttpServer {
 public:
  // Listens on an ephemeral port. `tls` (when set) makes it HTTPS. The handler runs on one of
  // `threads` server threads. Throws when it cannot listen.
  explicit TestHttpServer(TestHandler handler, std::shared_ptr<boost::asio::ssl::context> tls = {},
                          int threads = 1, bool ipv6 = false);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  uint16_t port() const;
  // "http(s)://127.0.0.1:PORT" + path.
  std::string Url(const std::string& path) const;
  uint64_t requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A TLS server context holding `cert_pem` and `key_pem`.
std::shared_ptr<boost::asio::ssl::context> MakeServerTls(const std::string& cert_pem,
                                                         const std::string& key_pem);

}  // namespace failsafe::watch::probes::testing
