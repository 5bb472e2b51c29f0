#pragma once
// The outcome of one probe attempt, kept in plain fields so it can be shown in the API,
// logged and turned into blackbox_exporter-named samples (probe_samples.h).
#include <cstdint>
#include <optional>
#include <string>

namespace failsafe::watch::probes {

// HTTP latency split the way blackbox_exporter reports probe_http_duration_seconds{phase}.
struct HttpPhases {
  double resolve = 0;     // name lookup
  double connect = 0;     // TCP connect after the lookup
  double tls = 0;         // TLS handshake (0 for plain HTTP)
  double processing = 0;  // request sent until the first byte of the answer
  double transfer = 0;    // first byte until the last
};

struct ProbeResult {
  bool success = false;
  std::string error;        // why it failed ("status 503 not in [200-299]"), empty on success
  std::string failed_step;  // http_steps: the name of the step that failed
  double duration_seconds = 0;
  int attempts = 1;  // attempts made, retries included

  // HTTP and http_steps (the last step run)
  int http_status = 0;
  int redirects = 0;
  int64_t content_length = 0;  // bytes of body received
  std::optional<HttpPhases> http_phases;

  // TLS, for HTTPS and TCP with tls
  std::string tls_version;                          // "TLSv1.3"
  std::optional<int64_t> ssl_earliest_cert_expiry;  // Unix seconds, earliest notAfter in the chain

  // DNS
  std::optional<double> dns_lookup_seconds;
  int dns_answer_count = 0;
};

// Whole days from `now_unix` until the earliest certificate expiry (negative once expired).
std::optional<int64_t> CertExpiryDays(const ProbeResult& r, int64_t now_unix);

}  // namespace failsafe::watch::probes
