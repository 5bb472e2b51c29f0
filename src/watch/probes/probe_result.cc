#include "watch/probes/probe_result.h"

namespace failsafe::watch::probes {

std::optional<int64_t> CertExpiryDays(const ProbeResult& r, int64_t now_unix) {
  if (!r.ssl_earliest_cert_expiry) return std::nullopt;
  const int64_t left = *r.ssl_earliest_cert_expiry - now_unix;
  // Floor division: a certificate expiring in 12 hours has 0 days left, one expired an hour
  // ago has -1.
  return left >= 0 ? left / 86400 : -((-left + 86399) / 86400);
}

}  // namespace failsafe::watch::probes
