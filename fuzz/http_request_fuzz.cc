// Fuzzes what the server does with bytes from the network before a handler runs: the HTTP/1.1
// parser (Beast, with our limits), target decoding, and strict JSON body reading.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>

#include "base/json.h"
#include "server/http_types.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec && ec != http::error::need_more) return 0;
  if (!parser.is_header_done()) return 0;
  auto& req = parser.get();
  std::string path;
  std::map<std::string, std::string> query;
  failsafe::Status s = failsafe::server::ParseTarget(std::string(req.target()), path, query);
  if (s.ok() && path.empty()) __builtin_trap();  // a decoded path always starts with '/'
  auto obj = failsafe::json::ParseObject(req.body());
  if (obj) {
    failsafe::json::ObjectReader reader(*obj);
    reader.OptionalString("username");
    reader.OptionalInt("limit");
    reader.OptionalBool("disabled");
    if (auto* nested = reader.OptionalObject("detail")) {
      failsafe::json::ObjectReader inner(*nested, "detail");
      inner.OptionalString("name");
      (void)inner.Finish();
    }
    (void)reader.Finish();
  }
  return 0;
}
