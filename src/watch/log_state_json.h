#pragma once
// The JSON the console's logs page reads (GET /api/v1/watch/logs): each log source with what it
// reads and what it had to drop, each log rule as written with its counters and last times.
#include <boost/json/object.hpp>
#include <string>

#include "watch/logs/engine.h"
#include "watch/logs/rule.h"
#include "watch/logsources/log_source_config.h"

namespace failsafe::watch {

// {name, type, target, stats: {lines, bytes, truncated, invalid_utf8, malformed,
//  rejected_connections, restarts, last_error}}. `target` is what the source reads: the path
// (or glob), the bound syslog address, the push URL.
boost::json::object LogSourceJson(const LogSourceSpec& spec, const std::string& target,
                                  const SourceStats& stats);

// {name, kind (threshold | rate | match), severity, match, ignore, filter, threshold, rate,
//  matched, ignored, nofail, no_key, alerts, keys, keys_evicted, keys_expired, last_match,
//  last_alert}. Times are RFC 3339 from the lines' own times, null before the first.
boost::json::object LogRuleJson(const logs::LogRule& rule, const logs::RuleStats& stats);

// Lines the engine cut or could not judge: {truncated, binary, no_time, scan_errors, limit_hits}.
boost::json::object LogDropsJson(const logs::EngineStats& stats);

}  // namespace failsafe::watch
