#include "incidents/incident.h"

#include <charconv>
#include <cstdio>

#include "base/clock.h"
#include "base/json.h"

namespace failsafe::incidents {
namespace {

constexpr const char* kIncidentColumns =
    "id, ref, title, severity, status, summary, plan_version_id, plan_key, plan_version, "
    "declared_by, declared_at, acknowledged_at, mitigating_at, recovered_at, verified_at, "
    "closed_at, merged_into_id, updated_at";

Incident IncidentFromRow(const store::Row& r) {
  Incident i;
  i.id = r.Int(0);
  i.ref = r.Text(1);
  i.title = r.Text(2);
  i.severity = r.Text(3);
  i.status = r.Text(4);
  i.summary = r.Text(5);
  i.plan_version_id = r.OptInt(6);
  i.plan_key = r.Text(7);
  i.plan_version = static_cast<int>(r.Int(8));
  i.declared_by = r.Text(9);
  i.declared_at = r.Int(10);
  i.acknowledged_at = r.OptInt(11);
  i.mitigating_at = r.OptInt(12);
  i.recovered_at = r.OptInt(13);
  i.verified_at = r.OptInt(14);
  i.closed_at = r.OptInt(15);
  i.merged_into_id = r.OptInt(16);
  i.updated_at = r.Int(17);
  return i;
}

Status LoadServices(store::Tx& tx, Incident& incident) {
  FS_ASSIGN_OR_RETURN_STATUS(
      auto rows, tx.Query("SELECT service_key FROM incident_services WHERE incident_id = ? "
                          "ORDER BY service_key",
                          {incident.id}));
  incident.services.clear();
  for (const auto& r : rows) incident.services.push_back(r.Text(0));
  return Status::Ok();
}

Result<std::optional<Incident>> FindWhere(store::Tx& tx, const std::string& where,
                                          store::Value param) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kIncidentColumns +
                                                " FROM incidents WHERE " + where,
                                            {std::move(param)}));
  if (!row) return std::optional<Incident>();
  Incident incident = IncidentFromRow(*row);
  FS_RETURN_IF_ERROR(LoadServices(tx, incident));
  return std::optional<Incident>(std::move(incident));
}

// The UTC calendar year of a Unix time in ms (RFC 3339 text starts with it).
int YearOf(int64_t unix_ms) {
  const std::string text = FormatRfc3339(unix_ms);
  int year = 1970;
  std::from_chars(text.data(), text.data() + 4, year);
  return year;
}

const char* StampColumn(std::string_view status) {
  if (status == kAcknowledged) return "acknowledged_at";
  if (status == kMitigating) return "mitigating_at";
  if (status == kRecovered) return "recovered_at";
  if (status == kVerified) return "verified_at";
  if (status == kClosed) return "closed_at";
  return nullptr;
}

}  // namespace

Result<std::optional<Incident>> FindIncidentById(store::Tx& tx, int64_t id) {
  return FindWhere(tx, "id = ?", id);
}

Result<std::optional<Incident>> FindIncident(store::Tx& tx, std::string_view id_or_ref) {
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(id_or_ref.data(), id_or_ref.data() + id_or_ref.size(), id);
  if (ec == std::errc() && ptr == id_or_ref.data() + id_or_ref.size() && id > 0) {
    return FindIncidentById(tx, id);
  }
  std::string ref(id_or_ref);
  for (auto& c : ref) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return FindWhere(tx, "ref = ?", ref);
}

Result<std::vector<RoleAssignment>> LoadRoles(store::Tx& tx, int64_t incident_id) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT role, role_name, person_id, person_handle, "
                                          "person_name, assigned_at FROM incident_roles "
                                          "WHERE incident_id = ? ORDER BY assigned_at, role",
                                          {incident_id}));
  std::vector<RoleAssignment> out;
  for (const auto& r : rows) {
    out.push_back({r.Text(0), r.Text(1), r.OptInt(2), r.Text(3), r.Text(4), r.Int(5)});
  }
  return out;
}

Result<std::vector<ChecklistItem>> LoadChecklist(store::Tx& tx, int64_t incident_id) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT id, position, step_key, phase, role, title, instructions, "
                               "expected_duration_ms, required, done_at, done_by, note, "
                               "assignee_id, assignee_handle, assignee_name "
                               "FROM incident_checklist WHERE incident_id = ? ORDER BY position",
                               {incident_id}));
  std::vector<ChecklistItem> out;
  for (const auto& r : rows) {
    ChecklistItem c;
    c.id = r.Int(0);
    c.position = static_cast<int>(r.Int(1));
    c.step_key = r.Text(2);
    c.phase = r.Text(3);
    c.role = r.Text(4);
    c.title = r.Text(5);
    c.instructions = r.Text(6);
    c.expected_duration_ms = r.Int(7);
    c.required = r.Int(8) != 0;
    c.done_at = r.OptInt(9);
    c.done_by = r.Text(10);
    c.note = r.Text(11);
    c.assignee_id = r.OptInt(12);
    c.assignee_handle = r.Text(13);
    c.assignee_name = r.Text(14);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<TimelineEvent>> LoadTimeline(store::Tx& tx, int64_t incident_id) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, at, actor, kind, text, detail FROM "
                                          "incident_timeline WHERE incident_id = ? ORDER BY id",
                                          {incident_id}));
  std::vector<TimelineEvent> out;
  for (const auto& r : rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
  }
  return out;
}

Result<std::vector<StatusUpdate>> LoadStatusUpdates(store::Tx& tx, int64_t incident_id) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT id, at, author, stage, audience, language, title, body "
                               "FROM incident_status_updates WHERE incident_id = ? ORDER BY id",
                               {incident_id}));
  std::vector<StatusUpdate> out;
  for (const auto& r : rows) {
    out.push_back(
        {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
  }
  return out;
}

std::vector<std::string> SearchWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      flush();
    } else if (text.substr(i, 3) == "\xE3\x80\x80") {  // U+3000, the CJK full-width space
      flush();
      i += 2;
    } else {
      word += c;
    }
  }
  flush();
  return words;
}

Result<std::vector<Incident>> ListIncidents(store::Tx& tx, const IncidentQuery& q) {
  std::string sql = std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE 1 = 1";
  std::vector<store::Value> params;
  // "col IN (?, ?, ...)" for a non-empty list.
  auto any_of = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql += std::string(" AND ") + column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(values[i]);
    }
    sql += ")";
  };
  std::vector<std::string> statuses;
  for (const auto& s : q.statuses) {
    if (s == "open") {
      statuses.insert(statuses.end(), {"declared", "acknowledged", "mitigating"});
    } else {
      statuses.push_back(s);
    }
  }
  any_of("status", statuses);
  any_of("severity", q.severities);
  if (q.text) {
    // Every word must match somewhere: the ref, the title or a service key. LIKE with the
    // pattern's own wildcards escaped; LOWER on both sides so that SQLite and PostgreSQL agree
    // (PostgreSQL's LIKE is case-sensitive).
    for (const std::string& word : SearchWords(*q.text)) {
      std::string pattern = "%";
      for (char c : word) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
      }
      pattern += "%";
      sql +=
          " AND (LOWER(title) LIKE LOWER(?) ESCAPE '\\' OR LOWER(ref) LIKE LOWER(?) ESCAPE '\\'"
          " OR EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = incidents.id"
          " AND LOWER(s.service_key) LIKE LOWER(?) ESCAPE '\\'))";
      for (int i = 0; i < 3; ++i) params.emplace_back(pattern);
    }
  }
  if (q.service) {
    sql += " AND id IN (SELECT incident_id FROM incident_services WHERE service_key = ?)";
    params.emplace_back(*q.service);
  }
  if (q.since_ms) {
    sql += " AND declared_at >= ?";
    params.emplace_back(*q.since_ms);
  }
  if (q.until_ms) {
    sql += " AND declared_at < ?";
    params.emplace_back(*q.until_ms);
  }
  if (q.before_id) {
    sql += " AND id < ?";
    params.emplace_back(*q.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(int64_t{q.limit});
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<Incident> out;
  for (const auto& r : rows) {
    out.push_back(IncidentFromRow(r));
    FS_RETURN_IF_ERROR(LoadServices(tx, out.back()));
  }
  return out;
}

Result<Incident> InsertIncident(store::Tx& tx, const NewIncident& n, int64_t now_ms) {
  const int year = YearOf(now_ms);
  FS_ASSIGN_OR_RETURN(int64_t seq,
                      tx.Insert("INSERT INTO incident_counters (year, last_seq) VALUES (?, 1) "
                                "ON CONFLICT (year) DO UPDATE SET last_seq = "
                                "incident_counters.last_seq + 1 RETURNING last_seq",
                                {int64_t{year}}));
  char ref[32];
  std::snprintf(ref, sizeof(ref), "INC-%04d-%04lld", year, static_cast<long long>(seq));
  FS_ASSIGN_OR_RETURN(
      int64_t id,
      tx.Insert("INSERT INTO incidents (ref, title, severity, status, summary, declared_by, "
                "declared_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                {std::string(ref), n.title, n.severity, std::string(kDeclared), n.summary,
                 n.declared_by, now_ms, now_ms}));
  for (const auto& key : n.services) {
    FS_RETURN_IF_ERROR(
        StatusOf(tx.Exec("INSERT INTO incident_services (incident_id, service_key) VALUES (?, ?) "
                         "ON CONFLICT DO NOTHING",
                         {id, key})));
  }
  FS_RETURN_IF_ERROR(AppendTimeline(
      tx, id, now_ms, n.declared_by, "declared",
      std::string("Declared ") + n.severity + ": " + n.title,
      json::Serialize(boost::json::object{{"severity", n.severity}, {"title", n.title}})));
  FS_ASSIGN_OR_RETURN(auto stored, FindIncidentById(tx, id));
  return std::move(*stored);
}

Status StoreStatus(store::Tx& tx, int64_t incident_id, std::string_view status, int64_t at,
                   std::string_view actor) {
  std::string sql = "UPDATE incidents SET status = ?, updated_at = ?";
  if (const char* column = StampColumn(status)) {
    sql += std::string(", ") + column + " = ?";
  }
  sql += " WHERE id = ?";
  std::vector<store::Value> params{std::string(status), at};
  if (StampColumn(status) != nullptr) params.emplace_back(at);
  params.emplace_back(incident_id);
  FS_RETURN_STATUS_IF_ERROR(StatusOf(tx.Exec(sql, params)));
  return AppendTimeline(tx, incident_id, at, actor, "status_changed",
                        "Status: " + std::string(status),
                        "{\"status\":\"" + std::string(status) + "\"}");
}

Status AppendTimeline(store::Tx& tx, int64_t incident_id, int64_t at, std::string_view actor,
                      std::string_view kind, std::string_view text, std::string_view detail_json) {
  return StatusOf(
      tx.Exec("INSERT INTO incident_timeline (incident_id, at, actor, kind, text, detail) "
              "VALUES (?, ?, ?, ?, ?, ?)",
              {incident_id, at, std::string(actor), std::string(kind), std::string(text),
               std::string(detail_json)}));
}

}  // namespace failsafe::incidents
