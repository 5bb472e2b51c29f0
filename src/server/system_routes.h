#pragma once
// Routes every deployment has, none needing authentication:
//   GET /healthz              200 {"status":"ok"} while the process serves requests
//   GET /readyz               200 {"status":"ready"}, or 503 in the error shape (code
//                             "unavailable") with ready_check's message when it fails
//   GET /metrics              Prometheus text format 0.0.4
//   GET /api/v1/openapi.json  the OpenAPI document of `router` (built on first request)
// /metrics is public like any Prometheus exporter's; it shows internals (route names, counts,
// process figures), so deployments should firewall it from untrusted networks.
#include <functional>
#include <string>

#include "base/metrics.h"
#include "base/status.h"
#include "server/router.h"

namespace failsafe::server {

struct SystemRouteDeps {
  std::function<Status()> ready_check;   // null: always ready
  metrics::Registry* metrics = nullptr;  // required; must outlive the router
  const Router* router = nullptr;        // required for openapi.json; must outlive it
  std::string version;
};

// Adds the routes above to `router` (which may be the same router as deps.router).
void RegisterSystemRoutes(Router& router, SystemRouteDeps deps);

}  // namespace failsafe::server
