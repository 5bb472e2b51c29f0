#include "backup/service/policy_store.h"

#include <boost/json.hpp>

#include "backup/service/policy_json.h"

namespace failsafe::backup::service {
namespace {

constexpr const char* kPolicyColumns =
    "id, name, spec, secrets_sealed, created_at, updated_at FROM backup_policies";

std::string Aad(int64_t id) {
  return "backup_policies.secrets:" + std::to_string(id);
}

Result<Policy> PolicyFromRow(const store::Row& row, const auth::SecretBox& box) {
  const std::string name = row.Text(1);
  auto parsed = ParsePolicy(row.Text(2), "stored policy " + name);
  if (!parsed) return Err(DataLoss(parsed.error().message()));
  Policy p = std::move(*parsed);
  p.id = row.Int(0);
  p.created_at = row.Int(4);
  p.updated_at = row.Int(5);
  const std::string sealed = row.Text(3);
  if (!sealed.empty()) {
    auto opened = box.Open(sealed, Aad(p.id));
    if (!opened) {
      return Err(DataLoss("the secrets of backup policy " + name +
                          " do not open with this server's key: " + opened.error().message()));
    }
    FS_RETURN_IF_ERROR(ApplySecretsJson(*opened, p));
  }
  return p;
}

Result<std::optional<Policy>> FindWhere(store::Tx& tx, const auth::SecretBox& box,
                                        const std::string& where, store::Value key) {
  FS_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kPolicyColumns + " WHERE " + where, {std::move(key)}));
  if (!row) return std::optional<Policy>();
  FS_ASSIGN_OR_RETURN(Policy p, PolicyFromRow(*row, box));
  return std::optional<Policy>(std::move(p));
}

constexpr const char* kRunColumns =
    "id, policy_id, policy_name, service_key, destination, trigger_kind, full_run, "
    "scheduled_for, snapshot_id, started_at, duration_ms, bytes_read, data_added, files, "
    "error_count, errors, retention, status FROM backup_runs";

RunRecord RunFromRow(const store::Row& r) {
  RunRecord run;
  run.id = r.Int(0);
  run.policy_id = r.Int(1);
  run.policy_name = r.Text(2);
  run.service_key = r.Text(3);
  run.destination = r.Text(4);
  run.trigger = r.Text(5);
  run.full = r.Int(6) != 0;
  run.scheduled_for = r.Int(7);
  run.snapshot_id = r.Text(8);
  run.started_at = r.Int(9);
  run.duration_ms = r.Int(10);
  run.bytes_read = r.Int(11);
  run.data_added = r.Int(12);
  run.files = r.Int(13);
  run.error_count = r.Int(14);
  run.errors = r.Text(15);
  run.retention = r.Text(16);
  run.status = r.Text(17);
  return run;
}

constexpr const char* kDrillColumns =
    "id, policy_id, policy_name, service_key, destination, trigger_kind, snapshot_id, "
    "started_at, duration_ms, restored_bytes, verified_bytes, snapshot_bytes, files, "
    "projected_ms, rto_ms, margin_ms, status, detail FROM backup_drills";

DrillRecord DrillFromRow(const store::Row& r) {
  DrillRecord d;
  d.id = r.Int(0);
  d.policy_id = r.Int(1);
  d.policy_name = r.Text(2);
  d.service_key = r.Text(3);
  d.destination = r.Text(4);
  d.trigger = r.Text(5);
  d.snapshot_id = r.Text(6);
  d.started_at = r.Int(7);
  d.duration_ms = r.Int(8);
  d.restored_bytes = r.Int(9);
  d.verified_bytes = r.Int(10);
  d.snapshot_bytes = r.Int(11);
  d.files = r.Int(12);
  d.projected_ms = r.Int(13);
  d.rto_ms = r.Int(14);
  d.margin_ms = r.OptInt(15);
  d.status = r.Text(16);
  d.detail = r.Text(17);
  return d;
}

template <typename T, typename F>
Result<std::vector<T>> QueryAll(store::Tx& tx, const std::string& sql,
                                const std::vector<store::Value>& params, F from_row) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

}  // namespace

Result<std::pair<Policy, bool>> UpsertPolicy(store::Tx& tx, const auth::SecretBox& box,
                                             Policy policy, int64_t now_ms) {
  FS_ASSIGN_OR_RETURN(auto existing, FindPolicy(tx, box, policy.name));
  const std::string spec = boost::json::serialize(SpecJson(policy));
  bool created = false;
  if (existing) {
    for (auto& d : policy.destinations) {
      for (const auto& old : existing->destinations) {
        if (old.url == d.url) d.secrets.FillFrom(old.secrets);
      }
    }
    policy.id = existing->id;
    policy.created_at = existing->created_at;
    // The schedules may have changed: they start afresh from now, so times the old schedule
    // never had are not reported as missed.
    FS_RETURN_IF_ERROR(
        StatusOf(tx.Exec("DELETE FROM backup_schedule_state WHERE policy_id = ?", {policy.id})));
    FS_RETURN_IF_ERROR(StatusOf(
        tx.Exec("UPDATE backup_policies SET service_key = ?, spec = ?, enabled = ?, updated_at = ? "
                "WHERE id = ?",
                {policy.service, spec, int64_t{policy.enabled}, now_ms, policy.id})));
  } else {
    created = true;
    policy.created_at = now_ms;
    FS_ASSIGN_OR_RETURN(
        policy.id,
        tx.Insert("INSERT INTO backup_policies (name, service_key, spec, enabled, created_at, "
                  "updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                  {policy.name, policy.service, spec, int64_t{policy.enabled}, now_ms, now_ms}));
  }
  policy.updated_at = now_ms;
  FS_RETURN_IF_ERROR(StatusOf(tx.Exec("UPDATE backup_policies SET secrets_sealed = ? WHERE id = ?",
                                      {box.Seal(SecretsJson(policy), Aad(policy.id)), policy.id})));
  return std::pair{std::move(policy), created};
}

Result<std::optional<Policy>> FindPolicy(store::Tx& tx, const auth::SecretBox& box,
                                         const std::string& name) {
  return FindWhere(tx, box, "name = ?", name);
}

Result<std::optional<Policy>> FindPolicyById(store::Tx& tx, const auth::SecretBox& box,
                                             int64_t id) {
  return FindWhere(tx, box, "id = ?", id);
}

Result<std::vector<Policy>> ListPolicies(store::Tx& tx, const auth::SecretBox& box) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query(std::string("SELECT ") + kPolicyColumns + " ORDER BY name"));
  std::vector<Policy> out;
  for (const auto& r : rows) {
    FS_ASSIGN_OR_RETURN(Policy p, PolicyFromRow(r, box));
    out.push_back(std::move(p));
  }
  return out;
}

Result<bool> DeletePolicy(store::Tx& tx, const std::string& name) {
  FS_ASSIGN_OR_RETURN(auto row,
                      tx.QueryOne("SELECT id FROM backup_policies WHERE name = ?", {name}));
  if (!row) return false;
  FS_RETURN_IF_ERROR(
      StatusOf(tx.Exec("DELETE FROM backup_schedule_state WHERE policy_id = ?", {row->Int(0)})));
  FS_RETURN_IF_ERROR(StatusOf(tx.Exec("DELETE FROM backup_policies WHERE id = ?", {row->Int(0)})));
  return true;
}

Result<int64_t> InsertRun(store::Tx& tx, const RunRecord& r) {
  return tx.Insert(
      "INSERT INTO backup_runs (policy_id, policy_name, service_key, destination, trigger_kind, "
      "full_run, scheduled_for, snapshot_id, started_at, duration_ms, bytes_read, data_added, "
      "files, error_count, errors, retention, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?) RETURNING id",
      {r.policy_id, r.policy_name, r.service_key, r.destination, r.trigger, int64_t{r.full},
       r.scheduled_for, r.snapshot_id, r.started_at, r.duration_ms, r.bytes_read, r.data_added,
       r.files, r.error_count, r.errors, r.retention, r.status});
}

Result<int64_t> InsertDrill(store::Tx& tx, const DrillRecord& d) {
  return tx.Insert(
      "INSERT INTO backup_drills (policy_id, policy_name, service_key, destination, "
      "trigger_kind, snapshot_id, started_at, duration_ms, restored_bytes, verified_bytes, "
      "snapshot_bytes, files, projected_ms, rto_ms, margin_ms, status, detail) VALUES (?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {d.policy_id, d.policy_name, d.service_key, d.destination, d.trigger, d.snapshot_id,
       d.started_at, d.duration_ms, d.restored_bytes, d.verified_bytes, d.snapshot_bytes, d.files,
       d.projected_ms, d.rto_ms, store::OptionalInt(d.margin_ms), d.status, d.detail});
}

Result<std::vector<RunRecord>> ListRuns(store::Tx& tx, int64_t policy_id, int limit) {
  std::string sql = std::string("SELECT ") + kRunColumns;
  std::vector<store::Value> params;
  if (policy_id != 0) {
    sql += " WHERE policy_id = ?";
    params.push_back(policy_id);
  }
  sql += " ORDER BY started_at DESC, id DESC LIMIT ?";
  params.push_back(int64_t{limit});
  return QueryAll<RunRecord>(tx, sql, params, RunFromRow);
}

Result<std::vector<DrillRecord>> ListDrills(store::Tx& tx, int64_t policy_id, int limit) {
  std::string sql = std::string("SELECT ") + kDrillColumns;
  std::vector<store::Value> params;
  if (policy_id != 0) {
    sql += " WHERE policy_id = ?";
    params.push_back(policy_id);
  }
  sql += " ORDER BY started_at DESC, id DESC LIMIT ?";
  params.push_back(int64_t{limit});
  return QueryAll<DrillRecord>(tx, sql, params, DrillFromRow);
}

Result<std::vector<RunRecord>> LatestRunPerDestination(store::Tx& tx, int64_t policy_id) {
  return QueryAll<RunRecord>(
      tx,
      std::string("SELECT ") + kRunColumns +
          " WHERE id IN (SELECT MAX(id) FROM backup_runs WHERE policy_id = ? GROUP BY "
          "destination) ORDER BY destination",
      {policy_id}, RunFromRow);
}

Result<std::optional<RunRecord>> LastGoodRun(store::Tx& tx, const std::string& service_key) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kRunColumns +
                                                " WHERE service_key = ? AND status IN ('ok', "
                                                "'incomplete') ORDER BY started_at DESC, id DESC "
                                                "LIMIT 1",
                                            {service_key}));
  if (!row) return std::optional<RunRecord>();
  return std::optional<RunRecord>(RunFromRow(*row));
}

Result<std::optional<RunRecord>> LastGoodRunTo(store::Tx& tx, int64_t policy_id,
                                               const std::string& destination) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kRunColumns +
                                                " WHERE policy_id = ? AND destination = ? AND "
                                                "status IN ('ok', 'incomplete') ORDER BY "
                                                "started_at DESC, id DESC LIMIT 1",
                                            {policy_id, destination}));
  if (!row) return std::optional<RunRecord>();
  return std::optional<RunRecord>(RunFromRow(*row));
}

Result<std::optional<DrillRecord>> LastDrill(store::Tx& tx, int64_t policy_id) {
  FS_ASSIGN_OR_RETURN(auto row,
                      tx.QueryOne(std::string("SELECT ") + kDrillColumns +
                                      " WHERE policy_id = ? ORDER BY started_at DESC, id DESC "
                                      "LIMIT 1",
                                  {policy_id}));
  if (!row) return std::optional<DrillRecord>();
  return std::optional<DrillRecord>(DrillFromRow(*row));
}

Result<std::optional<DrillRecord>> LastPassedDrill(store::Tx& tx, const std::string& service_key) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kDrillColumns +
                                                " WHERE service_key = ? AND status = 'pass' "
                                                "ORDER BY started_at DESC, id DESC LIMIT 1",
                                            {service_key}));
  if (!row) return std::optional<DrillRecord>();
  return std::optional<DrillRecord>(DrillFromRow(*row));
}

Result<std::optional<int64_t>> LastDue(store::Tx& tx, int64_t policy_id, const std::string& kind) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT last_due_ms FROM backup_schedule_state WHERE "
                                            "policy_id = ? AND kind = ?",
                                            {policy_id, kind}));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(row->Int(0));
}

Status SetLastDue(store::Tx& tx, int64_t policy_id, const std::string& kind, int64_t due_ms) {
  return StatusOf(tx.Exec(
      "INSERT INTO backup_schedule_state (policy_id, kind, last_due_ms) VALUES (?, ?, ?) ON "
      "CONFLICT (policy_id, kind) DO UPDATE SET last_due_ms = excluded.last_due_ms",
      {policy_id, kind, due_ms}));
}

}  // namespace failsafe::backup::service
