#pragma once
// Module-internal: the route files of the postmortems module. Not for use outside
// src/postmortems/.
#include <boost/json.hpp>
#include <string>

#include "auth/module_services.h"
#include "base/result.h"
#include "server/http_types.h"
#include "server/router.h"

namespace failsafe::postmortems {

// /api/v1/postmortems, /{id}, /{id}/timeline/refresh, /{id}/export.
void RegisterPostmortemRoutes(const auth::ModuleServices& services, server::Router& router);
// /api/v1/postmortems/{id}/actions, /{id}/actions/{action_id}, /api/v1/postmortems/actions.
void RegisterActionRoutes(const auth::ModuleServices& services, server::Router& router);
// /api/v1/reports/incidents.
void RegisterReportRoutes(const auth::ModuleServices& services, server::Router& router);

// A text document (Markdown, HTML, CSV) as the answer. A client that accepts only JSON (the
// CLI sends "Accept: application/json") gets {"format", "content_type", "filename",
// "content"} instead, so scripts read documents through the same JSON client as the rest.
server::Response DocumentResponse(const server::Request& req, std::string format,
                                  std::string content_type, std::string filename,
                                  std::string content);

// The schema of that JSON envelope.
boost::json::value DocumentEnvelopeSchema();

}  // namespace failsafe::postmortems
