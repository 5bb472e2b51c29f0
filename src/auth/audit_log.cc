#include "auth/audit_log.h"

#include "auth/digest.h"
#include "base/json.h"

namespace failsafe::auth {
namespace {

// Length-prefixed fields: no value can be confused with a field separator.
void AppendField(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

constexpr std::string_view kColumns =
    "seq, at, actor_user_id, actor, action, target_type, target_id, detail, remote_addr, "
    "prev_hash, hash";

AuditRecord FromRow(const store::Row& row) {
  AuditRecord r;
  r.seq = row.Int(0);
  r.at = row.Int(1);
  r.actor_user_id = row.OptInt(2);
  r.actor = row.Text(3);
  r.action = row.Text(4);
  r.target_type = row.Text(5);
  r.target_id = row.Text(6);
  r.detail = row.Text(7);
  r.remote_addr = row.Text(8);
  r.prev_hash = row.Text(9);
  r.hash = row.Text(10);
  return r;
}

}  // namespace

std::string AuditRecordHash(const std::string& key, const AuditRecord& r) {
  std::string data = r.prev_hash;
  data += '|';
  AppendField(data, std::to_string(r.seq));
  AppendField(data, std::to_string(r.at));
  AppendField(data, r.actor_user_id ? std::to_string(*r.actor_user_id) : std::string());
  AppendField(data, r.actor);
  AppendField(data, r.action);
  AppendField(data, r.target_type);
  AppendField(data, r.target_id);
  AppendField(data, r.detail);
  AppendField(data, r.remote_addr);
  return HmacSha256Hex(key, data);
}

std::string AuditHeadMac(const std::string& key, int64_t seq, const std::string& hash) {
  return HmacSha256Hex(key, "audit_head|" + std::to_string(seq) + "|" + hash);
}

AuditLog::AuditLog(std::string audit_key, const Clock& clock)
    : key_(std::move(audit_key)), clock_(clock) {}

Status AuditLog::Append(store::Tx& tx, const AuditEntry& e) const {
  // Touch the head first: on PostgreSQL this takes the row lock that orders concurrent
  // appenders from several instances; the later SELECT then sees the latest head.
  FS_ASSIGN_OR_RETURN_STATUS(int64_t touched,
                             tx.Exec("UPDATE audit_head SET seq = seq WHERE id = 1"));
  if (touched != 1) return Internal("audit_head row is missing (migrations not applied?)");
  FS_ASSIGN_OR_RETURN_STATUS(auto head,
                             tx.QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (!head) return Internal("audit_head row is missing");

  AuditRecord r;
  r.seq = head->Int(0) + 1;
  r.prev_hash = head->Text(1);
  r.at = clock_.NowMillis();
  r.actor_user_id = e.actor_user_id;
  r.actor = e.actor;
  r.action = e.action;
  r.target_type = e.target_type;
  r.target_id = e.target_id;
  r.detail = json::Serialize(e.detail);
  r.remote_addr = e.remote_addr;
  r.hash = AuditRecordHash(key_, r);

  FS_RETURN_STATUS_IF_ERROR(StatusOf(
      tx.Exec("INSERT INTO audit_log (seq, at, actor_user_id, actor, action, target_type, "
              "target_id, detail, remote_addr, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {r.seq, r.at, store::OptionalInt(r.actor_user_id), r.actor, r.action, r.target_type,
               r.target_id, r.detail, r.remote_addr, r.prev_hash, r.hash})));
  return StatusOf(tx.Exec("UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1",
                          {r.seq, r.hash, AuditHeadMac(key_, r.seq, r.hash)}));
}

Status AuditLog::InitHead(store::Store& store) const {
  return store.Write([&](store::Tx& tx) -> Status {
    return StatusOf(tx.Exec("UPDATE audit_head SET mac = ? WHERE id = 1 AND seq = 0 AND mac = ''",
                            {AuditHeadMac(key_, 0, "")}));
  });
}

Result<std::vector<AuditRecord>> ReadAuditRecords(store::Tx& tx, int64_t after_seq, int limit) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT " + std::string(kColumns) +
                                              " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                                          {after_seq, int64_t{limit}}));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(FromRow(row));
  return out;
}

Result<std::vector<AuditRecord>> QueryAudit(store::Tx& tx, const AuditQuery& q) {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_log WHERE 1 = 1";
  std::vector<store::Value> params;
  if (q.action) {
    sql += " AND action = ?";
    params.emplace_back(*q.action);
  }
  if (q.actor) {
    sql += " AND actor = ?";
    params.emplace_back(*q.actor);
  }
  if (q.since_ms) {
    sql += " AND at >= ?";
    params.emplace_back(*q.since_ms);
  }
  if (q.before_seq) {
    sql += " AND seq < ?";
    params.emplace_back(*q.before_seq);
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  params.emplace_back(int64_t{q.limit});
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(FromRow(row));
  return out;
}

boost::json::object AuditRecordToJson(const AuditRecord& r) {
  boost::json::object o;
  o["seq"] = r.seq;
  o["at"] = FormatRfc3339(r.at);
  if (r.actor_user_id) {
    o["actor_user_id"] = *r.actor_user_id;
  } else {
    o["actor_user_id"] = nullptr;
  }
  o["actor"] = r.actor;
  o["action"] = r.action;
  o["target_type"] = r.target_type;
  o["target_id"] = r.target_id;
  auto detail = json::Parse(r.detail);
  o["detail"] = detail ? *detail : boost::json::value(r.detail);
  o["remote_addr"] = r.remote_addr;
  o["hash"] = r.hash;
  return o;
}

}  // namespace failsafe::auth
