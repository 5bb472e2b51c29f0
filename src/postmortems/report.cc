#include "postmortems/report.h"

#include <algorithm>

#include "base/clock.h"
#include "catalog/catalog.h"
#include "postmortems/csv.h"
#include "postmortems/measure.h"
#include "postmortems/postmortem_json.h"

namespace failsafe::postmortems {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr size_t kMaxIncidents = 100'000;

Result<int64_t> ParseBound(const std::string& text, const char* field, bool end) {
  if (auto day = DayStartMillis(text)) return end ? *day + kDayMs : *day;
  if (auto t = ParseRfc3339(text)) return *t;
  return Err(InvalidArgument(std::string(field) +
                                 " must be a day (2026-01-31) or an RFC 3339 "
                                 "time, got \"" +
                                 text + "\"",
                             field));
}

std::optional<int64_t> Mean(const std::vector<int64_t>& values) {
  if (values.empty()) return std::nullopt;
  long double sum = 0;
  for (int64_t v : values) sum += v;
  return static_cast<int64_t>(sum / values.size());
}

void Count(TargetShare& share, const std::string& result) {
  if (result == kMet) ++share.met;
  if (result == kMissed) ++share.missed;
}

boost::json::value OptInt(const std::optional<int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::object ShareJson(const TargetShare& s) {
  auto share = s.share();
  return {{"met", s.met},
          {"missed", s.missed},
          {"share", share ? boost::json::value(*share) : boost::json::value(nullptr)}};
}

std::string MinutesCell(const std::optional<int64_t>& ms) {
  if (!ms) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(*ms) / 60000.0);
  return buf;
}

std::string TimeCell(const std::optional<int64_t>& ms) {
  return ms ? FormatRfc3339(*ms) : "";
}

}  // namespace

Result<Period> ParsePeriod(const std::optional<std::string>& from,
                           const std::optional<std::string>& to, int64_t now) {
  Period p;
  p.to_ms = now;
  if (to && !to->empty()) {
    FS_ASSIGN_OR_RETURN(p.to_ms, ParseBound(*to, "to", true));
  }
  p.from_ms = p.to_ms - 30 * kDayMs;
  if (from && !from->empty()) {
    FS_ASSIGN_OR_RETURN(p.from_ms, ParseBound(*from, "from", false));
  }
  if (p.from_ms >= p.to_ms) return Err(InvalidArgument("from must be before to", "from"));
  return p;
}

Result<Report> BuildReport(store::Tx& tx, const Period& period, int64_t now) {
  Report r;
  r.period = period;
  r.generated_at = now;

  std::vector<incidents::Incident> list;
  incidents::IncidentQuery q;
  q.since_ms = period.from_ms;
  q.until_ms = period.to_ms;
  q.limit = 500;
  while (true) {
    FS_ASSIGN_OR_RETURN(auto page, incidents::ListIncidents(tx, q));
    for (auto& i : page) list.push_back(std::move(i));
    if (list.size() > kMaxIncidents) {
      return Err(InvalidArgument("the period holds more than 100000 incidents: narrow it", "from"));
    }
    if (page.size() < static_cast<size_t>(q.limit)) break;
    q.before_id = list.back().id;
  }
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return a.declared_at != b.declared_at ? a.declared_at < b.declared_at : a.id < b.id;
  });

  FS_ASSIGN_OR_RETURN(auto levels, catalog::ListSeverities(tx));
  std::map<std::string, catalog::SeverityLevel> level_by_name;
  for (const auto& l : levels) {
    level_by_name[l.level] = l;
    r.by_severity.push_back({l.level, l.name_en, l.name_zh, 0, std::nullopt, std::nullopt});
  }

  FS_ASSIGN_OR_RETURN(auto pm_rows,
                      tx.Query("SELECT p.incident_id, p.status FROM postmortems p JOIN incidents i "
                               "ON i.id = p.incident_id WHERE i.declared_at >= ? AND "
                               "i.declared_at < ?",
                               {period.from_ms, period.to_ms}));
  std::map<int64_t, std::string> pm_status;
  for (const auto& row : pm_rows) pm_status[row.Int(0)] = row.Text(1);

  std::vector<int64_t> all_tta, all_ttr;
  std::map<std::string, std::pair<std::vector<int64_t>, std::vector<int64_t>>> per_level;
  for (auto& incident : list) {
    if (incident.merged_into_id) continue;
    ReportRow row;
    const auto level = level_by_name.find(incident.severity);
    const int64_t ack_target = level != level_by_name.end() ? level->second.ack_target_ms : 0;
    const int64_t resolve_target =
        level != level_by_name.end() ? level->second.resolve_target_ms : 0;
    const int64_t horizon = incident.recovered_at.value_or(now);
    Measure ack = MeasureInterval("to_acknowledge", incident.declared_at, incident.acknowledged_at,
                                  ack_target, horizon);
    Measure rec = MeasureInterval("to_recover", incident.declared_at, incident.recovered_at,
                                  resolve_target, now);
    row.time_to_ack_ms = ack.duration_ms;
    row.time_to_recover_ms = rec.duration_ms;
    row.ack_result = ack.result;
    row.resolve_result = rec.result;
    if (auto it = pm_status.find(incident.id); it != pm_status.end()) {
      row.postmortem_status = it->second;
    }
    Count(r.ack, ack.result);
    Count(r.resolve, rec.result);
    if (ack.duration_ms) {
      all_tta.push_back(*ack.duration_ms);
      per_level[incident.severity].first.push_back(*ack.duration_ms);
    }
    if (rec.duration_ms) {
      all_ttr.push_back(*rec.duration_ms);
      per_level[incident.severity].second.push_back(*rec.duration_ms);
    }
    auto counted = std::find_if(r.by_severity.begin(), r.by_severity.end(),
                                [&](const auto& s) { return s.level == incident.severity; });
    if (counted == r.by_severity.end()) {
      r.by_severity.push_back({incident.severity, "", "", 0, std::nullopt, std::nullopt});
      counted = r.by_severity.end() - 1;
    }
    ++counted->count;
    for (const auto& service : incident.services) ++r.by_service[service];
    ++r.total;
    row.incident = std::move(incident);
    r.rows.push_back(std::move(row));
  }
  for (auto& s : r.by_severity) {
    if (auto it = per_level.find(s.level); it != per_level.end()) {
      s.mtta_ms = Mean(it->second.first);
      s.mttr_ms = Mean(it->second.second);
    }
  }
  r.mtta_ms = Mean(all_tta);
  r.mttr_ms = Mean(all_ttr);

  ActionQuery aq;
  aq.overdue_on = UtcDay(now);
  aq.limit = 1000;
  FS_ASSIGN_OR_RETURN(r.overdue_actions, ListActions(tx, aq));
  return r;
}

boost::json::object ReportJson(const Report& r) {
  boost::json::array severities;
  for (const auto& s : r.by_severity) {
    severities.emplace_back(boost::json::object{{"severity", s.level},
                                                {"name_en", s.name_en},
                                                {"name_zh", s.name_zh},
                                                {"count", s.count},
                                                {"mtta_ms", OptInt(s.mtta_ms)},
                                                {"mttr_ms", OptInt(s.mttr_ms)}});
  }
  boost::json::array services;
  for (const auto& [key, count] : r.by_service) {
    services.emplace_back(boost::json::object{{"service", key}, {"count", count}});
  }
  boost::json::array incidents;
  for (const auto& row : r.rows) {
    boost::json::array svc;
    for (const auto& s : row.incident.services) svc.emplace_back(s);
    incidents.emplace_back(boost::json::object{
        {"id", row.incident.id},
        {"ref", row.incident.ref},
        {"title", row.incident.title},
        {"severity", row.incident.severity},
        {"status", row.incident.status},
        {"services", std::move(svc)},
        {"declared_at", FormatRfc3339(row.incident.declared_at)},
        {"time_to_ack_ms", OptInt(row.time_to_ack_ms)},
        {"time_to_recover_ms", OptInt(row.time_to_recover_ms)},
        {"ack_result", row.ack_result},
        {"resolve_result", row.resolve_result},
        {"postmortem_status", row.postmortem_status.empty()
                                  ? boost::json::value(nullptr)
                                  : boost::json::value(row.postmortem_status)}});
  }
  boost::json::array overdue;
  const std::string today = UtcDay(r.generated_at);
  for (const auto& a : r.overdue_actions) overdue.emplace_back(ActionJson(a, today));
  return {{"from", FormatRfc3339(r.period.from_ms)},
          {"to", FormatRfc3339(r.period.to_ms)},
          {"generated_at", FormatRfc3339(r.generated_at)},
          {"total", r.total},
          {"by_severity", std::move(severities)},
          {"by_service", std::move(services)},
          {"mtta_ms", OptInt(r.mtta_ms)},
          {"mttr_ms", OptInt(r.mttr_ms)},
          {"ack_target", ShareJson(r.ack)},
          {"resolve_target", ShareJson(r.resolve)},
          {"overdue_actions", std::move(overdue)},
          {"incidents", std::move(incidents)}};
}

std::string ReportCsv(const Report& r, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string out(kUtf8Bom);
  out += CsvRecord(
      zh ? std::vector<std::string>{"编号", "标题", "级别", "状态", "服务", "宣布时间", "确认时间",
                                    "恢复时间", "确认用时(分钟)", "恢复用时(分钟)", "确认目标",
                                    "恢复目标", "复盘状态"}
         : std::vector<std::string>{"Ref", "Title", "Severity", "Status", "Services", "Declared",
                                    "Acknowledged", "Recovered", "Minutes to acknowledge",
                                    "Minutes to recover", "Acknowledge target", "Resolve target",
                                    "Postmortem"});
  for (const auto& row : r.rows) {
    std::string services;
    for (const auto& s : row.incident.services) services += (services.empty() ? "" : "; ") + s;
    out += CsvRecord(
        {row.incident.ref, row.incident.title, row.incident.severity, row.incident.status, services,
         FormatRfc3339(row.incident.declared_at), TimeCell(row.incident.acknowledged_at),
         TimeCell(row.incident.recovered_at), MinutesCell(row.time_to_ack_ms),
         MinutesCell(row.time_to_recover_ms), Label(lang, "result." + row.ack_result),
         Label(lang, "result." + row.resolve_result),
         row.postmortem_status.empty() ? "" : Label(lang, "status." + row.postmortem_status)});
  }
  return out;
}

}  // namespace failsafe::postmortems
