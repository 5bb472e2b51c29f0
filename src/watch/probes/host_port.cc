#include "watch/probes/host_port.h"

#include <charconv>

namespace failsafe::watch::probes {

Result<HostPort> ParseHostPort(std::string_view text, const std::string& field) {
  HostPort out;
  std::string_view port;
  if (text.starts_with("[")) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return Err(InvalidArgument("expected [ipv6]:port, got \"" + std::string(text) + "\"", field));
    out.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon)
      return Err(InvalidArgument("expected host:port, got \"" + std::string(text) + "\"", field));
    out.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (out.host.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
      value > 65535)
    return Err(InvalidArgument(
        "expected host:port with a port in 1..65535, got \"" + std::string(text) + "\"", field));
  out.port = static_cast<uint16_t>(value);
  return out;
}

}  // namespace failsafe::watch::probes
