#pragma once
// Module-internal: the API's JSON shape of each catalog entity, and the JSON Schemas of route
// docs that describe it. Durations appear twice: as text ("4h", what people write back) and
// as milliseconds ("rto_ms", for programs). Pure functions; thread-safe.
#include <boost/json.hpp>

#include "catalog/catalog_store.h"

namespace failsafe::catalog {

boost::json::object ServiceJson(const Service& s);
boost::json::object TeamJson(const Team& t);
boost::json::object PersonJson(const Person& p);
boost::json::object ScheduleJson(const Schedule& s);
boost::json::object OverrideJson(const ScheduleOverride& o);
boost::json::object PolicyJson(const EscalationPolicy& p);
boost::json::object SeverityJson(const SeverityLevel& s);

// Request (create) and response schemas, for RouteDoc.
boost::json::value ServiceSchema(bool request);
boost::json::value TeamSchema(bool request);
boost::json::value PersonSchema(bool request);
boost::json::value ScheduleSchema(bool request);
boost::json::value OverrideSchema(bool request);
boost::json::value PolicySchema(bool request);
boost::json::value SeveritySchema(bool request);

}  // namespace failsafe::catalog
