#pragma once
// Dispatcher: turns a Request into a Response. For each request it finds the route (404/405),
// authenticates (401 on bad credentials, or on a non-public route without any), checks CSRF on
// session writes (403), checks the route's permission for the caller's role (403), runs the
// handler, maps a failed Status to the error shape, catches exceptions (500, logged, no details
// to the client), records metrics and writes one structured log line. Thread-safe.
//
// Details every caller can rely on:
// - HEAD is answered by the GET route when no HEAD route exists (the server drops the body).
// - On a public route, credentials that fail to authenticate are ignored (the request runs
//   anonymously): a stale session cookie must never block /login or /healthz.
// - A route with doc.request_schema and a non-empty body needs Content-Type application/json
//   (415 otherwise); checked after authorisation so anonymous callers learn nothing.
// - Every response carries X-Content-Type-Options, X-Frame-Options and Referrer-Policy, and
//   Cache-Control: no-store under /api (see ApplySecurityHeaders).
// - Metrics failsafe_http_requests_total{route,method,status} and
//   failsafe_http_request_seconds{route} use the route pattern as label ("unmatched" for
//   404/405, "fallback" for answers of the fallback), never the raw path.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "base/metrics.h"
#include "server/auth_hooks.h"
#include "server/router.h"

namespace failsafe::server {

class Dispatcher {
 public:
  Dispatcher(const Router& router, Authenticator& authenticator, const Authorizer& authorizer,
             metrics::Registry& metrics);
  // Never throws. `request.path`/`query` are taken as parsed when `path` is set; otherwise the
  // target is parsed here (400 on a bad target).
  Response Handle(Request& request);

  // Called when no route has the path (before answering 404), e.g. to serve the web console.
  // nullopt: not handled, answer 404. Set before serving; not thread-safe against Handle.
  using Fallback = std::function<std::optional<Response>(Request&)>;
  void SetFallback(Fallback fallback) { fallback_ = std::move(fallback); }

 private:
  // One route's metric children, found once: Family::With builds a key and takes a lock, a
  // cost every request would otherwise pay twice. Filled on first use, so routes never called
  // add no series. Counters only for the route's own method and a 2xx status (kOkStatuses).
  struct RouteMetrics {
    std::atomic<metrics::Histogram*> seconds{nullptr};
    std::atomic<metrics::Counter*> ok[4] = {};
  };

  // `route` is set to the matched route, or nullptr (unmatched, fallback).
  Response Dispatch(Request& request, std::string& route_label, const Route*& route);
  void Record(const Route* route, const std::string& route_label, const Request& request,
              int status, double seconds);

  const Router& router_;
  Authenticator& authenticator_;
  const Authorizer& authorizer_;
  metrics::Family<metrics::Counter>& requests_total_;
  metrics::Family<metrics::Histogram>& request_seconds_;
  Fallback fallback_;
  // Parallel to the router's routes when the dispatcher was made (routes are only appended).
  size_t route_metrics_count_ = 0;
  std::unique_ptr<RouteMetrics[]> route_metrics_;
};

}  // namespace failsafe::server
