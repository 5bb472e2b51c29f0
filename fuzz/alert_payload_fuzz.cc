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
  if (pick == 0) {
    // The streaming v2 decoder must answer exactly as the DOM one does.
    auto stream = DecodeV2Alerts(body, o);
    auto dom = DecodeV2AlertsDom(body, o);
    Check(stream);
    if (stream.has_value() != dom.has_value()) __builtin_trap();
    if (!dom) {
      if (stream.error().message() != dom.error().message()) __builtin_trap();
      if (stream.error().field() != dom.error().field()) __builtin_trap();
    } else {
      if (stream->size() != dom->size()) __builtin_trap();
      for (size_t i = 0; i < dom->size(); ++i) {
        const Alert &s = (*stream)[i], &d = (*dom)[i];
        if (s.labels != d.labels || s.annotations != d.annotations ||
            s.generator_url != d.generator_url || s.starts_at != d.starts_at ||
            s.ends_at != d.ends_at || s.ends_at_given != d.ends_at_given) {
          __builtin_trap();
        }
      }
    }
  } else if (pick < 5) {
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
