#include "server/http_types.h"

#include <algorithm>
#include <cctype>

#include "base/result.h"
#include "base/utf8.h"

namespace failsafe::server {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in`; `plus_is_space` for query components (form encoding), never for paths.
Status Decode(std::string_view in, bool plus_is_space, std::string_view what, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) {
        return InvalidArgument("malformed percent-escape at end of " + std::string(what));
      }
      int hi = HexDigit(in[i + 1]);
      int lo = HexDigit(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return InvalidArgument("malformed percent-escape '" + std::string(in.substr(i, 3)) +
                               "' in " + std::string(what));
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (out.find('\0') != std::string::npos) {
    return InvalidArgument("NUL byte in " + std::string(what));
  }
  if (!IsValidUtf8(out)) return InvalidArgument("invalid UTF-8 in " + std::string(what));
  return Status::Ok();
}

}  // namespace

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

const std::string& Request::Param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

Response Response::Json(const boost::json::value& v, int status) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

Response Response::JsonText(std::string json, int status) {
  Response r;
  r.status = status;
  r.body = std::move(json);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::Text(std::string body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::EventStreamOf(std::shared_ptr<EventStream> stream) {
  Response r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.stream = std::move(stream);
  // Proxies (nginx) must pass events through at once rather than buffer them.
  r.headers.emplace_back("X-Accel-Buffering", "no");
  return r;
}

Response Response::Error(const Status& s) {
  boost::json::object err;
  err["code"] = CodeName(s.code());
  err["message"] = s.message();
  if (!s.field().empty()) err["field"] = s.field();
  boost::json::object root;
  root["error"] = std::move(err);
  return Json(root, HttpStatusFor(s.code()));
}

Status ParseTarget(std::string_view target, std::string& path,
                   std::map<std::string, std::string>& query) {
  query.clear();
  if (target.empty() || target.front() != '/') {
    return InvalidArgument("request target must start with '/'");
  }
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  // A fragment is never sent by conforming clients; treat it as part of nothing.
  FS_RETURN_STATUS_IF_ERROR(Decode(raw_path, false, "path", path));
  if (q == std::string_view::npos) return Status::Ok();

  std::string_view rest = target.substr(q + 1);
  std::string key, value;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    FS_RETURN_STATUS_IF_ERROR(Decode(raw_key, true, "query", key));
    if (key.empty()) continue;
    Status st = Decode(raw_value, true, "query parameter '" + key + "'", value);
    if (!st.ok()) return st.WithField(key);
    query[key] = value;
  }
  return Status::Ok();
}

}  // namespace failsafe::server

namespace failsafe::server {

void ApplySecurityHeaders(Response& r, std::string_view path) {
  auto has = [&r](std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k.size() == name.size() &&
          std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        return true;
      }
    }
    return false;
  };
  r.headers.reserve(r.headers.size() + 4);
  if (!has("X-Content-Type-Options")) r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (!has("X-Frame-Options")) r.headers.emplace_back("X-Frame-Options", "DENY");
  if (!has("Referrer-Policy")) r.headers.emplace_back("Referrer-Policy", "no-referrer");
  bool api = path == "/api" || path.starts_with("/api/");
  if (api && !has("Cache-Control")) r.headers.emplace_back("Cache-Control", "no-store");
}

}  // namespace failsafe::server
