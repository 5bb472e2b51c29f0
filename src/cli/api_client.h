#pragma once
// ApiClient: the CLI's way to talk to a running failsafe server over its REST API (libcurl).
// Every call returns the parsed JSON body of a 2xx answer, or a Status:
//   - the server's error shape {"error":{"code","message","field"}} becomes a Status with
//     that code, message and field;
//   - a refused connection is kUnavailable naming the server URL;
//   - no answer within the timeout is kDeadlineExceeded;
//   - a non-JSON error answer (a proxy's 502 page) is mapped from its HTTP status.
// Not thread-safe: use one client per thread.
#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::cli {

struct ApiClientOptions {
  std::string server = "http://127.0.0.1:8080";  // scheme://host[:port][/prefix]
  std::string token;                             // sent as "Authorization: Bearer <token>"
  std::string ca_file;  // PEM bundle to trust for https (a self-signed server); empty: system CAs
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(5);
};

class ApiClient {
 public:
  explicit ApiClient(ApiClientOptions options);

  // `path` starts with '/' and may carry a query ("/api/v1/audit?limit=5"). A 204 answer, or
  // any empty 2xx body, gives a JSON null.
  Result<boost::json::value> Get(std::string_view path);
  Result<boost::json::value> Post(std::string_view path, const boost::json::value& body);
  Result<boost::json::value> Patch(std::string_view path, const boost::json::value& body);
  Result<boost::json::value> Delete(std::string_view path);

  // Reads a paginated list ({"items":[...],"next_cursor":...}), following next_cursor until
  // `max_items` items are read or the last page is reached.
  Result<boost::json::array> GetItems(std::string_view path, size_t max_items = 100'000);

  // Signs in with a username and password (and a TOTP code when the account has one) through
  // POST /api/v1/auth/login. On success the client keeps the session cookie and the CSRF
  // token and sends them on every later call, so a person can act without an API token.
  Status Login(const std::string& username, const std::string& password, const std::string& totp);
  bool has_session() const { return !session_cookie_.empty(); }

  const std::string& server() const { return options_.server; }

 private:
  Result<boost::json::value> Send(const char* method, std::string_view path,
                                  const boost::json::value* body);
  ApiClientOptions options_;
  std::string session_cookie_;  // "failsafe_session=..." after Login
  std::string csrf_token_;
};

// Maps an error answer to a Status (exposed for tests). `has_token` adds a hint about
// --token to 401 answers when no token was sent.
Status StatusFromErrorReply(long http_status, std::string_view body, bool has_token);

// Percent-encodes a value for a query string or a path segment.
std::string UrlEncode(std::string_view value);

}  // namespace failsafe::cli
