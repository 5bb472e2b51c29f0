#pragma once
// S3Client: signed HTTP requests to one bucket of an S3-compatible server, path-style
// (http(s)://host:port/bucket/key), over libcurl. Keeps a few easy handles so connections are
// reused; thread-safe (each request takes its own handle).
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/backend/sigv4.h"

namespace failsafe::backup::s3 {

struct Endpoint {
  std::string host;  // without brackets
  int port = 0;      // 0: 80 or 443
  bool https = true;
  std::string bucket;
  std::string region = "us-east-1";
  std::string ca_file;
  long connect_timeout_seconds = 30;
  long request_timeout_seconds = 600;

  std::string HostHeader() const;  // "host" or "host:port", IPv6 in brackets
};

// A header value that is a byte count ("1012"): digits only, at most 19 of them.
std::optional<uint64_t> ParseLength(std::string_view value);

// A 206 answer's Content-Range: "bytes 5-14/300000", or "bytes 5-14/*" when the server does
// not say the object's size. nullopt for anything else (other units, last < first, a total
// that does not cover last).
struct ContentRange {
  uint64_t first = 0;
  uint64_t last = 0;
  std::optional<uint64_t> total;
};
std::optional<ContentRange> ParseContentRange(std::string_view value);

struct Answer {
  // 0: no usable HTTP answer (see transport_error), which includes a body whose size is not
  // what its Content-Length announced: S3 itself never sends one, so it is a transfer failure
  // worth retrying, never a success.
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string transport_error;
  bool tls_untrusted = false;  // the server's certificate failed verification
  bool too_large = false;      // the body passed max_body and the transfer was stopped
};

class Client {
 public:
  Client(Endpoint endpoint, sigv4::Credentials credentials, std::string session_token);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `key` "" addresses the bucket itself. `extra_headers` are sent and signed. An answer body
  // longer than `max_body` stops the transfer (too_large): a broken or hostile server cannot
  // make us hold more than asked for.
  Answer Send(std::string_view method, const std::string& key, const sigv4::Pairs& query,
              std::string_view body = {}, const sigv4::Pairs& extra_headers = {},
              uint64_t max_body = kDefaultMaxBody);

  static constexpr uint64_t kDefaultMaxBody = 64u << 20;  // listings and error bodies

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  void* TakeHandle();
  void ReturnHandle(void* handle);

  Endpoint endpoint_;
  sigv4::Credentials credentials_;
  std::string session_token_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL*
};

}  // namespace failsafe::backup::s3
