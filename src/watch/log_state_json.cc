#include "watch/log_state_json.h"

#include <boost/json.hpp>

#include "base/clock.h"

namespace failsafe::watch {
namespace {

std::string_view TypeName(LogSourceType t) {
  switch (t) {
    case LogSourceType::kFile: return "file";
    case LogSourceType::kSyslogUdp: return "syslog-udp";
    case LogSourceType::kSyslogTcp: return "syslog-tcp";
    case LogSourceType::kHttp: return "http";
    case LogSourceType::kStdin: return "stdin";
  }
  return "unknown";
}

boost::json::array Texts(const std::vector<logs::RegexSource>& regexes) {
  boost::json::array out;
  for (const auto& r : regexes) out.push_back(boost::json::string(r.text));
  return out;
}

boost::json::value TimeOrNull(int64_t ms) {
  if (ms == 0) return nullptr;
  return boost::json::string(FormatRfc3339(ms));
}

std::string_view Kind(const logs::LogRule& rule) {
  if (rule.threshold) return "threshold";
  if (rule.rate) return "rate";
  return "match";  // every match alerts
}

}  // namespace

boost::json::object LogSourceJson(const LogSourceSpec& spec, const std::string& target,
                                  const SourceStats& s) {
  return {{"name", spec.name},
          {"type", TypeName(spec.type)},
          {"target", target},
          {"stats",
           {{"lines", s.lines.load()},
            {"bytes", s.bytes.load()},
            {"truncated", s.truncated.load()},
            {"invalid_utf8", s.invalid_utf8.load()},
            {"malformed", s.malformed.load()},
            {"rejected_connections", s.rejected_connections.load()},
            {"restarts", s.restarts.load()},
            {"last_error", s.last_error()}}}};
}

boost::json::object LogRuleJson(const logs::LogRule& rule, const logs::RuleStats& s) {
  boost::json::object o{{"name", rule.name},
                        {"kind", Kind(rule)},
                        {"severity", rule.severity},
                        {"match", Texts(rule.match)},
                        {"ignore", Texts(rule.ignore)},
                        {"filter", rule.filter},
                        {"threshold", nullptr},
                        {"rate", nullptr}};
  if (rule.threshold) {
    o["threshold"] = {{"count", rule.threshold->count},
                      {"within_seconds", rule.threshold->within_ms / 1000.0},
                      {"by", rule.threshold->by}};
  }
  if (rule.rate) {
    o["rate"] = {{"factor", rule.rate->factor},
                 {"per_seconds", rule.rate->per_ms / 1000.0},
                 {"baseline_seconds", rule.rate->baseline_ms / 1000.0},
                 {"min_count", rule.rate->min_count}};
  }
  o["matched"] = s.matched;
  o["ignored"] = s.ignored;
  o["nofail"] = s.nofail;
  o["no_key"] = s.no_key;
  o["alerts"] = s.alerts;
  o["keys"] = s.keys;
  o["keys_evicted"] = s.keys_evicted;
  o["keys_expired"] = s.keys_expired;
  o["last_match"] = TimeOrNull(s.last_match_ms);
  o["last_alert"] = TimeOrNull(s.last_alert_ms);
  return o;
}

boost::json::object LogDropsJson(const logs::EngineStats& s) {
  return {{"truncated", s.truncated},
          {"binary", s.binary},
          {"no_time", s.no_time},
          {"scan_errors", s.scan_errors},
          {"limit_hits", s.limit_hits}};
}

}  // namespace failsafe::watch
