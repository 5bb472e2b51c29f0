#include "notify/http_post.h"

#include <curl/curl.h>

#include <memory>

namespace failsafe::notify {
namespace {

constexpr size_t kMaxAnswerBytes = 64 * 1024;

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (out->size() < kMaxAnswerBytes) {
    out->append(data, std::min(bytes, kMaxAnswerBytes - out->size()));
  }
  return bytes;
}

std::string TransportError(CURLcode code, std::chrono::milliseconds timeout) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timed out after " + std::to_string(timeout.count()) + " ms";
    case CURLE_COULDNT_CONNECT: return "connection refused";
    case CURLE_COULDNT_RESOLVE_HOST: return "could not resolve the host";
    default:
      // curl_easy_strerror names the kind of failure, never the URL.
      return curl_easy_strerror(code);
  }
}

}  // namespace

HttpAnswer HttpPost(const std::string& url, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::chrono::milliseconds timeout) {
  HttpAnswer answer;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    answer.error = "libcurl initialisation failed";
    return answer;
  }
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8");
  list = curl_slist_append(list, "User-Agent: failsafe-notify");
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(list, curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    answer.error = TransportError(rc, timeout);
    return answer;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  answer.status = static_cast<int>(status);
  return answer;
}

std::string RedactedUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "…";
  const size_t host_end = url.find_first_of("/?#", scheme + 3);
  std::string host = url.substr(0, host_end);
  // Drop user:password@ if any.
  const size_t at = host.find('@', scheme + 3);
  if (at != std::string::npos) host = host.substr(0, scheme + 3) + host.substr(at + 1);
  return host + "/…";
}

}  // namespace failsafe::notify
