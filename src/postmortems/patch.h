#pragma once
// Applying a PATCH body to a postmortem, and the rules of its status. Pure: validates the
// whole body before changing anything, so a rejected patch leaves `p` untouched.
#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "base/result.h"
#include "postmortems/postmortem.h"

namespace failsafe::postmortems {

// Fields (all optional): title, summary, impact, impacted_services [string],
// users_affected (string or non-negative integer), root_causes [{category, description,
// whys [string, at most 5]}], went_well [string], went_badly [string], step_evaluations
// [{step_key, verdict, comment}] (merged into the existing evaluations by step_key),
// extra_revisions [string], status.
// kInvalidArgument naming the field for malformed input; kConflict when the postmortem is
// published (nothing changes after that), for a transition the status rules forbid, or when
// publishing without a summary or a root cause.
Status ApplyPatch(Postmortem& p, const boost::json::object& body, std::string_view actor,
                  int64_t now);

// draft -> in_review -> published; in_review -> draft. Same status: allowed (no change).
bool TransitionAllowed(std::string_view from, std::string_view to);

}  // namespace failsafe::postmortems
