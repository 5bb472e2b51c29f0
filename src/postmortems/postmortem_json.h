#pragma once
// JSON shapes of the API (times as RFC 3339 UTC, durations in milliseconds).
#include <boost/json.hpp>
#include <string_view>

#include "postmortems/postmortem.h"
#include "postmortems/review.h"

namespace failsafe::postmortems {

// {id, postmortem_id, incident_ref, title, owner, due_date, status, overdue, notes,
//  created_by, created_at, updated_at, done_at}
boost::json::object ActionJson(const ActionItem& a, std::string_view today);
// The list item: {id, incident_id, incident_ref, title, status, created_by, created_at,
//  updated_at, published_at}
boost::json::object SummaryJson(const Postmortem& p);
// Everything: the summary fields plus incident, impact, measures, timeline, root causes,
// went well/badly, plan evaluation, proposed revisions and actions.
boost::json::object ViewJson(const PostmortemView& v);

// JSON Schemas for route docs.
boost::json::value ActionSchema();
boost::json::value SummarySchema();
boost::json::value ViewSchema();

}  // namespace failsafe::postmortems
