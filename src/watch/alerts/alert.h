#pragma once
// The alert as Alertmanager has it: a label set (its identity), annotations, a time range and
// the URL of what generated it. Live alerts are kept in memory (live_alerts.h); this header is
// the value type and the label-set helpers every part of alerts/ shares.
//
// Labels are the shared watch::Labels (watch/metrics/series.h), with its LabelValue and
// Fingerprint: a series and the alert a rule raises from it have the same fingerprint.
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "watch/metrics/series.h"

namespace failsafe::watch::alerts {

struct Alert {
  Labels labels;          // sorted by name, names unique, no empty values, never empty
  Labels annotations;     // same rules, may be empty
  int64_t starts_at = 0;  // Unix ms
  int64_t ends_at = 0;    // Unix ms; when the sender gave none, now + resolve timeout
  bool ends_at_given = false;
  int64_t updated_at = 0;
  std::string generator_url;
  std::string source;  // the alert source or user that sent it (for the timeline)
  uint64_t fingerprint = 0;

  bool Resolved(int64_t now_ms) const { return ends_at <= now_ms; }
};

// Label names as Prometheus allows them: [a-zA-Z_][a-zA-Z0-9_]*, at most 256 bytes.
bool ValidLabelName(std::string_view name);

// Reads a JSON object of string values into a sorted label set (empty values dropped).
// kInvalidArgument naming `field` + the label when a value is not a string or a name is
// invalid; the set may come out empty (the caller decides whether that is allowed).
Result<Labels> LabelsFromJson(const boost::json::object& obj, const std::string& field);
// Sorts and de-duplicates (the last value of a name wins), drops empty values.
Labels SortedLabels(Labels labels);
// Sets `name` to `value` when the set has no such label yet (defaults never override).
void AddLabelIfAbsent(Labels& labels, std::string_view name, std::string_view value);

// Alertmanager's fingerprint of a label set: FNV-1a 64 over names and values, 0xff between
// them, labels in name order (watch::Fingerprint). Equal label sets have equal fingerprints
// across restarts.
inline uint64_t AlertFingerprint(const Labels& labels) {
  return Fingerprint(labels);
}
// 16 lower-case hex digits, as in Alertmanager's API.
std::string FingerprintHex(uint64_t fingerprint);

// {"name":"value",...} as JSON text.
std::string LabelsJson(const Labels& labels);

}  // namespace failsafe::watch::alerts
