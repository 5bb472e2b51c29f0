#include "server/route_helpers.h"

#include <charconv>
#include <stdexcept>

#include "base/json.h"

namespace failsafe::server {

Result<boost::json::object> BodyObject(const Request& request, bool empty_ok) {
  if (empty_ok) {
    bool blank = true;
    for (char c : request.body) blank = blank && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    if (blank) return boost::json::object();
  }
  return json::ParseObject(request.body);
}

Result<int64_t> PathId(const Request& request, const std::string& what) {
  const std::string& text = request.Param("id");
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return Err(NotFound(what + " '" + text.substr(0, 64) + "' not found"));
  }
  return id;
}

const Principal& Caller(const Request& request) {
  if (!request.principal) throw std::logic_error("handler of a non-public route without caller");
  return *request.principal;
}

Response ErrorWithHeader(const Status& s, std::string name, std::string value) {
  Response r = Response::Error(s);
  r.headers.emplace_back(std::move(name), std::move(value));
  return r;
}

boost::json::value Schema(std::string_view json_text) {
  return boost::json::parse(json_text);
}

boost::json::value PagedSchema(boost::json::value item) {
  boost::json::object s{{"type", "object"},
                        {"required", boost::json::array{"items", "next_cursor"}}};
  s["properties"] = boost::json::object{
      {"items", boost::json::object{{"type", "array"}, {"items", std::move(item)}}},
      {"next_cursor", boost::json::object{{"type", boost::json::array{"string", "null"}}}}};
  return s;
}

}  // namespace failsafe::server
