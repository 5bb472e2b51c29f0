#include "watch/probes/http_probe.h"

#include <re2/re2.h>

#include <algorithm>

namespace failsafe::watch::probes {
namespace {

std::string ValidCodesText(const std::vector<int>& codes) {
  if (codes.empty()) return "2xx";
  std::string out;
  for (int c : codes) out += (out.empty() ? "" : ",") + std::to_string(c);
  return out;
}

bool StatusAccepted(const std::vector<int>& codes, int status) {
  if (codes.empty()) return status >= 200 && status < 300;
  return std::find(codes.begin(), codes.end(), status) != codes.end();
}

}  // namespace

bool NeedsBody(const HttpRequestSpec& request) {
  return !request.body_must_match.empty() || !request.body_must_not_match.empty();
}

ProbeResult JudgeHttpAnswer(const HttpRequestSpec& request, const HttpAnswer& answer) {
  ProbeResult r;
  r.duration_seconds = answer.total_seconds;
  r.http_status = answer.status;
  r.redirects = answer.redirects;
  r.content_length = answer.body_bytes;
  r.http_phases = answer.phases;
  if (answer.used_tls) {
    r.tls_version = answer.tls.version;
    r.ssl_earliest_cert_expiry = answer.tls.earliest_cert_expiry;
  }
  if (answer.code != CURLE_OK) {
    r.error = answer.error;
    return r;
  }
  if (!StatusAccepted(request.valid_status_codes, answer.status)) {
    r.error = "status " + std::to_string(answer.status) + " not in " +
              ValidCodesText(request.valid_status_codes);
    return r;
  }
  if (request.fail_if_not_ssl && !answer.used_tls) {
    r.error = "the final answer was not over TLS";
    return r;
  }
  for (const auto& re : request.body_must_match) {
    if (!RE2::PartialMatch(answer.body, *re)) {
      r.error = "body does not match /" + re->pattern() + "/";
      return r;
    }
  }
  for (const auto& re : request.body_must_not_match) {
    if (RE2::PartialMatch(answer.body, *re)) {
      r.error = "body matches /" + re->pattern() + "/";
      return r;
    }
  }
  r.success = true;
  return r;
}

void RunHttpProbe(CurlDriver& driver, const HttpRequestSpec& request,
                  std::chrono::milliseconds timeout, ProbeCallback done) {
  // The spec is copied into the callback: the caller's may be gone by the time it runs.
  StartHttpExchange(driver, request, timeout, NeedsBody(request), nullptr,
                    [request, done = std::move(done)](HttpAnswer answer) {
                      done(JudgeHttpAnswer(request, answer));
                    });
}

}  // namespace failsafe::watch::probes
