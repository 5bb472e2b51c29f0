#include "server/openapi.h"

#include <cctype>

namespace failsafe::server {
namespace {

namespace json = boost::json;

json::value ErrorRef() {
  return json::object{{"$ref", "#/components/schemas/Error"}};
}

json::object ErrorResponse(std::string_view description) {
  return json::object{
      {"description", description},
      {"content", json::object{{"application/json", json::object{{"schema", ErrorRef()}}}}}};
}

json::object ErrorSchema() {
  return json::object{
      {"type", "object"},
      {"required", json::array{"error"}},
      {"properties",
       json::object{
           {"error",
            json::object{
                {"type", "object"},
                {"required", json::array{"code", "message"}},
                {"properties",
                 json::object{
                     {"code", json::object{{"type", "string"},
                                           {"description", "stable snake_case error code"},
                                           {"examples", json::array{"invalid_argument"}}}},
                     {"message", json::object{{"type", "string"}}},
                     {"field", json::object{{"type", "string"},
                                            {"description", "the input field at fault"}}}}}}}}}};
}

std::vector<std::string> PathParams(const std::string& pattern) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string::npos) {
    size_t end = pattern.find('}', pos);
    if (end == std::string::npos) break;
    out.push_back(pattern.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json::object Operation(const Route& route) {
  const RouteDoc& doc = route.doc;
  json::object op;
  op["operationId"] = OperationId(route.method, route.pattern);
  op["summary"] = doc.summary.empty() ? route.method + " " + route.pattern : doc.summary;
  op["tags"] = json::array{doc.tag.empty() ? json::value("default") : json::value(doc.tag)};
  if (!route.is_public()) {
    op["description"] = "Requires permission `" + route.permission + "`.";
  }

  json::array params;
  for (const auto& name : PathParams(route.pattern)) {
    params.push_back(json::object{{"name", name},
                                  {"in", "path"},
                                  {"required", true},
                                  {"schema", json::object{{"type", "string"}}}});
  }
  for (const auto& name : doc.query_params) {
    params.push_back(json::object{{"name", name},
                                  {"in", "query"},
                                  {"required", false},
                                  {"schema", json::object{{"type", "string"}}}});
  }
  if (!params.empty()) op["parameters"] = std::move(params);

  const bool has_body = !doc.request_schema.is_null();
  if (has_body) {
    op["requestBody"] = json::object{
        {"required", true},
        {"content",
         json::object{{"application/json", json::object{{"schema", doc.request_schema}}}}}};
  }

  json::object responses;
  json::object success{{"description", "success"}};
  if (!doc.response_schema.is_null()) {
    success["content"] =
        json::object{{doc.response_media_type, json::object{{"schema", doc.response_schema}}}};
  }
  responses[std::to_string(doc.success_status)] = std::move(success);
  const bool has_params = !PathParams(route.pattern).empty() || !doc.query_params.empty();
  if (has_body || has_params) responses["400"] = ErrorResponse("invalid input");
  if (!route.is_public()) {
    responses["401"] = ErrorResponse("missing or invalid credentials");
    responses["403"] = ErrorResponse("permission denied or CSRF token missing");
  }
  if (!PathParams(route.pattern).empty()) responses["404"] = ErrorResponse("not found");
  const bool writes = route.method == "POST" || route.method == "PUT" || route.method == "PATCH" ||
                      route.method == "DELETE";
  if (writes) responses["409"] = ErrorResponse("conflict with the current state");
  if (has_body) {
    responses["413"] = ErrorResponse("request body too large");
    responses["415"] = ErrorResponse("request body is not application/json");
  }
  responses["429"] = ErrorResponse("too many requests");
  op["responses"] = std::move(responses);
  if (route.is_public()) op["security"] = json::array{};
  return op;
}

}  // namespace

std::string OperationId(const std::string& method, const std::string& pattern) {
  std::string out = Lower(method);
  bool upper_next = true;
  for (char c : pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += upper_next ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper_next = false;
    } else {
      upper_next = true;  // '/', '{', '}', '-', '_', '.' start a new word
    }
  }
  return out;
}

json::value BuildOpenApi(const Router& router, std::string_view version) {
  json::object paths;
  for (const Route& route : router.routes()) {
    json::value& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[Lower(route.method)] = Operation(route);
  }
  json::object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = json::object{{"title", "failsafe"},
                             {"version", version},
                             {"description",
                              "Incident response and emergency plans. Errors share one shape: "
                              "{\"error\": {\"code\", \"message\", \"field\"?}}."}};
  doc["servers"] = json::array{json::object{{"url", "/"}}};
  doc["security"] = json::array{json::object{{"bearerAuth", json::array{}}},
                                json::object{{"cookieAuth", json::array{}}}};
  doc["components"] = json::object{
      {"securitySchemes",
       json::object{
           {"bearerAuth", json::object{{"type", "http"}, {"scheme", "bearer"}}},
           {"cookieAuth",
            json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "failsafe_session"}}}}},
      {"schemas", json::object{{"Error", ErrorSchema()}}}};
  doc["paths"] = std::move(paths);
  return doc;
}

}  // namespace failsafe::server
