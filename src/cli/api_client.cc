#include "cli/api_client.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>

#include "base/json.h"

namespace failsafe::cli {
namespace {

constexpr size_t kMaxReplyBytes = 64 << 20;

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t CollectBody(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > kMaxReplyBytes) return 0;  // makes curl fail with WRITE_ERROR
  out->append(data, size * n);
  return size * n;
}

// Keeps the session cookie from a Set-Cookie header line.
size_t CollectSessionCookie(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kPrefix = "set-cookie:";
  if (line.size() > kPrefix.size()) {
    std::string lower(line.substr(0, kPrefix.size()));
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == kPrefix) {
      std::string_view value = line.substr(kPrefix.size());
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      value = value.substr(0, value.find(';'));
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
        value.remove_suffix(1);
      if (value.starts_with("failsafe_session=")) *static_cast<std::string*>(user) = value;
    }
  }
  return size * n;
}

ErrorCode CodeFromName(std::string_view name) {
  for (int c = static_cast<int>(ErrorCode::kInvalidArgument);
       c <= static_cast<int>(ErrorCode::kDataLoss); ++c) {
    if (CodeName(static_cast<ErrorCode>(c)) == name) return static_cast<ErrorCode>(c);
  }
  return ErrorCode::kInternal;
}

ErrorCode CodeFromHttp(long status) {
  switch (status) {
    case 400: return ErrorCode::kInvalidArgument;
    case 401: return ErrorCode::kUnauthenticated;
    case 403: return ErrorCode::kPermissionDenied;
    case 404: return ErrorCode::kNotFound;
    case 405: return ErrorCode::kMethodNotAllowed;
    case 409: return ErrorCode::kConflict;
    case 412: return ErrorCode::kFailedPrecondition;
    case 413: return ErrorCode::kPayloadTooLarge;
    case 415: return ErrorCode::kUnsupportedMedia;
    case 429: return ErrorCode::kTooManyRequests;
    case 502:
    case 503: return ErrorCode::kUnavailable;
    case 504: return ErrorCode::kDeadlineExceeded;
    default: return ErrorCode::kInternal;
  }
}

Status TransportError(CURLcode code, const char* detail, const std::string& server,
                      std::chrono::milliseconds timeout) {
  std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return Unavailable("cannot connect to the failsafe server at " + server + " (" + why +
                         "); is `failsafe serve` running there? Set --server or FAILSAFE_SERVER");
    case CURLE_COULDNT_RESOLVE_HOST:
      return Unavailable("cannot resolve the host of the failsafe server " + server + " (" + why +
                         ")");
    case CURLE_OPERATION_TIMEDOUT:
      return {ErrorCode::kDeadlineExceeded, "the failsafe server at " + server +
                                                " did not answer within " +
                                                std::to_string(timeout.count() / 1000) + "s"};
    case CURLE_WRITE_ERROR:
      return Unavailable("the answer from " + server + " is larger than 64 MiB");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return Unavailable("cannot verify the TLS certificate of " + server + " (" + why +
                         "); for a private CA or a self-signed certificate pass --ca-cert FILE "
                         "or set FAILSAFE_CA_CERT");
    default: return Unavailable("request to " + server + " failed: " + why);
  }
}

}  // namespace

Status StatusFromErrorReply(long http_status, std::string_view body, bool has_token) {
  Status s;
  auto parsed = json::ParseObject(body);
  const boost::json::object* error = nullptr;
  if (parsed) {
    if (auto* e = parsed->if_contains("error"); e != nullptr && e->is_object()) {
      error = &e->get_object();
    }
  }
  if (error != nullptr) {
    auto text = [&](const char* key) -> std::string {
      auto* v = error->if_contains(key);
      return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    std::string message = text("message");
    if (message.empty()) message = "the server answered " + std::to_string(http_status);
    s = Status(CodeFromName(text("code")), message, text("field"));
  } else {
    s = Status(CodeFromHttp(http_status),
               "the server answered HTTP " + std::to_string(http_status) + " without details");
  }
  if (s.code() == ErrorCode::kUnauthenticated && !has_token) {
    s = Status(s.code(),
               s.message() +
                   " (no API token given: set FAILSAFE_TOKEN or --token; an admin "
                   "creates one after signing in to the console)",
               s.field());
  }
  return s;
}

std::string UrlEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

ApiClient::ApiClient(ApiClientOptions options) : options_(std::move(options)) {
  while (!options_.server.empty() && options_.server.back() == '/') options_.server.pop_back();
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<boost::json::value> ApiClient::Get(std::string_view path) {
  return Send("GET", path, nullptr);
}
Result<boost::json::value> ApiClient::Post(std::string_view path, const boost::json::value& body) {
  return Send("POST", path, &body);
}
Result<boost::json::value> ApiClient::Patch(std::string_view path, const boost::json::value& body) {
  return Send("PATCH", path, &body);
}
Result<boost::json::value> ApiClient::Delete(std::string_view path) {
  return Send("DELETE", path, nullptr);
}

Result<boost::json::array> ApiClient::GetItems(std::string_view path, size_t max_items) {
  boost::json::array items;
  std::string next(path);
  const char separator = path.find('?') == std::string_view::npos ? '?' : '&';
  while (items.size() < max_items) {
    FS_ASSIGN_OR_RETURN(boost::json::value page, Get(next));
    const boost::json::value* page_items =
        page.is_object() ? page.get_object().if_contains("items") : nullptr;
    if (page_items == nullptr || !page_items->is_array()) {
      return Err(Unavailable("the answer to GET " + std::string(path) + " from " + options_.server +
                             " is not a list"));
    }
    for (const auto& item : page_items->get_array()) {
      if (items.size() >= max_items) break;
      items.push_back(item);
    }
    const boost::json::value* cursor = page.get_object().if_contains("next_cursor");
    if (cursor == nullptr || !cursor->is_string() || cursor->get_string().empty() ||
        page_items->get_array().empty()) {
      break;
    }
    next = std::string(path) + separator + "cursor=" + UrlEncode(cursor->get_string());
  }
  return items;
}

Result<boost::json::value> ApiClient::Send(const char* method, std::string_view path,
                                           const boost::json::value* body) {
  const std::string& server = options_.server;
  if (!server.starts_with("http://") && !server.starts_with("https://")) {
    return Err(InvalidArgument(
        "the server address must start with http:// or https://, got \"" + server + "\"",
        "--server"));
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Err(Internal("curl_easy_init failed"));

  std::string url = server + std::string(path);
  std::string request_body = body != nullptr ? json::Serialize(*body) : std::string();
  std::string reply;
  char error_detail[CURL_ERROR_SIZE] = {0};

  curl_slist* raw_headers = curl_slist_append(nullptr, "Accept: application/json");
  if (body != nullptr)
    raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
  if (!options_.token.empty()) {
    raw_headers =
        curl_slist_append(raw_headers, ("Authorization: Bearer " + options_.token).c_str());
  }
  if (!session_cookie_.empty()) {
    raw_headers = curl_slist_append(raw_headers, ("Cookie: " + session_cookie_).c_str());
    if (!csrf_token_.empty()) {
      raw_headers = curl_slist_append(raw_headers, ("X-CSRF-Token: " + csrf_token_).c_str());
    }
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
  std::string new_cookie;
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, CollectSessionCookie);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &new_cookie);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_detail);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "failsafe-cli");
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  // A token must not follow a redirect to another host.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  if (body != nullptr) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request_body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_body.size()));
  }

  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return Err(TransportError(rc, error_detail, server, options_.timeout));

  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    return Err(StatusFromErrorReply(status, reply, !options_.token.empty() || has_session()));
  }
  if (!new_cookie.empty()) session_cookie_ = new_cookie;
  if (reply.empty()) return boost::json::value(nullptr);
  auto parsed = json::Parse(reply);
  if (!parsed) {
    return Err(Unavailable("the answer from " + server +
                           " is not JSON; is --server pointing at a failsafe server?"));
  }
  return std::move(*parsed);
}

Status ApiClient::Login(const std::string& username, const std::string& password,
                        const std::string& totp) {
  boost::json::object body{{"username", username}, {"password", password}};
  if (!totp.empty()) body["totp"] = totp;
  FS_ASSIGN_OR_RETURN_STATUS(boost::json::value answer, Post("/api/v1/auth/login", body));
  const boost::json::value* csrf =
      answer.is_object() ? answer.get_object().if_contains("csrf_token") : nullptr;
  if (session_cookie_.empty() || csrf == nullptr || !csrf->is_string()) {
    return Unavailable("the login answer from " + options_.server + " carries no session");
  }
  csrf_token_ = std::string(csrf->get_string());
  return Status::Ok();
}

}  // namespace failsafe::cli
