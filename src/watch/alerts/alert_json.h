#pragma once
// Module-internal: alerts in the Alertmanager API v2 shape (gettableAlert) and the filters of
// GET /api/v2/alerts and /api/v2/alerts/groups.
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "server/http_types.h"
#include "watch/alerts/context.h"
#include "watch/alerts/muting.h"

namespace failsafe::watch::alerts {

struct AlertFilter {
  bool active = true, silenced = true, inhibited = true, unprocessed = true;
  Matchers matchers;                    // filter=name="value" (repeatable)
  std::optional<std::string> receiver;  // regex on the receiver (route) name
  std::shared_ptr<Matcher> receiver_re;
};
// Reads the query: booleans active/silenced/inhibited/unprocessed, repeated filter=,
// receiver=. kInvalidArgument naming the parameter.
Result<AlertFilter> FilterFrom(const server::Request& request);

// Whether `alert` with `state` passes the filter (resolved alerts never do, as in
// Alertmanager).
bool Passes(const AlertFilter& f, const Alert& alert, const MuteState& state,
            const std::string& receiver, int64_t now_ms);

// Writes one gettableAlert.
void WriteAlert(json::Writer& w, const Alert& a, const MuteState& state,
                const std::string& receiver);

// All values of `key` in the raw query of `target` (decoded), for repeated parameters.
std::vector<std::string> QueryValues(std::string_view target, std::string_view key);

}  // namespace failsafe::watch::alerts
