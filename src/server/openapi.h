#pragma once
// The OpenAPI 3.1 description of every route in a Router, built from each Route's RouteDoc.
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "server/router.h"

namespace failsafe::server {

// Returns the whole document: info, servers, security schemes (bearer token; session cookie
// `failsafe_session`), the Error schema, and one operation per route with operationId
// (method + pattern, e.g. "getApiV1UsersId"), path parameters from {name} segments, documented
// query parameters, request body and responses (success plus the applicable errors: 400, 404,
// 409, 413, 429, and 401/403 for non-public routes). Public routes have `security: []`.
// Pure function of the router; safe from any thread once the router is complete.
boost::json::value BuildOpenApi(const Router& router, std::string_view version);

// "GET" + "/api/v1/users/{id}" -> "getApiV1UsersId" (stable, unique per method+pattern).
std::string OperationId(const std::string& method, const std::string& pattern);

}  // namespace failsafe::server
