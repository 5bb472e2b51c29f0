#pragma once
// One HTTP request run on a CurlDriver, always over a new connection (no reuse, no TLS session
// resumption) so its timings are those a user's first request would see. The answer carries the
// raw facts; judging them against a spec is the HTTP probe's job (http_probe.h).
#include <curl/curl.h>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "watch/probes/curl_driver.h"
#include "watch/probes/probe_result.h"
#include "watch/probes/probe_spec.h"
#include "watch/probes/tls_info.h"

namespace failsafe::watch::probes {

inline constexpr size_t kMaxKeptBody = 1 << 20;  // bytes of body kept for matching

struct HttpAnswer {
  CURLcode code = CURLE_OK;
  std::string error;  // transport error text when code != CURLE_OK
  int status = 0;
  int redirects = 0;
  int64_t body_bytes = 0;
  std::string body;  // at most kMaxKeptBody bytes, only when asked for
  std::vector<std::pair<std::string, std::string>> headers;  // of the last response
  HttpPhases phases;
  double total_seconds = 0;
  bool used_tls = false;
  TlsInfo tls;
};

using HttpAnswerCallback = std::function<void(HttpAnswer)>;

// Sends `request` through `driver`; `done` runs on the driver thread. `share`, when not null,
// is a CURLSH sharing cookies between the exchanges of one multi-step check (the caller keeps
// it alive until `done` ran).
void StartHttpExchange(CurlDriver& driver, const HttpRequestSpec& request,
                       std::chrono::milliseconds timeout, bool keep_body, CURLSH* share,
                       HttpAnswerCallback done);

// First value of header `name` (case-insensitive), or empty.
std::string_view FindHeader(const HttpAnswer& answer, std::string_view name);

}  // namespace failsafe::watch::probes
