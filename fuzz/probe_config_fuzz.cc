// Fuzzes the probe config parser: any input gives probes or an error that names the file and
// a line:column, never a crash, a hang or an exception escaping.
#include <cstddef>
#include <cstdint>
#include <string>

#include "watch/probes/probe_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto probes = failsafe::watch::probes::ParseProbeConfig(text, "fuzz.yaml");
  if (!probes) {
    if (probes.error().message().rfind("fuzz.yaml:", 0) != 0) __builtin_trap();
    return 0;
  }
  for (const auto& p : *probes) {
    if (p.name.empty() || p.timeout > p.interval || p.interval.count() <= 0) __builtin_trap();
  }
  return 0;
}
