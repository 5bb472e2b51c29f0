#pragma once
// JSON forms of policies, runs and drills. SpecJson is the canonical definition without
// secrets (what the store keeps and ParsePolicy reads back); ApiJson adds the id, times and
// which secrets are set, never their values.
#include <boost/json.hpp>

#include "backup/service/policy.h"
#include "backup/service/records.h"

namespace failsafe::backup::service {

boost::json::object SpecJson(const Policy& policy);
boost::json::object ApiJson(const Policy& policy);
boost::json::object RunJson(const RunRecord& run);
boost::json::object DrillJson(const DrillRecord& drill);

// The secrets of every destination as {"url": {...}} (sealed as one value).
std::string SecretsJson(const Policy& policy);
// Fills the destinations' secrets from SecretsJson text; unknown URLs are ignored.
Status ApplySecretsJson(const std::string& text, Policy& policy);

}  // namespace failsafe::backup::service
