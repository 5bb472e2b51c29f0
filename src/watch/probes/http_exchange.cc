#include "watch/probes/http_exchange.h"

#include <openssl/ssl.h>
#include <strings.h>

#include <algorithm>
#include <memory>

namespace failsafe::watch::probes {
namespace {

class HttpExchange final : public Transfer {
 public:
  HttpExchange(const HttpRequestSpec& request, bool keep_body, HttpAnswerCallback done)
      : keep_body_(keep_body), body_to_send_(request.body), done_(std::move(done)) {
    error_buffer_[0] = '\0';
  }
  ~HttpExchange() override {
    // Detach a cookie share first: done_ (destroyed next) may hold its last owner.
    curl_easy_setopt(easy(), CURLOPT_SHARE, nullptr);
    curl_slist_free_all(header_list_);
  }

  void Configure(const HttpRequestSpec& request, std::chrono::milliseconds timeout, CURLSH* share);
  void Finish(CURLcode code) override;

 private:
  static size_t OnBody(char* data, size_t size, size_t n, void* self);
  static size_t OnHeader(char* data, size_t size, size_t n, void* self);
  static CURLcode OnSslContext(CURL*, void* ssl_ctx, void* self);
  static void OnSslInfo(const SSL* ssl, int where, int ret);

  bool keep_body_;
  std::string body_to_send_;
  HttpAnswerCallback done_;
  curl_slist* header_list_ = nullptr;
  HttpAnswer answer_;
  char error_buffer_[CURL_ERROR_SIZE];
};

void HttpExchange::Configure(const HttpRequestSpec& request, std::chrono::milliseconds timeout,
                             CURLSH* share) {
  CURL* e = easy();
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  // A probe measures a first visit: new connection, full TLS handshake.
  curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, static_cast<long>(request.max_redirects));
  curl_easy_setopt(e, CURLOPT_USERAGENT, "failsafe-probe/0.1");
  // A probe speaks HTTP only, also where a redirect points (never ftp:// or file://).
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  switch (request.ip_protocol) {
    case IpProtocol::kIp4: curl_easy_setopt(e, CURLOPT_IPRESOLVE, CURL_IPRESOLVE_V4); break;
    case IpProtocol::kIp6: curl_easy_setopt(e, CURLOPT_IPRESOLVE, CURL_IPRESOLVE_V6); break;
    case IpProtocol::kAny: break;
  }

  if (request.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !body_to_send_.empty()) {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!body_to_send_.empty()) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body_to_send_.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_to_send_.size()));
  }
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    header_list_ = curl_slist_append(header_list_, line.c_str());
  }
  if (header_list_ != nullptr) curl_easy_setopt(e, CURLOPT_HTTPHEADER, header_list_);

  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &HttpExchange::OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &HttpExchange::OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);

  if (request.tls.insecure_skip_verify) {
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!request.tls.ca_file.empty())
    curl_easy_setopt(e, CURLOPT_CAINFO, request.tls.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, &HttpExchange::OnSslContext);
  curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, this);

  if (share != nullptr) {
    curl_easy_setopt(e, CURLOPT_SHARE, share);
    curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");  // cookie engine on, nothing loaded
  }
}

size_t HttpExchange::OnBody(char* data, size_t size, size_t n, void* self) {
  auto* ex = static_cast<HttpExchange*>(self);
  const size_t bytes = size * n;
  ex->answer_.body_bytes += static_cast<int64_t>(bytes);
  if (ex->keep_body_ && ex->answer_.body.size() < kMaxKeptBody)
    ex->answer_.body.append(data, std::min(bytes, kMaxKeptBody - ex->answer_.body.size()));
  return bytes;
}

size_t HttpExchange::OnHeader(char* data, size_t size, size_t n, void* self) {
  auto* ex = static_cast<HttpExchange*>(self);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    ex->answer_.headers.clear();  // a new response (after a redirect or a 100 Continue)
    ex->answer_.body.clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    ex->answer_.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * n;
}

CURLcode HttpExchange::OnSslContext(CURL*, void* ssl_ctx, void* self) {
  // libcurl makes one SSL_CTX per connection, so the context can point back at this exchange.
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  SSL_CTX_set_app_data(ctx, self);
  SSL_CTX_set_info_callback(ctx, &HttpExchange::OnSslInfo);
  return CURLE_OK;
}

void HttpExchange::OnSslInfo(const SSL* ssl, int where, int) {
  if ((where & SSL_CB_HANDSHAKE_DONE) == 0) return;
  auto* ex = static_cast<HttpExchange*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (ex == nullptr) return;
  ex->answer_.used_tls = true;
  MergeTlsInfo(ex->answer_.tls, ReadTlsInfo(ssl));
}

double Seconds(CURL* e, CURLINFO info) {
  curl_off_t micros = 0;
  curl_easy_getinfo(e, info, &micros);
  return static_cast<double>(micros) / 1e6;
}

void HttpExchange::Finish(CURLcode code) {
  CURL* e = easy();
  answer_.code = code;
  if (code != CURLE_OK)
    answer_.error = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  answer_.status = static_cast<int>(status);
  long redirects = 0;
  curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
  answer_.redirects = static_cast<int>(redirects);

  // libcurl's times are offsets from the start; blackbox_exporter's phases are the gaps.
  const double lookup = Seconds(e, CURLINFO_NAMELOOKUP_TIME_T);
  const double connect = Seconds(e, CURLINFO_CONNECT_TIME_T);
  const double tls_done = Seconds(e, CURLINFO_APPCONNECT_TIME_T);
  const double first_byte = Seconds(e, CURLINFO_STARTTRANSFER_TIME_T);
  const double total = Seconds(e, CURLINFO_TOTAL_TIME_T);
  const double ready = std::max(connect, tls_done);
  answer_.phases.resolve = lookup;
  answer_.phases.connect = std::max(0.0, connect - lookup);
  answer_.phases.tls = tls_done > 0 ? std::max(0.0, tls_done - connect) : 0;
  answer_.phases.processing = first_byte > 0 ? std::max(0.0, first_byte - ready) : 0;
  answer_.phases.transfer = first_byte > 0 ? std::max(0.0, total - first_byte) : 0;
  answer_.total_seconds = total;
  done_(std::move(answer_));
}

}  // namespace

void StartHttpExchange(CurlDriver& driver, const HttpRequestSpec& request,
                       std::chrono::milliseconds timeout, bool keep_body, CURLSH* share,
                       HttpAnswerCallback done) {
  auto ex = std::make_unique<HttpExchange>(request, keep_body, std::move(done));
  ex->Configure(request, timeout, share);
  driver.Submit(std::move(ex));
}

std::string_view FindHeader(const HttpAnswer& answer, std::string_view name) {
  for (const auto& [n, v] : answer.headers) {
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) return v;
  }
  return {};
}

}  // namespace failsafe::watch::probes
