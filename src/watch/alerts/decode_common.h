#pragma once
// Module-internal: what the payload decoders share (reading times, finishing an alert).
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "base/result.h"
#include "watch/alerts/payload_decoders.h"

namespace failsafe::watch::alerts::decode {

// The JSON nesting the decoders accept (as base/json.h's Parse).
inline constexpr int kMaxJsonDepth = 64;

// An RFC 3339 time given as text; nullopt when empty or a zero time (before 1970, as Go's
// zero time.Time is); kInvalidArgument naming `field` when malformed.
Result<std::optional<int64_t>> TimeFromText(std::string_view text, const std::string& field);
// An optional RFC 3339 string member; nullopt when absent or null, else as TimeFromText.
Result<std::optional<int64_t>> OptionalTime(const boost::json::object& obj, std::string_view key,
                                            const std::string& field);
// An optional string member ("" when absent or null); error when of another type.
Result<std::string> OptionalText(const boost::json::object& obj, std::string_view key,
                                 const std::string& field);
// The labels object member, required non-empty when `required`.
Result<Labels> LabelsMember(const boost::json::object& obj, std::string_view key,
                            const std::string& field, bool required);

// Fills the times (defaults described in payload_decoders.h; `resolved` forces an end),
// checks endsAt >= startsAt and computes the fingerprint.
Status Finish(Alert& alert, std::optional<int64_t> starts, std::optional<int64_t> ends,
              bool resolved, const DecodeOptions& o, const std::string& field);

// Parses `body` as JSON, with the parse error prefixed by `what`.
Result<boost::json::value> ParseBody(std::string_view body, std::string_view what);

}  // namespace failsafe::watch::alerts::decode
