#pragma once
// A small blocking HTTP/1.1 client for the tests that drive a real failsafe server.
// Keeps one keep-alive connection and the cookies the server sets. Not thread-safe: use one
// client per thread. A text/event-stream answer returns after its header (the client hangs up;
// read such streams with EventStreamReader, sse_client.h).
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace failsafe::testing {

struct HttpResult {
  int status = 0;                              // 0 when the request could not be sent
  std::map<std::string, std::string> headers;  // lower-cased names; repeated ones joined by "\n"
  std::string body;
  std::string transport_error;  // non-empty when status == 0

  boost::json::value Json() const;  // null when the body is not JSON
  std::string ErrorCode() const;    // error.code from the error shape, "" otherwise
};

class HttpClient {
 public:
  explicit HttpClient(std::string host_port);  // "127.0.0.1:8080"
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  HttpResult Get(const std::string& target);
  HttpResult Post(const std::string& target, const std::string& body,
                  const std::string& content_type = "application/json");
  HttpResult Patch(const std::string& target, const std::string& body);
  HttpResult Delete(const std::string& target);
  HttpResult Send(const std::string& method, const std::string& target, const std::string& body,
                  std::map<std::string, std::string> headers = {});

  // Authentication helpers: a bearer token, or the session cookie + CSRF token from a login.
  void SetBearer(std::string token) { bearer_ = std::move(token); }
  void ClearAuth();
  // Logs in through POST /api/v1/auth/login; keeps the cookie and the CSRF token.
  HttpResult Login(const std::string& username, const std::string& password,
                   const std::string& totp = "");
  // Creates an API token through the current credentials and returns its text ("" on failure).
  std::string CreateToken(const std::string& name, const std::string& role);

  void set_send_csrf(bool on) { send_csrf_ = on; }
  const std::string& csrf_token() const { return csrf_; }

 private:
  struct Conn;
  std::string host_port_;
  std::unique_ptr<Conn> conn_;
  std::string bearer_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
  bool send_csrf_ = true;
};

}  // namespace failsafe::testing
