#pragma once
// A throwaway certificate for TLS test and bench servers: EC P-256, self-signed, valid for
// 127.0.0.1, ::1 and localhost, expiring `valid_days` from now.
#include <cstdint>
#include <string>

namespace failsafe::watch::probes::testing {

struct SelfSigned {
  std::string cert_pem;
  std::string key_pem;
  int64_t not_after_unix = 0;
};

// Throws std::runtime_error when OpenSSL fails (a broken test environment, not an input).
SelfSigned MakeSelfSigned(int valid_days);

}  // namespace failsafe::watch::probes::testing
