#pragma once
// The incident report over a period: incidents by severity and by service, MTTA/MTTR, the
// share of acknowledge and resolve targets met, overdue action items, and one row per
// incident (the CSV export). Incidents merged into another are left out (the survivor counts).
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "incidents/incident.h"
#include "postmortems/labels.h"
#include "postmortems/postmortem.h"
#include "store/store.h"

namespace failsafe::postmortems {

// [from_ms, to_ms): incidents declared in it.
struct Period {
  int64_t from_ms = 0, to_ms = 0;
};

// `from` and `to` are days ("2026-01-01", `to` inclusive: up to the end of that day) or RFC
// 3339 times (`to` exclusive). Defaults: the 30 days up to now. kInvalidArgument naming
// "from" or "to" for malformed values or from >= to.
Result<Period> ParsePeriod(const std::optional<std::string>& from,
                           const std::optional<std::string>& to, int64_t now);

struct ReportRow {
  incidents::Incident incident;
  std::optional<int64_t> time_to_ack_ms, time_to_recover_ms;
  std::string ack_result, resolve_result;  // measure.h results
  std::string postmortem_status;           // "" when none
};

struct SeverityCount {
  std::string level, name_en, name_zh;
  int count = 0;
  std::optional<int64_t> mtta_ms, mttr_ms;
};

struct TargetShare {
  int met = 0, missed = 0;  // pending and no-target incidents are not counted
  std::optional<double> share() const {
    if (met + missed == 0) return std::nullopt;
    return static_cast<double>(met) / (met + missed);
  }
};

struct Report {
  Period period;
  int64_t generated_at = 0;
  int total = 0;
  std::vector<SeverityCount> by_severity;  // every known level, most severe first
  std::map<std::string, int> by_service;   // an incident counts once for each of its services
  std::optional<int64_t> mtta_ms, mttr_ms;
  TargetShare ack, resolve;
  std::vector<ActionItem> overdue_actions;  // all pending actions past due, as of now
  std::vector<ReportRow> rows;              // oldest first
};

// kInvalidArgument when the period holds more than 100,000 incidents (narrow it).
Result<Report> BuildReport(store::Tx& tx, const Period& period, int64_t now);

boost::json::object ReportJson(const Report& r);
// The incident rows as CSV, with a BOM and headers in `lang`.
std::string ReportCsv(const Report& r, Lang lang);

}  // namespace failsafe::postmortems
