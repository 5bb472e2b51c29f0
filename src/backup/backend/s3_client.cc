#include "backup/backend/s3_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>

namespace failsafe::backup::s3 {
namespace {

constexpr size_t kMaxIdleHandles = 8;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct BodySink {
  Answer* answer;
  uint64_t max_body;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  if (sink->answer->body.size() + size * n > sink->max_body) {
    sink->answer->too_large = true;
    return 0;  // curl stops with a write error
  }
  sink->answer->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  std::string_view line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    if (name == "content-length") {
      // One allocation for the body instead of a doubling string: loads of whole packs are
      // most of what is read.
      const auto length = ParseLength(value);
      if (length && *length <= sink->max_body) sink->answer->body.reserve(*length);
    }
    sink->answer->headers[name] = std::string(value);
  }
  return size * n;
}

// curl already fails a body cut short by a closed connection, but takes a chunked body as it
// comes even when the answer also carries a Content-Length, and a server that answers before
// it has the whole object can send a Content-Length of its own that still differs. Whatever
// the cause, a body of another size than announced is not returned as a success.
void CheckBodyLength(std::string_view method, Answer* answer) {
  const long s = answer->status;
  if (method == "HEAD" || answer->too_large || s < 200 || s == 204 || s == 304) return;
  auto it = answer->headers.find("content-length");
  if (it == answer->headers.end()) return;
  const auto announced = ParseLength(it->second);
  if (announced && *announced == answer->body.size()) return;
  answer->transport_error = "the answer (HTTP " + std::to_string(s) + ") has " +
                            std::to_string(answer->body.size()) +
                            " bytes of body, its Content-Length says " + it->second;
  answer->status = 0;
}

}  // namespace

std::optional<uint64_t> ParseLength(std::string_view value) {
  if (value.empty() || value.size() > 19) return std::nullopt;
  uint64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + uint64_t(c - '0');
  }
  return n;
}

std::optional<ContentRange> ParseContentRange(std::string_view v) {
  if (!v.starts_with("bytes ")) return std::nullopt;
  v.remove_prefix(6);
  const size_t dash = v.find('-');
  const size_t slash = v.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
    return std::nullopt;
  }
  auto first = ParseLength(v.substr(0, dash));
  auto last = ParseLength(v.substr(dash + 1, slash - dash - 1));
  std::string_view total = v.substr(slash + 1);
  if (!first || !last || *last < *first) return std::nullopt;
  ContentRange range{*first, *last, std::nullopt};
  if (total != "*") {
    range.total = ParseLength(total);
    if (!range.total || *range.total <= range.last) return std::nullopt;
  }
  return range;
}

std::string Endpoint::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port ? h + ":" + std::to_string(port) : h;
}

Client::Client(Endpoint endpoint, sigv4::Credentials credentials, std::string session_token)
    : endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      session_token_(std::move(session_token)) {
  GlobalInit();
}

Client::~Client() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* Client::TakeHandle() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void Client::ReturnHandle(void* handle) {
  std::lock_guard lock(mu_);
  if (idle_.size() < kMaxIdleHandles) {
    idle_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

Answer Client::Send(std::string_view method, const std::string& key, const sigv4::Pairs& query,
                    std::string_view body, const sigv4::Pairs& extra_headers, uint64_t max_body) {
  sigv4::Request request;
  request.method = std::string(method);
  request.path = "/" + endpoint_.bucket + (key.empty() ? "" : "/" + key);
  request.query = query;
  request.payload_sha256 = sigv4::Sha256Hex(body);
  const auto now = std::chrono::system_clock::now();
  const std::string amz_date = sigv4::AmzDate(now);
  request.headers = {{"host", endpoint_.HostHeader()},
                     {"x-amz-date", amz_date},
                     {"x-amz-content-sha256", request.payload_sha256}};
  if (!session_token_.empty()) request.headers.emplace_back("x-amz-security-token", session_token_);
  for (const auto& h : extra_headers) request.headers.push_back(h);
  const sigv4::Scope scope{amz_date.substr(0, 8), endpoint_.region, "s3"};
  const std::string authorization = sigv4::Authorization(request, credentials_, amz_date, scope);

  std::string url = (endpoint_.https ? "https://" : "http://") + endpoint_.HostHeader() +
                    sigv4::UriEncode(request.path, true);
  const std::string canonical_query = sigv4::CanonicalQuery(query);
  if (!canonical_query.empty()) url += "?" + canonical_query;

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  headers = curl_slist_append(headers, "Content-Type: application/octet-stream");

  Answer answer;
  BodySink sink{&answer, max_body};
  CURL* curl = static_cast<CURL*>(TakeHandle());
  if (curl == nullptr) {
    curl_slist_free_all(headers);
    answer.transport_error = "cannot create a curl handle";
    return answer;
  }
  curl_easy_reset(curl);
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, endpoint_.connect_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, endpoint_.request_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!endpoint_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, endpoint_.ca_file.c_str());
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method == "PUT" || method == "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    CheckBodyLength(method, &answer);
  } else {
    answer.transport_error = error[0] ? error : curl_easy_strerror(rc);
    answer.tls_untrusted = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE;
  }
  curl_slist_free_all(headers);
  ReturnHandle(curl);
  return answer;
}

}  // namespace failsafe::backup::s3
