// Storage of postmortems and action items (postmortem.h). The list columns hold JSON written
// and read only here; a column that does not parse reads as an empty list rather than failing
// the whole page (it can only come from a hand-edited database).
#include <boost/json.hpp>
#include <cstdio>

#include "base/json.h"
#include "postmortems/postmortem.h"

namespace failsafe::postmortems {
namespace {

namespace bj = boost::json;

std::string Str(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t Int(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return 0;
}

bj::array ParseArray(const std::string& text) {
  auto v = json::Parse(text);
  return v && v->is_array() ? v->get_array() : bj::array();
}

std::string StringsJson(const std::vector<std::string>& list) {
  bj::array a;
  for (const auto& s : list) a.emplace_back(s);
  return json::Serialize(a);
}

std::vector<std::string> StringsFrom(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& v : ParseArray(text)) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

std::string RootCausesJson(const std::vector<RootCause>& causes) {
  bj::array a;
  for (const auto& c : causes) {
    bj::array whys;
    for (const auto& w : c.whys) whys.emplace_back(w);
    a.emplace_back(bj::object{
        {"category", c.category}, {"description", c.description}, {"whys", std::move(whys)}});
  }
  return json::Serialize(a);
}

std::vector<RootCause> RootCausesFrom(const std::string& text) {
  std::vector<RootCause> out;
  for (const auto& v : ParseArray(text)) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    RootCause c{Str(o, "category"), Str(o, "description"), {}};
    if (const auto* whys = o.if_contains("whys"); whys != nullptr && whys->is_array()) {
      for (const auto& w : whys->get_array()) {
        if (w.is_string()) c.whys.emplace_back(w.get_string());
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string EvaluationsJson(const std::vector<StepEvaluation>& evals) {
  bj::array a;
  for (const auto& e : evals) {
    a.emplace_back(bj::object{{"step_key", e.step_key},
                              {"position", e.position},
                              {"phase", e.phase},
                              {"role", e.role},
                              {"title", e.title},
                              {"done", e.done},
                              {"verdict", e.verdict},
                              {"comment", e.comment}});
  }
  return json::Serialize(a);
}

std::vector<StepEvaluation> EvaluationsFrom(const std::string& text) {
  std::vector<StepEvaluation> out;
  for (const auto& v : ParseArray(text)) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    StepEvaluation e;
    e.step_key = Str(o, "step_key");
    e.position = static_cast<int>(Int(o, "position"));
    e.phase = Str(o, "phase");
    e.role = Str(o, "role");
    e.title = Str(o, "title");
    const bj::value* done = o.if_contains("done");
    e.done = done != nullptr && done->is_bool() && done->get_bool();
    e.verdict = Str(o, "verdict");
    e.comment = Str(o, "comment");
    out.push_back(std::move(e));
  }
  return out;
}

std::string TimelineJson(const std::vector<TimelineEntry>& entries) {
  bj::array a;
  for (const auto& e : entries) {
    a.emplace_back(
        bj::object{{"at", e.at}, {"actor", e.actor}, {"kind", e.kind}, {"text", e.text}});
  }
  return json::Serialize(a);
}

std::vector<TimelineEntry> TimelineFrom(const std::string& text) {
  std::vector<TimelineEntry> out;
  for (const auto& v : ParseArray(text)) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    out.push_back({Int(o, "at"), Str(o, "actor"), Str(o, "kind"), Str(o, "text")});
  }
  return out;
}

constexpr const char* kPostmortemColumns =
    "id, incident_id, incident_ref, title, status, summary, impact, impacted_services, "
    "users_affected, users_affected_count, root_causes, went_well, went_badly, "
    "step_evaluations, extra_revisions, timeline, timeline_refreshed_at, plan_version_id, "
    "plan_key, plan_version, created_by, created_at, updated_at, published_at, published_by";

Postmortem PostmortemFromRow(const store::Row& r) {
  Postmortem p;
  p.id = r.Int(0);
  p.incident_id = r.Int(1);
  p.incident_ref = r.Text(2);
  p.title = r.Text(3);
  p.status = r.Text(4);
  p.summary = r.Text(5);
  p.impact = r.Text(6);
  p.impacted_services = StringsFrom(r.Text(7));
  p.users_affected = r.Text(8);
  p.users_affected_count = r.OptInt(9);
  p.root_causes = RootCausesFrom(r.Text(10));
  p.went_well = StringsFrom(r.Text(11));
  p.went_badly = StringsFrom(r.Text(12));
  p.step_evaluations = EvaluationsFrom(r.Text(13));
  p.extra_revisions = StringsFrom(r.Text(14));
  p.timeline = TimelineFrom(r.Text(15));
  p.timeline_refreshed_at = r.Int(16);
  p.plan_version_id = r.OptInt(17);
  p.plan_key = r.Text(18);
  p.plan_version = static_cast<int>(r.Int(19));
  p.created_by = r.Text(20);
  p.created_at = r.Int(21);
  p.updated_at = r.Int(22);
  p.published_at = r.OptInt(23);
  p.published_by = r.Text(24);
  return p;
}

// The mutable columns, in the order UpdatePostmortem binds them.
std::vector<store::Value> MutableValues(const Postmortem& p) {
  return {p.title,
          p.status,
          p.summary,
          p.impact,
          StringsJson(p.impacted_services),
          p.users_affected,
          store::OptionalInt(p.users_affected_count),
          RootCausesJson(p.root_causes),
          StringsJson(p.went_well),
          StringsJson(p.went_badly),
          EvaluationsJson(p.step_evaluations),
          StringsJson(p.extra_revisions),
          TimelineJson(p.timeline),
          p.timeline_refreshed_at,
          p.updated_at,
          store::OptionalInt(p.published_at),
          p.published_by};
}

constexpr const char* kActionColumns =
    "a.id, a.postmortem_id, a.title, a.owner, a.due_date, a.status, a.notes, a.created_by, "
    "a.created_at, a.updated_at, a.done_at, p.incident_ref";

ActionItem ActionFromRow(const store::Row& r) {
  ActionItem a;
  a.id = r.Int(0);
  a.postmortem_id = r.Int(1);
  a.title = r.Text(2);
  a.owner = r.Text(3);
  a.due_date = r.Text(4);
  a.status = r.Text(5);
  a.notes = r.Text(6);
  a.created_by = r.Text(7);
  a.created_at = r.Int(8);
  a.updated_at = r.Int(9);
  a.done_at = r.OptInt(10);
  a.incident_ref = r.Text(11);
  return a;
}

Result<std::optional<Postmortem>> FindWhere(store::Tx& tx, const char* column, int64_t value) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kPostmortemColumns +
                                                " FROM postmortems WHERE " + column + " = ?",
                                            {value}));
  if (!row) return std::optional<Postmortem>();
  return std::optional<Postmortem>(PostmortemFromRow(*row));
}

}  // namespace

const std::vector<std::string_view>& RootCauseCategories() {
  static const std::vector<std::string_view> kCategories = {
      "hardware",         "network", "software_defect", "human_error", "natural_disaster",
      "malicious_attack", "process", "vendor",          "other"};
  return kCategories;
}

bool IsRootCauseCategory(std::string_view category) {
  for (auto c : RootCauseCategories()) {
    if (c == category) return true;
  }
  return false;
}

const std::vector<std::string_view>& StepVerdicts() {
  static const std::vector<std::string_view> kVerdicts = {"worked", "missing", "wrong", "not_used"};
  return kVerdicts;
}

bool IsStepVerdict(std::string_view verdict) {
  for (auto v : StepVerdicts()) {
    if (v == verdict) return true;
  }
  return false;
}

bool IsActionStatus(std::string_view status) {
  return status == kActionOpen || status == kActionInProgress || status == kActionDone ||
         status == kActionCancelled;
}

Result<std::optional<Postmortem>> FindPostmortem(store::Tx& tx, int64_t id) {
  return FindWhere(tx, "id", id);
}

Result<std::optional<Postmortem>> FindPostmortemByIncident(store::Tx& tx, int64_t incident_id) {
  return FindWhere(tx, "incident_id", incident_id);
}

Result<int64_t> InsertPostmortem(store::Tx& tx, const Postmortem& p) {
  std::vector<store::Value> values = {p.incident_id, p.incident_ref};
  for (auto& v : MutableValues(p)) values.push_back(std::move(v));
  values.push_back(store::OptionalInt(p.plan_version_id));
  values.push_back(p.plan_key);
  values.push_back(static_cast<int64_t>(p.plan_version));
  values.push_back(p.created_by);
  values.push_back(p.created_at);
  return tx.Insert(
      "INSERT INTO postmortems (incident_id, incident_ref, title, status, summary, impact, "
      "impacted_services, users_affected, users_affected_count, root_causes, went_well, "
      "went_badly, step_evaluations, extra_revisions, timeline, timeline_refreshed_at, "
      "updated_at, published_at, published_by, plan_version_id, plan_key, plan_version, "
      "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?) RETURNING id",
      values);
}

Status UpdatePostmortem(store::Tx& tx, const Postmortem& p) {
  std::vector<store::Value> values = MutableValues(p);
  values.push_back(p.id);
  auto changed = tx.Exec(
      "UPDATE postmortems SET title = ?, status = ?, summary = ?, impact = ?, "
      "impacted_services = ?, users_affected = ?, users_affected_count = ?, root_causes = ?, "
      "went_well = ?, went_badly = ?, step_evaluations = ?, extra_revisions = ?, timeline = ?, "
      "timeline_refreshed_at = ?, updated_at = ?, published_at = ?, published_by = ? "
      "WHERE id = ?",
      values);
  if (!changed) return changed.error();
  if (*changed != 1) return NotFound("postmortem " + std::to_string(p.id) + " not found");
  return Status::Ok();
}

Result<std::vector<Postmortem>> ListPostmortems(store::Tx& tx, const PostmortemQuery& q) {
  std::string sql = std::string("SELECT ") + kPostmortemColumns + " FROM postmortems WHERE 1 = 1";
  std::vector<store::Value> params;
  if (q.status) {
    sql += " AND status = ?";
    params.emplace_back(*q.status);
  }
  if (q.before_id) {
    sql += " AND id < ?";
    params.emplace_back(*q.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(static_cast<int64_t>(q.limit));
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<Postmortem> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(PostmortemFromRow(r));
  return out;
}

Result<int64_t> InsertAction(store::Tx& tx, const ActionItem& a) {
  return tx.Insert(
      "INSERT INTO postmortem_actions (postmortem_id, title, owner, due_date, status, notes, "
      "created_by, created_at, updated_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {a.postmortem_id, a.title, a.owner, a.due_date, a.status, a.notes, a.created_by, a.created_at,
       a.updated_at, store::OptionalInt(a.done_at)});
}

Status UpdateAction(store::Tx& tx, const ActionItem& a) {
  auto changed = tx.Exec(
      "UPDATE postmortem_actions SET title = ?, owner = ?, due_date = ?, status = ?, notes = ?, "
      "updated_at = ?, done_at = ? WHERE id = ? AND postmortem_id = ?",
      {a.title, a.owner, a.due_date, a.status, a.notes, a.updated_at, store::OptionalInt(a.done_at),
       a.id, a.postmortem_id});
  if (!changed) return changed.error();
  if (*changed != 1) return NotFound("action " + std::to_string(a.id) + " not found");
  return Status::Ok();
}

Result<std::optional<ActionItem>> FindAction(store::Tx& tx, int64_t postmortem_id,
                                             int64_t action_id) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kActionColumns +
                                                " FROM postmortem_actions a JOIN postmortems p ON "
                                                "p.id = a.postmortem_id WHERE a.id = ? AND "
                                                "a.postmortem_id = ?",
                                            {action_id, postmortem_id}));
  if (!row) return std::optional<ActionItem>();
  return std::optional<ActionItem>(ActionFromRow(*row));
}

Result<std::vector<ActionItem>> LoadActions(store::Tx& tx, int64_t postmortem_id) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kActionColumns +
                                              " FROM postmortem_actions a JOIN postmortems p "
                                              "ON p.id = a.postmortem_id WHERE "
                                              "a.postmortem_id = ? ORDER BY a.id",
                                          {postmortem_id}));
  std::vector<ActionItem> out;
  for (const auto& r : rows) out.push_back(ActionFromRow(r));
  return out;
}

Result<std::vector<ActionItem>> ListActions(store::Tx& tx, const ActionQuery& q) {
  std::string sql = std::string("SELECT ") + kActionColumns +
                    " FROM postmortem_actions a JOIN postmortems p ON p.id = a.postmortem_id "
                    "WHERE 1 = 1";
  std::vector<store::Value> params;
  if (q.overdue_on) {
    sql += " AND a.status IN ('open', 'in_progress') AND a.due_date < ?";
    params.emplace_back(*q.overdue_on);
  }
  if (q.status) {
    sql += " AND a.status = ?";
    params.emplace_back(*q.status);
  }
  if (q.owner) {
    sql += " AND a.owner = ?";
    params.emplace_back(*q.owner);
  }
  if (q.after_id) {
    sql += " AND a.id > ?";
    params.emplace_back(*q.after_id);
  }
  sql += " ORDER BY a.id LIMIT ?";
  params.emplace_back(static_cast<int64_t>(q.limit));
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<ActionItem> out;
  for (const auto& r : rows) out.push_back(ActionFromRow(r));
  return out;
}

std::string UtcDay(int64_t unix_ms) {
  // Floor division so times before 1970 land on the right day.
  int64_t days = unix_ms / 86'400'000;
  if (unix_ms % 86'400'000 < 0) --days;
  // Civil-from-days (Howard Hinnant's algorithm).
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[48];  // wide enough for any int fields, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

std::optional<int64_t> DayStartMillis(std::string_view day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (day[i] < '0' || day[i] > '9') return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (day[i] - '0');
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  // Days-from-civil (Howard Hinnant's algorithm).
  const int yy = y - (m <= 2 ? 1 : 0);
  const int era = yy / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return days * 86'400'000;
}

bool IsIsoDate(std::string_view text) {
  return DayStartMillis(text).has_value();
}

}  // namespace failsafe::postmortems
