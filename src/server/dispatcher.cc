#include "server/dispatcher.h"

#include <chrono>
#include <exception>

#include "base/log.h"

namespace failsafe::server {
namespace {

bool IsUnsafeMethod(const std::string& m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

// Bounded label values: a client sending "FOO" as method must not create a metric series.
const std::string& MethodLabel(const std::string& m) {
  static const std::string kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  static const std::string kOther = "OTHER";
  for (const auto& k : kKnown) {
    if (k == m) return k;
  }
  return kOther;
}

bool IsJsonContentType(std::string_view v) {
  size_t semi = v.find(';');
  v = v.substr(0, semi);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  if (v.size() != kJson.size()) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) != kJson[i]) return false;
  }
  return true;
}

// The 2xx statuses whose counters RouteMetrics keeps; -1 for the others.
int OkSlot(int status) {
  switch (status) {
    case 200: return 0;
    case 201: return 1;
    case 202: return 2;
    case 204: return 3;
    default: return -1;
  }
}

// The child in `slot`, made by `make` (Family::With, idempotent) the first time.
template <typename T, typename Make>
T& CachedChild(std::atomic<T*>& slot, Make make) {
  T* child = slot.load(std::memory_order_acquire);
  if (child == nullptr) {
    child = &make();
    slot.store(child, std::memory_order_release);
  }
  return *child;
}

std::string JoinMethods(const std::vector<std::string>& methods) {
  std::string out;
  for (const auto& m : methods) {
    if (!out.empty()) out += ", ";
    out += m;
  }
  return out;
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, Authenticator& authenticator,
                       const Authorizer& authorizer, metrics::Registry& metrics)
    : router_(router),
      authenticator_(authenticator),
      authorizer_(authorizer),
      requests_total_(metrics.AddCounter("failsafe_http_requests_total",
                                         "HTTP requests answered, by route pattern",
                                         {"route", "method", "status"})),
      request_seconds_(metrics.AddHistogram("failsafe_http_request_seconds",
                                            "HTTP request handling time, by route pattern",
                                            {"route"}, metrics::LatencyBuckets())),
      route_metrics_count_(router.routes().size()),
      route_metrics_(std::make_unique<RouteMetrics[]>(route_metrics_count_)) {}

Response Dispatcher::Handle(Request& request) {
  const auto start = std::chrono::steady_clock::now();
  std::string route_label;
  const Route* route = nullptr;
  Response response;
  try {
    response = Dispatch(request, route_label, route);
  } catch (const std::exception& e) {
    // Only reachable through a bug outside the handler (auth hooks, fallback).
    log::Error("http_internal_error", {{"path", request.path}, {"what", e.what()}});
    response = Response::Error(Internal("internal error"));
  } catch (...) {
    log::Error("http_internal_error", {{"path", request.path}, {"what", "unknown exception"}});
    response = Response::Error(Internal("internal error"));
  }
  ApplySecurityHeaders(response, request.path);

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Record(route, route_label, request, response.status, seconds);
  if (log::Enabled(log::Level::kInfo)) {
    log::Info("http_request", {{"method", request.method},
                               {"route", route_label},
                               {"path", request.path},
                               {"status", response.status},
                               {"duration_ms", seconds * 1000.0},
                               {"remote", request.remote_addr},
                               {"user", request.principal ? request.principal->username : ""},
                               {"bytes", response.body.size()}});
  }
  return response;
}

void Dispatcher::Record(const Route* route, const std::string& route_label, const Request& request,
                        int status, double seconds) {
  auto counter = [&]() -> metrics::Counter& {
    return requests_total_.With({route_label, MethodLabel(request.method), std::to_string(status)});
  };
  auto histogram = [&]() -> metrics::Histogram& { return request_seconds_.With({route_label}); };
  RouteMetrics* cached = nullptr;
  if (route != nullptr) {
    const size_t index = static_cast<size_t>(route - router_.routes().data());
    if (index < route_metrics_count_) cached = &route_metrics_[index];
  }
  if (cached == nullptr) {
    counter().Inc();
    histogram().Observe(seconds);
    return;
  }
  const int slot = OkSlot(status);
  if (slot >= 0 && request.method == route->method) {
    CachedChild(cached->ok[slot], counter).Inc();
  } else {
    counter().Inc();
  }
  CachedChild(cached->seconds, histogram).Observe(seconds);
}

Response Dispatcher::Dispatch(Request& request, std::string& route_label, const Route*& matched) {
  route_label = "unmatched";
  if (request.path.empty()) {
    Status st = ParseTarget(request.target, request.path, request.query);
    if (!st.ok()) {
      request.path.clear();  // half-decoded bytes have no place in the log line
      return Response::Error(st);
    }
  }

  Match match = router_.Find(request.method, request.path);
  if (match.route == nullptr && request.method == "HEAD") {
    Match get = router_.Find("GET", request.path);
    if (get.route != nullptr) match = std::move(get);
  }
  if (match.route == nullptr) {
    if (match.path_known) {
      Response r =
          Response::Error({ErrorCode::kMethodNotAllowed,
                           "method " + request.method + " is not allowed on " + request.path});
      r.headers.emplace_back("Allow", JoinMethods(router_.AllowedMethods(request.path)));
      return r;
    }
    if (fallback_) {
      if (std::optional<Response> r = fallback_(request)) {
        route_label = "fallback";
        return std::move(*r);
      }
    }
    return Response::Error(NotFound("no route for " + request.path));
  }

  const Route& route = *match.route;
  matched = &route;
  route_label = route.pattern;
  request.route_pattern = route.pattern;
  request.path_params = std::move(match.params);

  Result<std::optional<Principal>> auth = authenticator_.Authenticate(request);
  if (!auth) {
    if (!route.is_public()) {
      const Status& err = auth.error();
      switch (err.code()) {
        // Server-side failures and throttling keep their code; they are not the caller's
        // credentials being wrong.
        case ErrorCode::kUnavailable:
        case ErrorCode::kInternal:
        case ErrorCode::kTooManyRequests: return Response::Error(err);
        default: return Response::Error(Unauthenticated(err.message()));
      }
    }
  } else if (auth->has_value()) {
    request.principal = std::move(**auth);
  }
  if (!route.is_public() && !request.principal) {
    return Response::Error(Unauthenticated("authentication required"));
  }
  // Also on public routes: a logged-in browser's logout is as forgeable as any other write.
  if (request.principal && request.principal->via_session && IsUnsafeMethod(request.method) &&
      !route.csrf_exempt && !authenticator_.CsrfValid(request, *request.principal)) {
    return Response::Error(
        PermissionDenied("missing or invalid X-CSRF-Token header for this session"));
  }
  if (!route.is_public() && !authorizer_.Allowed(request.principal->role, route.permission)) {
    return Response::Error(PermissionDenied("role '" + request.principal->role +
                                            "' lacks permission '" + route.permission + "'"));
  }

  if (!route.doc.request_schema.is_null() && !request.body.empty() &&
      !IsJsonContentType(request.Header("content-type"))) {
    return Response::Error({ErrorCode::kUnsupportedMedia,
                            "request body must be sent with Content-Type: application/json",
                            "Content-Type"});
  }

  try {
    Result<Response> result = route.handler(request);
    if (!result) return Response::Error(result.error());
    return std::move(*result);
  } catch (const std::exception& e) {
    log::Error("http_handler_exception",
               {{"route", route.pattern}, {"method", request.method}, {"what", e.what()}});
  } catch (...) {
    log::Error("http_handler_exception",
               {{"route", route.pattern}, {"method", request.method}, {"what", "unknown"}});
  }
  return Response::Error(Internal("internal error; the server log has details"));
}

}  // namespace failsafe::server
