#pragma once
// The HTTP(S) probe: one request, judged on its status, body and TLS.
#include <chrono>
#include <functional>

#include "watch/probes/curl_driver.h"
#include "watch/probes/http_exchange.h"
#include "watch/probes/probe_result.h"
#include "watch/probes/probe_spec.h"

namespace failsafe::watch::probes {

using ProbeCallback = std::function<void(ProbeResult)>;

// Runs one attempt; `done` runs on the driver's thread.
void RunHttpProbe(CurlDriver& driver, const HttpRequestSpec& request,
                  std::chrono::milliseconds timeout, ProbeCallback done);

// Judges an answer: transport errors, the status against valid_status_codes (default 2xx),
// fail_if_not_ssl, then the body regexes. Fills every measured field even on failure.
ProbeResult JudgeHttpAnswer(const HttpRequestSpec& request, const HttpAnswer& answer);

// Whether the spec needs the body kept (it has body regexes).
bool NeedsBody(const HttpRequestSpec& request);

}  // namespace failsafe::watch::probes
