#include "watch/alerts/decode_common.h"

#include "base/clock.h"
#include "base/json.h"

namespace failsafe::watch::alerts::decode {

Result<std::optional<int64_t>> OptionalTime(const boost::json::object& obj, std::string_view key,
                                            const std::string& field) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (!v->is_string()) {
    return Err(InvalidArgument("must be an RFC 3339 time string", field));
  }
  const auto& s = v->get_string();
  return TimeFromText(std::string_view(s.data(), s.size()), field);
}

Result<std::optional<int64_t>> TimeFromText(std::string_view text, const std::string& field) {
  if (text.empty()) return std::optional<int64_t>();
  auto t = ParseRfc3339(text);
  if (!t) {
    return Err(InvalidArgument("must be an RFC 3339 time such as 2026-11-22T08:30:00Z, got \"" +
                                   std::string(text.substr(0, 40)) + "\"",
                               field));
  }
  if (*t <= 0) return std::optional<int64_t>();  // Go's zero time: "not set"
  return std::optional<int64_t>(*t);
}

Result<std::string> OptionalText(const boost::json::object& obj, std::string_view key,
                                 const std::string& field) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return Err(InvalidArgument("must be a string", field));
  return std::string(v->get_string());
}

Result<Labels> LabelsMember(const boost::json::object& obj, std::string_view key,
                            const std::string& field, bool required) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return Err(InvalidArgument("is required (a non-empty object of labels)", field));
    return Labels{};
  }
  if (!v->is_object()) return Err(InvalidArgument("must be an object of string labels", field));
  FS_ASSIGN_OR_RETURN(Labels labels, LabelsFromJson(v->get_object(), field));
  if (required && labels.empty()) {
    return Err(InvalidArgument("must have at least one label with a value", field));
  }
  return labels;
}

Status Finish(Alert& alert, std::optional<int64_t> starts, std::optional<int64_t> ends,
              bool resolved, const DecodeOptions& o, const std::string& field) {
  alert.starts_at = starts.value_or(o.now_ms);
  if (ends) {
    alert.ends_at = *ends;
    alert.ends_at_given = true;
  } else if (resolved) {
    alert.ends_at = o.now_ms;
    alert.ends_at_given = true;
  } else {
    alert.ends_at = std::max(alert.starts_at, o.now_ms) + o.resolve_timeout_ms;
  }
  if (alert.ends_at < alert.starts_at) {
    return InvalidArgument("endsAt is before startsAt", field + ".endsAt");
  }
  alert.updated_at = o.now_ms;
  alert.fingerprint = AlertFingerprint(alert.labels);
  return Status::Ok();
}

Result<boost::json::value> ParseBody(std::string_view body, std::string_view what) {
  auto v = json::Parse(body);
  if (!v) return Err(InvalidArgument(std::string(what) + ": " + v.error().message()));
  return std::move(*v);
}

}  // namespace failsafe::watch::alerts::decode
