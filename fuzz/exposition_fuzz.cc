// Fuzzes the exposition parser in both formats: any page must parse or give an error naming
// line:column, never a crash or hang; what parses must be a valid series identity, and must
// be accepted by the store.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "watch/metrics/exposition.h"
#include "watch/metrics/memory_store.h"

using namespace failsafe::watch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the format and a cap, so one corpus covers both.
  ExpositionOptions options;
  options.format =
      (data[0] & 1) ? ExpositionFormat::kOpenMetrics : ExpositionFormat::kPrometheusText;
  options.max_samples = (data[0] >> 1) & 0x1f;
  std::string_view page(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto parsed = ParseExposition(page, options);
  if (!parsed) {
    const std::string& msg = parsed.error().message();
    if (!msg.starts_with("line ") || parsed.error().field().empty()) __builtin_trap();
    return 0;
  }
  if (options.max_samples != 0 && parsed->samples.size() > options.max_samples) __builtin_trap();
  MemoryStore store({.shards = 1});
  for (const ParsedSample& s : parsed->samples) {
    auto again = MakeLabels(s.labels);
    if (!again || *again != s.labels || !IsValidMetricName(LabelValue(s.labels, "__name__"))) {
      __builtin_trap();
    }
    store.Append(s.labels, {s.t_ms.value_or(0), s.value});
  }
  return 0;
}
