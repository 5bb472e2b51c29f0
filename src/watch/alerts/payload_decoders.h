#pragma once
// Decoders of the alert payloads failsafe accepts. Each turns one request body into alerts
// (labels sorted, times in Unix ms, fingerprint set) or fails with kInvalidArgument naming the
// field ("[2].labels", "alerts[0].startsAt"), never a crash: bodies come from outside.
//
//   DecodeV2Alerts            POST /api/v2/alerts: [{labels, annotations, startsAt, endsAt,
//                             generatorURL}] (what Prometheus sends)
//   DecodeAlertmanagerWebhook Alertmanager webhook, version 4: {version, alerts[{status,
//                             labels, annotations, startsAt, endsAt, generatorURL}], ...}
//   DecodeGrafanaWebhook      Grafana alerting webhook (the same shape plus valueString,
//                             dashboardURL, panelURL, silenceURL)
//   DecodeZabbixWebhook       the JSON the Zabbix webhook media type of docs/watch/alerts.md
//                             posts ({event_id, event_name, host, severity, event_value, ...})
//   DecodeGenericAlerts       failsafe's generic format: {alerts:[{name, status, labels, ...}]}
//                             or one such object
//
// Times: RFC 3339; a missing or zero time ("0001-01-01T00:00:00Z") is "not given": startsAt
// becomes now, endsAt now + resolve_timeout (re-sent alerts stay firing), except for alerts
// marked resolved, which end now.
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/alerts/alert.h"

namespace failsafe::watch::alerts {

struct DecodeOptions {
  int64_t now_ms = 0;
  int64_t resolve_timeout_ms = 5 * 60 * 1000;
};

Result<std::vector<Alert>> DecodeV2Alerts(std::string_view body, const DecodeOptions& o);
// The same through a Boost.JSON DOM: slower, kept as the reference DecodeV2Alerts (streaming,
// decode_v2_stream.cc) is tested and fuzzed against.
Result<std::vector<Alert>> DecodeV2AlertsDom(std::string_view body, const DecodeOptions& o);
Result<std::vector<Alert>> DecodeAlertmanagerWebhook(std::string_view body, const DecodeOptions& o);
Result<std::vector<Alert>> DecodeGrafanaWebhook(std::string_view body, const DecodeOptions& o);
Result<std::vector<Alert>> DecodeZabbixWebhook(std::string_view body, const DecodeOptions& o);
Result<std::vector<Alert>> DecodeGenericAlerts(std::string_view body, const DecodeOptions& o);

// The payload kinds by name ("v2", "alertmanager", "grafana", "zabbix", "generic"), for the
// fuzz target and the receiver routes; nullptr for an unknown name.
using Decoder = Result<std::vector<Alert>> (*)(std::string_view, const DecodeOptions&);
Decoder DecoderFor(std::string_view kind);

}  // namespace failsafe::watch::alerts
