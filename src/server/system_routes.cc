#include "server/system_routes.h"

#include <memory>
#include <mutex>

#include "server/openapi.h"

namespace failsafe::server {
namespace {

namespace json = boost::json;

json::object StatusSchema(std::string_view value) {
  return json::object{{"type", "object"},
                      {"required", json::array{"status"}},
                      {"properties", json::object{{"status", json::object{{"const", value}}}}}};
}

Route PublicGet(std::string pattern, std::string summary, json::value response_schema,
                Handler handler) {
  Route r;
  r.method = "GET";
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  r.doc.summary = std::move(summary);
  r.doc.tag = "system";
  r.doc.response_schema = std::move(response_schema);
  return r;
}

}  // namespace

void RegisterSystemRoutes(Router& router, SystemRouteDeps deps) {
  router.Add(PublicGet("/healthz", "Liveness: the process serves requests", StatusSchema("ok"),
                       [](Request&) -> Result<Response> {
                         return Response::Json(json::object{{"status", "ok"}});
                       }));

  router.Add(PublicGet(
      "/readyz", "Readiness: dependencies (the store) are reachable", StatusSchema("ready"),
      [check = deps.ready_check](Request&) -> Result<Response> {
        if (check) {
          Status st = check();
          // Whatever the check's code, "not ready" is a 503 to load balancers.
          if (!st.ok())
            return Response::Error({ErrorCode::kUnavailable, "not ready: " + st.message()});
        }
        return Response::Json(json::object{{"status", "ready"}});
      }));

  router.Add(PublicGet(
      "/metrics", "Prometheus metrics (firewall it from untrusted networks)",
      json::object{{"type", "string"}}, [registry = deps.metrics](Request&) -> Result<Response> {
        if (registry == nullptr) return Err(Internal("no metrics registry"));
        return Response::Text(registry->RenderText(), "text/plain; version=0.0.4; charset=utf-8");
      }));

  // Built once, on first request: by then every module has added its routes.
  struct Cache {
    std::once_flag once;
    std::string body;
  };
  auto cache = std::make_shared<Cache>();
  router.Add(PublicGet(
      "/api/v1/openapi.json", "This API's OpenAPI 3.1 description",
      json::object{{"type", "object"}},
      [cache, target = deps.router, version = deps.version](Request&) -> Result<Response> {
        if (target == nullptr) return Err(Internal("no router configured for OpenAPI"));
        std::call_once(cache->once,
                       [&] { cache->body = json::serialize(BuildOpenApi(*target, version)); });
        return Response::Text(cache->body, "application/json");
      }));
}

}  // namespace failsafe::server
