#pragma once
// "host:port" and "[v6]:port" as written in probe targets.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::watch::probes {

struct HostPort {
  std::string host;  // without brackets
  uint16_t port = 0;
};

// Fails naming `field` when the port is missing, not a number or out of 1..65535.
Result<HostPort> ParseHostPort(std::string_view text, const std::string& field);

}  // namespace failsafe::watch::probes
