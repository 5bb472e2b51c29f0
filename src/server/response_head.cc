#include "server/response_head.h"

#include <boost/beast/http/status.hpp>
#include <charconv>

namespace failsafe::server {
namespace {

void AppendNumber(std::string& out, size_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  (void)ec;
  out.append(digits, end);
}

void AppendClean(std::string& out, std::string_view text) {
  for (;;) {
    const size_t bad = text.find_first_of("\r\n");
    out.append(text.substr(0, bad));
    if (bad == std::string_view::npos) return;
    text.remove_prefix(bad + 1);
  }
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  AppendClean(out, name);
  out += ": ";
  AppendClean(out, value);
  out += "\r\n";
}

// Answers that never have a body (RFC 9110 6.4.1); Beast stated their length as 0.
bool Bodyless(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

}  // namespace

bool WriteResponseHead(std::string& out, const Response& r, unsigned version, bool keep_alive,
                       bool head_request) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  AppendNumber(out, static_cast<size_t>(r.status));
  out += ' ';
  out += boost::beast::http::obsolete_reason(
      static_cast<boost::beast::http::status>(static_cast<unsigned>(r.status)));
  out += "\r\n";
  out += "Server: failsafe\r\n";
  if (!r.content_type.empty()) AppendField(out, "Content-Type", r.content_type);
  for (const auto& [name, value] : r.headers) AppendField(out, name, value);
  if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
  if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
  const bool bodyless = Bodyless(r.status);
  out += "Content-Length: ";
  AppendNumber(out, head_request || !bodyless ? r.body.size() : 0);
  out += "\r\n\r\n";
  return !head_request && !bodyless;
}

}  // namespace failsafe::server
