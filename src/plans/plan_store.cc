#include "plans/plan_store.h"

#include "plans/plan_yaml.h"

namespace failsafe::plans {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// The Status of a statement whose row count does not matter.
Status Done(const Result<int64_t>& r) {
  return r ? Status::Ok() : r.error();
}

// Columns of plan_versions joined with plans.key, in the order RowToHeader reads them.
constexpr const char* kVersionColumns =
    "v.id, v.plan_id, p.key, v.version, v.status, v.title_en, v.title_zh, v.owner, "
    "v.review_interval_days, v.next_review_at, v.created_at, v.created_by, v.submitted_at, "
    "v.submitted_by, v.approved_at, v.approved_by, v.retired_at, v.retired_by, v.content";

PlanVersion RowToHeader(const store::Row& r) {
  PlanVersion v;
  v.id = r.Int(0);
  v.plan_id = r.Int(1);
  v.key = r.Text(2);
  v.version = static_cast<int>(r.Int(3));
  v.status = r.Text(4);
  v.title_en = r.Text(5);
  v.title_zh = r.Text(6);
  v.owner = r.Text(7);
  v.review_interval_days = static_cast<int>(r.Int(8));
  v.next_review_at = r.Int(9);
  v.created_at = r.Int(10);
  v.created_by = r.Text(11);
  v.submitted_at = r.Int(12);
  v.submitted_by = r.Text(13);
  v.approved_at = r.Int(14);
  v.approved_by = r.Text(15);
  v.retired_at = r.Int(16);
  v.retired_by = r.Text(17);
  return v;
}

// The header plus the content parsed back from its stored YAML.
Result<PlanVersion> RowToVersion(const store::Row& r) {
  PlanVersion header = RowToHeader(r);
  ParseOptions lenient;
  lenient.check_template_variables = false;
  auto content = ParsePlanYaml(r.Text(18), "plan_versions/" + std::to_string(header.id), lenient);
  if (!content) {
    return Err(DataLoss("stored plan version " + std::to_string(header.id) +
                        " does not parse: " + content.error().message()));
  }
  PlanVersion v = std::move(*content);
  v.id = header.id;
  v.plan_id = header.plan_id;
  v.version = header.version;
  v.status = header.status;
  v.next_review_at = header.next_review_at;
  v.created_at = header.created_at;
  v.created_by = header.created_by;
  v.submitted_at = header.submitted_at;
  v.submitted_by = header.submitted_by;
  v.approved_at = header.approved_at;
  v.approved_by = header.approved_by;
  v.retired_at = header.retired_at;
  v.retired_by = header.retired_by;
  return v;
}

std::string Select(std::string_view where) {
  return std::string("SELECT ") + kVersionColumns +
         " FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE " + std::string(where);
}

Result<store::Row> PlanRow(store::Tx& tx, std::string_view key) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, latest_version FROM plans WHERE key = ?",
                                            {std::string(key)}));
  if (!row) return Err(NotFound("no plan with key '" + std::string(key) + "'"));
  return std::move(*row);
}

// The version row (header only) for a lifecycle move, locking the plan row first so
// concurrent moves on PostgreSQL are serialised per plan.
Result<PlanVersion> LockedVersion(store::Tx& tx, std::string_view key, std::optional<int> version,
                                  bool prefer_approved, int64_t now) {
  FS_ASSIGN_OR_RETURN(auto plan, PlanRow(tx, key));
  const int64_t plan_id = plan.Int(0);
  FS_RETURN_IF_ERROR(Done(tx.Exec("UPDATE plans SET updated_at = ? WHERE id = ?", {now, plan_id})));
  int number = version.value_or(static_cast<int>(plan.Int(1)));
  if (!version && prefer_approved) {
    FS_ASSIGN_OR_RETURN(auto approved,
                        tx.QueryOne("SELECT version FROM plan_versions WHERE plan_id = ? AND "
                                    "status = 'approved'",
                                    {plan_id}));
    if (approved) number = static_cast<int>(approved->Int(0));
  }
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(Select("v.plan_id = ? AND v.version = ?"),
                                            {plan_id, static_cast<int64_t>(number)}));
  if (!row) {
    return Err(
        NotFound("plan '" + std::string(key) + "' has no version " + std::to_string(number)));
  }
  return RowToHeader(*row);
}

Result<PlanVersion> Reload(store::Tx& tx, int64_t id) {
  return LoadVersion(tx, id);
}

Status NotAllowed(const PlanVersion& v, std::string_view move, std::string_view allowed) {
  return Conflict("cannot " + std::string(move) + " version " + std::to_string(v.version) +
                  " of plan '" + v.key + "': it is " + v.status + " (only " + std::string(allowed) +
                  ")");
}

}  // namespace

Result<PlanVersion> LoadVersion(store::Tx& tx, int64_t plan_version_id) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(Select("v.id = ?"), {plan_version_id}));
  if (!row) return Err(NotFound("no plan version " + std::to_string(plan_version_id)));
  return RowToVersion(*row);
}

Result<std::optional<PlanVersion>> ApprovedVersion(store::Tx& tx, std::string_view key) {
  FS_ASSIGN_OR_RETURN(auto plan, PlanRow(tx, key));
  FS_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne(Select("v.plan_id = ? AND v.status = 'approved'"), {plan.Int(0)}));
  if (!row) return std::optional<PlanVersion>();
  FS_ASSIGN_OR_RETURN(auto v, RowToVersion(*row));
  return std::optional<PlanVersion>(std::move(v));
}

Result<PlanVersion> InsertDraft(store::Tx& tx, PlanVersion content, int64_t now,
                                const std::string& actor) {
  FS_RETURN_IF_ERROR(
      Done(tx.Exec("INSERT INTO plans (key, latest_version, created_at, updated_at) "
                   "VALUES (?, 0, ?, ?) ON CONFLICT (key) DO NOTHING",
                   {content.key, now, now})));
  // The UPDATE takes the plan's row lock, so concurrent imports of one key get distinct numbers.
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("UPDATE plans SET latest_version = latest_version + 1, "
                                          "updated_at = ? WHERE key = ? RETURNING id, "
                                          "latest_version",
                                          {now, content.key}));
  if (rows.size() != 1) return Err(Internal("plan row for '" + content.key + "' vanished"));
  content.plan_id = rows[0].Int(0);
  content.version = static_cast<int>(rows[0].Int(1));
  content.status = std::string(kStatusDraft);
  content.created_at = now;
  content.created_by = actor;
  FS_ASSIGN_OR_RETURN(
      content.id,
      tx.Insert("INSERT INTO plan_versions (plan_id, version, status, title_en, title_zh, owner, "
                "content, review_interval_days, next_review_at, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                {content.plan_id, static_cast<int64_t>(content.version), content.status,
                 content.title_en, content.title_zh, content.owner, EmitPlanYaml(content),
                 static_cast<int64_t>(content.review_interval_days), content.next_review_at, now,
                 actor}));
  return content;
}

Result<PlanVersion> LoadByKey(store::Tx& tx, std::string_view key, std::optional<int> version) {
  FS_ASSIGN_OR_RETURN(auto plan, PlanRow(tx, key));
  const int number = version.value_or(static_cast<int>(plan.Int(1)));
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(Select("v.plan_id = ? AND v.version = ?"),
                                            {plan.Int(0), static_cast<int64_t>(number)}));
  if (!row) {
    return Err(
        NotFound("plan '" + std::string(key) + "' has no version " + std::to_string(number)));
  }
  return RowToVersion(*row);
}

Result<std::vector<PlanVersion>> ListVersions(store::Tx& tx, std::string_view key) {
  FS_ASSIGN_OR_RETURN(auto plan, PlanRow(tx, key));
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query(Select("v.plan_id = ? ORDER BY v.version"), {plan.Int(0)}));
  std::vector<PlanVersion> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(RowToHeader(r));
  return out;
}

Result<std::vector<PlanSummary>> ListPlans(store::Tx& tx, std::optional<int64_t> after_id,
                                           int limit, int64_t now, bool only_overdue) {
  std::string sql =
      "SELECT p.id, p.key, lv.title_en, lv.title_zh, lv.owner, p.latest_version, lv.status, "
      "av.version, av.next_review_at FROM plans p "
      "JOIN plan_versions lv ON lv.plan_id = p.id AND lv.version = p.latest_version "
      "LEFT JOIN plan_versions av ON av.plan_id = p.id AND av.status = 'approved' "
      "WHERE p.id > ?";
  std::vector<store::Value> params{after_id.value_or(0)};
  if (only_overdue) {
    sql += " AND av.next_review_at > 0 AND av.next_review_at <= ?";
    params.emplace_back(now);
  }
  sql += " ORDER BY p.id LIMIT ?";
  params.emplace_back(static_cast<int64_t>(limit));
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<PlanSummary> out;
  for (const auto& r : rows) {
    PlanSummary s;
    s.plan_id = r.Int(0);
    s.key = r.Text(1);
    s.title_en = r.Text(2);
    s.title_zh = r.Text(3);
    s.owner = r.Text(4);
    s.latest_version = static_cast<int>(r.Int(5));
    s.latest_status = r.Text(6);
    s.approved_version = static_cast<int>(r.Int(7));
    s.next_review_at = r.Int(8);
    s.review_overdue = s.approved_version > 0 && s.next_review_at > 0 && s.next_review_at <= now;
    out.push_back(std::move(s));
  }
  return out;
}

Result<PlanVersion> SubmitVersion(store::Tx& tx, std::string_view key, std::optional<int> version,
                                  int64_t now, const std::string& actor) {
  FS_ASSIGN_OR_RETURN(auto v, LockedVersion(tx, key, version, false, now));
  if (v.status != kStatusDraft) return Err(NotAllowed(v, "submit", "a draft can be submitted"));
  FS_RETURN_IF_ERROR(
      Done(tx.Exec("UPDATE plan_versions SET status = 'in_review', submitted_at = ?, "
                   "submitted_by = ? WHERE id = ?",
                   {now, actor, v.id})));
  return Reload(tx, v.id);
}

Result<PlanVersion> ApproveVersion(store::Tx& tx, std::string_view key, std::optional<int> version,
                                   int64_t now, const std::string& actor, int* retired_version) {
  FS_ASSIGN_OR_RETURN(auto v, LockedVersion(tx, key, version, false, now));
  if (v.status != kStatusDraft && v.status != kStatusInReview) {
    return Err(NotAllowed(v, "approve", "a draft or in_review version can be approved"));
  }
  FS_ASSIGN_OR_RETURN(auto previous,
                      tx.Query("UPDATE plan_versions SET status = 'retired', retired_at = ?, "
                               "retired_by = ? WHERE plan_id = ? AND status = 'approved' "
                               "RETURNING version",
                               {now, actor, v.plan_id}));
  if (retired_version != nullptr) {
    *retired_version = previous.empty() ? 0 : static_cast<int>(previous[0].Int(0));
  }
  const int64_t next_review = v.next_review_at > now
                                  ? v.next_review_at
                                  : now + static_cast<int64_t>(v.review_interval_days) * kDayMs;
  FS_RETURN_IF_ERROR(
      Done(tx.Exec("UPDATE plan_versions SET status = 'approved', approved_at = ?, "
                   "approved_by = ?, next_review_at = ? WHERE id = ?",
                   {now, actor, next_review, v.id})));
  return Reload(tx, v.id);
}

Result<PlanVersion> RetireVersion(store::Tx& tx, std::string_view key, std::optional<int> version,
                                  int64_t now, const std::string& actor) {
  FS_ASSIGN_OR_RETURN(auto v, LockedVersion(tx, key, version, true, now));
  if (v.status == kStatusRetired) return Err(NotAllowed(v, "retire", "a version not yet retired"));
  FS_RETURN_IF_ERROR(
      Done(tx.Exec("UPDATE plan_versions SET status = 'retired', retired_at = ?, "
                   "retired_by = ? WHERE id = ?",
                   {now, actor, v.id})));
  return Reload(tx, v.id);
}

Result<PlanVersion> MarkReviewed(store::Tx& tx, std::string_view key, std::optional<int> version,
                                 int64_t now) {
  FS_ASSIGN_OR_RETURN(auto v, LockedVersion(tx, key, version, true, now));
  if (v.status != kStatusApproved) {
    return Err(NotAllowed(v, "mark reviewed", "the approved version is reviewed"));
  }
  const int64_t next_review = now + static_cast<int64_t>(v.review_interval_days) * kDayMs;
  FS_RETURN_IF_ERROR(Done(
      tx.Exec("UPDATE plan_versions SET next_review_at = ? WHERE id = ?", {next_review, v.id})));
  return Reload(tx, v.id);
}

}  // namespace failsafe::plans
