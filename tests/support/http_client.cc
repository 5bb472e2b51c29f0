#include "tests/support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace failsafe::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct HttpClient::Conn {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  bool open = false;
};

boost::json::value HttpResult::Json() const {
  boost::json::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return nullptr;
  return v;
}

std::string HttpResult::ErrorCode() const {
  auto v = Json();
  if (!v.is_object()) return "";
  auto* err = v.as_object().if_contains("error");
  if (!err || !err->is_object()) return "";
  auto* code = err->as_object().if_contains("code");
  if (!code || !code->is_string()) return "";
  return std::string(code->as_string());
}

HttpClient::HttpClient(std::string host_port)
    : host_port_(std::move(host_port)), conn_(std::make_unique<Conn>()) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

void HttpClient::ClearAuth() {
  bearer_.clear();
  cookies_.clear();
  csrf_.clear();
}

HttpResult HttpClient::Get(const std::string& target) {
  return Send("GET", target, "");
}
HttpResult HttpClient::Post(const std::string& target, const std::string& body,
                            const std::string& content_type) {
  return Send("POST", target, body, {{"content-type", content_type}});
}
HttpResult HttpClient::Patch(const std::string& target, const std::string& body) {
  return Send("PATCH", target, body, {{"content-type", "application/json"}});
}
HttpResult HttpClient::Delete(const std::string& target) {
  return Send("DELETE", target, "");
}

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::string& body, std::map<std::string, std::string> headers) {
  HttpResult result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    beast::error_code ec;
    if (!conn_->open) {
      auto colon = host_port_.rfind(':');
      tcp::resolver resolver(conn_->ioc);
      auto endpoints =
          resolver.resolve(host_port_.substr(0, colon), host_port_.substr(colon + 1), ec);
      if (!ec) conn_->stream.connect(endpoints, ec);
      if (ec) {
        result.transport_error = "connect: " + ec.message();
        return result;
      }
      conn_->open = true;
    }
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, host_port_);
    req.keep_alive(true);
    if (!bearer_.empty()) req.set(http::field::authorization, "Bearer " + bearer_);
    if (!cookies_.empty()) {
      std::string cookie;
      for (auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
      req.set(http::field::cookie, cookie);
    }
    if (send_csrf_ && !csrf_.empty()) req.set("X-CSRF-Token", csrf_);
    for (auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
      req.body() = body;
      req.prepare_payload();
    }
    conn_->stream.expires_after(std::chrono::seconds(30));
    http::write(conn_->stream, req, ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    if (!ec) http::read_header(conn_->stream, buffer, parser, ec);
    // A server-sent event stream never ends by itself: take its header, then hang up.
    const bool event_stream =
        !ec && parser.get()[http::field::content_type].starts_with("text/event-stream");
    if (!ec && !event_stream) http::read(conn_->stream, buffer, parser, ec);
    if (ec) {
      // A keep-alive connection the server closed: reconnect once.
      conn_->stream.close();
      conn_->open = false;
      result.transport_error = "exchange: " + ec.message();
      continue;
    }
    if (event_stream) {
      conn_->stream.close();
      conn_->open = false;
    }
    auto res = parser.release();
    result.transport_error.clear();
    result.status = static_cast<int>(res.result_int());
    for (auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value(f.value());
      auto& slot = result.headers[name];
      slot = slot.empty() ? value : slot + "\n" + value;
      if (name == "set-cookie") {
        auto eq = value.find('=');
        auto semi = value.find(';');
        if (eq != std::string::npos) {
          std::string key = value.substr(0, eq);
          std::string val = value.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
          if (val.empty())
            cookies_.erase(key);
          else
            cookies_[key] = val;
        }
      }
    }
    result.body = std::move(res.body());
    if (!res.keep_alive()) {
      conn_->stream.close();
      conn_->open = false;
    }
    return result;
  }
  return result;
}

HttpResult HttpClient::Login(const std::string& username, const std::string& password,
                             const std::string& totp) {
  boost::json::object body{{"username", username}, {"password", password}};
  if (!totp.empty()) body["totp"] = totp;
  auto r = Post("/api/v1/auth/login", boost::json::serialize(body));
  if (r.status == 200) {
    auto v = r.Json();
    if (v.is_object()) {
      if (auto* t = v.as_object().if_contains("csrf_token"); t && t->is_string()) {
        csrf_ = std::string(t->as_string());
      }
    }
  }
  return r;
}

std::string HttpClient::CreateToken(const std::string& name, const std::string& role) {
  boost::json::object body{{"name", name}, {"role", role}};
  auto r = Post("/api/v1/tokens", boost::json::serialize(body));
  if (r.status != 201 && r.status != 200) return "";
  auto v = r.Json();
  if (!v.is_object()) return "";
  auto* t = v.as_object().if_contains("token");
  return t && t->is_string() ? std::string(t->as_string()) : "";
}

}  // namespace failsafe::testing
