#pragma once
// The API's JSON shapes of plans (and their JSON Schemas for the route docs).
#include <boost/json.hpp>

#include "plans/plan.h"
#include "plans/plan_store.h"

namespace failsafe::plans {

// A version: lifecycle fields always; the content (scenarios, roles, steps, templates, ...)
// when `with_content`. Times as RFC 3339 (null when not yet).
boost::json::object VersionJson(const PlanVersion& v, bool with_content);
boost::json::object SummaryJson(const PlanSummary& s);

boost::json::value VersionJsonSchema(bool with_content);
boost::json::value SummaryJsonSchema();

}  // namespace failsafe::plans
