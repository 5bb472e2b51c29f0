#include "postmortems/measure.h"

#include <algorithm>

namespace failsafe::postmortems {

Measure MeasureInterval(std::string name, int64_t start, std::optional<int64_t> end,
                        int64_t target_ms, int64_t now) {
  Measure m;
  m.name = std::move(name);
  if (target_ms > 0) m.target_ms = target_ms;
  if (end) m.duration_ms = std::max<int64_t>(0, *end - start);
  if (!m.target_ms) {
    m.result = m.duration_ms ? kNoTarget : kNotReached;
    return m;
  }
  if (m.duration_ms) {
    m.delta_ms = *m.duration_ms - target_ms;
    m.result = *m.duration_ms <= target_ms ? kMet : kMissed;
    return m;
  }
  const int64_t elapsed = now - start;
  if (elapsed > target_ms) {
    m.result = kMissed;
    m.delta_ms = elapsed - target_ms;
  } else {
    m.result = kPending;
  }
  return m;
}

std::vector<Measure> MeasureIncident(const incidents::Incident& incident,
                                     const std::optional<catalog::SeverityLevel>& severity,
                                     const std::vector<int64_t>& status_update_times, int64_t now) {
  const int64_t ack_target = severity ? severity->ack_target_ms : 0;
  const int64_t resolve_target = severity ? severity->resolve_target_ms : 0;
  const int64_t cadence = severity ? severity->update_cadence_ms : 0;
  const int64_t start = incident.declared_at;
  // Once recovered, nothing more can be measured late: pending targets freeze at recovery.
  const int64_t horizon = incident.recovered_at.value_or(now);

  std::vector<Measure> out;
  out.push_back(
      MeasureInterval("to_acknowledge", start, incident.acknowledged_at, ack_target, horizon));
  out.push_back(MeasureInterval("to_mitigate", start, incident.mitigating_at, 0, horizon));
  out.push_back(MeasureInterval("to_recover", start, incident.recovered_at, resolve_target, now));
  out.push_back(MeasureInterval("to_verify", start, incident.verified_at, 0, now));

  // The longest silence: declaration -> first update -> ... -> last update -> horizon.
  std::vector<int64_t> times;
  for (int64_t t : status_update_times) {
    if (t >= start && t <= horizon) times.push_back(t);
  }
  std::sort(times.begin(), times.end());
  int64_t longest = 0, previous = start;
  for (int64_t t : times) {
    longest = std::max(longest, t - previous);
    previous = t;
  }
  longest = std::max(longest, horizon - previous);
  out.push_back(MeasureInterval("update_gap", 0, longest, cadence, 0));
  return out;
}

}  // namespace failsafe::postmortems
