#pragma once
// Module-internal: reading request bodies into catalog entities, field by field, strictly
// (unknown fields, wrong types and values outside their rules are kInvalidArgument naming the
// field). Each Apply* function sets only the fields present in `body` onto `inout`, so one
// function serves create (start from defaults, `creating` = true: required fields must be
// there) and PATCH (start from the stored entity). A JSON null clears an optional reference
// (owner_team, user_id, escalation_policy). References to other rows stay keys here; the
// storage layer resolves them. Pure functions; thread-safe.
#include <boost/json.hpp>

#include "catalog/catalog_store.h"

namespace failsafe::catalog {

// A key or handle: 1..63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.
bool IsSlug(std::string_view text);
// A duration field as ops people write it ("4h", "30m", "5s", "0s"); kInvalidArgument naming
// `field` otherwise.
Result<int64_t> ReadDurationText(std::string_view text, const std::string& field);

Status ApplyServiceInput(const boost::json::object& body, bool creating, Service& inout);
Status ApplyTeamInput(const boost::json::object& body, bool creating, Team& inout);
Status ApplyPersonInput(const boost::json::object& body, bool creating, Person& inout);
Status ApplyScheduleInput(const boost::json::object& body, bool creating, Schedule& inout);
Status ApplyPolicyInput(const boost::json::object& body, bool creating, EscalationPolicy& inout);
Status ApplySeverityInput(const boost::json::object& body, SeverityLevel& inout);
// {"person": handle, "start": RFC 3339, "end": RFC 3339}
Status ReadOverrideInput(const boost::json::object& body, ScheduleOverride& out);

}  // namespace failsafe::catalog
