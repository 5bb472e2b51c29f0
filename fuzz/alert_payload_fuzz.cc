// Fuzzes the alert payload decoders (watch/alerts/payload_decoders.h): the Alertmanager API v2
// alerts, the Alertmanager webhook, Grafana, Zabbix and the generic format, plus the routing
// file and the matcher syntax. The first byte picks the decoder; the rest is the body. Each
// must accept the body with well-formed alerts or refuse it with a message, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "watch/alerts/matcher.h"
#include "watch/alerts/payload_decoders.h"
#include "watch/alerts/routing_config.h"

namespace {

using namespace failsafe::watch::alerts;

constexpr const char* kKinds[] = {"v2", "alertmanager", "grafana", "zabbix", "generic"};

void Check(const failsafe::Result<std::vector<Alert>>& r) {
  if (!r) {
    if (r.error().message().empty()) __builtin_trap();  // an error must say what
    return;
  }
  for (const auto& a : *r) {
    // Accepted alerts are usable: labels sorted and unique, a time range, the fingerprint.
    for (size_t i = 1; i < a.labels.size(); ++i) {
      if (!(a.labels[i - 1].name < a.labels[i].name)) __builtin_trap();
    }
    if (a.ends_at < a.starts_at) __builtin_trap();
    if (a.fingerprint != AlertFingerprint(a.labels)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const unsigned pick = data[0] % 7;
  DecodeOptions o{1'800'000'000'000, 300'000};
  if (pick < 5) {
    Check(DecoderFor(kKinds[pick])(body, o));
  } else if (pick == 5) {
    auto c = ParseRoutingConfig(body, "fuzz.yaml");
    if (!c && c.error().message().empty()) __builtin_trap();
  } else {
    auto m = Matcher::Parse(body);
    if (m) (void)m->Matches({{"a", "b"}});
  }
  return 0;
}
