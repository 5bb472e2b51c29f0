#pragma once
// Transport-independent request and response, so handlers and the dispatcher are tested
// without sockets. The Beast server converts to and from these.
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "server/event_stream.h"

namespace failsafe::server {

// Who is calling, as established by the Authenticator.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string role;          // "admin" | "responder" | "viewer" (auth/roles.h)
  bool via_session = false;  // cookie session (console) rather than a bearer token
  int64_t token_id = 0;      // when authenticated by an API token
  int64_t session_id = 0;    // when authenticated by a session
};

struct Request {
  std::string method;                          // upper case: GET, POST, ...
  std::string target;                          // raw request-target, e.g. "/api/v1/users?limit=5"
  std::string path;                            // percent-decoded path without the query
  std::map<std::string, std::string> query;    // decoded; the last value wins on repeats
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote_addr;  // "127.0.0.1"
  bool tls = false;

  // Filled by the dispatcher.
  std::map<std::string, std::string> path_params;  // {id} -> value
  std::optional<Principal> principal;
  std::string route_pattern;  // e.g. "/api/v1/users/{id}", for logs and metrics

  std::string Header(const std::string& lower_name) const;
  std::optional<std::string> Query(const std::string& name) const;
  const std::string& Param(const std::string& name) const;  // "" when absent
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, ...)
  // Set for a streamed answer (server-sent events): `body` is ignored and the connection
  // writes the stream's chunks (chunked transfer encoding) until it ends.
  std::shared_ptr<EventStream> stream;

  static Response Json(const boost::json::value& v, int status = 200);
  // A body that is already JSON text (e.g. from json::Writer).
  static Response JsonText(std::string json, int status = 200);
  static Response NoContent();
  static Response Text(std::string body, std::string content_type = "text/plain; charset=utf-8",
                       int status = 200);
  // The one error shape: {"error": {"code", "message", "field"?}} with the mapped status.
  static Response Error(const Status& s);
  // A text/event-stream answer fed by `stream`.
  static Response EventStreamOf(std::shared_ptr<EventStream> stream);
};

// Adds the headers every answer carries (nosniff, frame denial, no referrer) and, for paths
// under /api, Cache-Control: no-store. Headers already present in `r.headers` are kept.
void ApplySecurityHeaders(Response& r, std::string_view path);

// Splits and decodes a request-target into path and query. kInvalidArgument for a target not
// starting with '/', bad percent-encoding, NUL bytes or invalid UTF-8 in the path or query
// (the error names the query parameter in `field`). Paths keep '+'; queries decode it as a
// space. Empty query keys are skipped; the last of repeated keys wins.
Status ParseTarget(std::string_view target, std::string& path,
                   std::map<std::string, std::string>& query);

}  // namespace failsafe::server
