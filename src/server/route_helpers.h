#pragma once
// Small helpers every module's route handlers share: reading the body, the {id} parameter and
// the caller, and building the JSON Schemas of route docs.
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "server/http_types.h"

namespace failsafe::server {

// Parses the body as a JSON object; an empty body reads as {} when `empty_ok`.
Result<boost::json::object> BodyObject(const Request& request, bool empty_ok = false);

// The {id} path parameter as a positive integer; kNotFound otherwise (ids that cannot exist).
Result<int64_t> PathId(const Request& request, const std::string& what);

// The calling principal; a handler on a non-public route always has one (throws otherwise:
// that would be a routing bug).
const Principal& Caller(const Request& request);

// An error response that also carries a header (Retry-After on 429).
Response ErrorWithHeader(const Status& s, std::string name, std::string value);

// JSON Schema helpers for route docs. Schema() parses literal schema text (a bug throws).
boost::json::value Schema(std::string_view json_text);
// {"items": [item...], "next_cursor": string|null}
boost::json::value PagedSchema(boost::json::value item);

}  // namespace failsafe::server
