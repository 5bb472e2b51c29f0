#pragma once
// Measured response times of an incident against its severity's targets. Pure functions: the
// caller loads the incident, the severity level and the status updates.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "incidents/incident.h"

namespace failsafe::postmortems {

// met: reached within the target; missed: reached late, or not reached although the target
// has passed; pending: not reached and the target has not passed yet; no_target: the
// severity sets no target for it (duration may still be known); not_reached: no target and
// not reached.
inline constexpr std::string_view kMet = "met";
inline constexpr std::string_view kMissed = "missed";
inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kNoTarget = "no_target";
inline constexpr std::string_view kNotReached = "not_reached";

struct Measure {
  std::string name;  // to_acknowledge | to_mitigate | to_recover | to_verify | update_gap
  std::optional<int64_t> duration_ms;  // nullopt when not reached
  std::optional<int64_t> target_ms;    // nullopt when there is none
  std::string result;                  // one of the constants above
  // duration - target (positive: missed by that much; negative: met with that much to
  // spare). For a target passed without being reached: now - start - target.
  std::optional<int64_t> delta_ms;
};

// Compares one interval with a target. `end` is when it was reached; `now` decides whether
// an unreached target has passed. A target of 0 or less means none.
Measure MeasureInterval(std::string name, int64_t start, std::optional<int64_t> end,
                        int64_t target_ms, int64_t now);

// The four lifecycle measures (from declared_at to acknowledged/mitigating/recovered/
// verified; acknowledge against ack_target_ms, recover against resolve_target_ms) and the
// longest gap between status updates (from declaration, up to recovery or `now`) against
// update_cadence_ms. `severity` may be nullopt (no targets known).
std::vector<Measure> MeasureIncident(const incidents::Incident& incident,
                                     const std::optional<catalog::SeverityLevel>& severity,
                                     const std::vector<int64_t>& status_update_times, int64_t now);

}  // namespace failsafe::postmortems
