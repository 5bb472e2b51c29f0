// Storage of the severity policy (P1..P4, seeded by migration 104).
#include <algorithm>
#include <boost/json.hpp>

#include "base/json.h"
#include "catalog/catalog_store.h"

namespace failsafe::catalog {
namespace {

constexpr const char* kSeveritySelect =
    "SELECT v.level, v.rank, v.name_zh, v.name_en, v.criteria_zh, v.criteria_en, "
    "v.ack_target_ms, v.update_cadence_ms, v.resolve_target_ms, v.audiences, "
    "v.escalation_policy_id, p.key FROM catalog_severities v LEFT JOIN catalog_policies p ON "
    "p.id = v.escalation_policy_id ";

SeverityLevel SeverityFromRow(const store::Row& r) {
  SeverityLevel s;
  s.level = r.Text(0);
  s.rank = static_cast<int>(r.Int(1));
  s.name_zh = r.Text(2);
  s.name_en = r.Text(3);
  s.criteria_zh = r.Text(4);
  s.criteria_en = r.Text(5);
  s.ack_target_ms = r.Int(6);
  s.update_cadence_ms = r.Int(7);
  s.resolve_target_ms = r.Int(8);
  // Written only by this module as a JSON array of strings; anything else reads as empty.
  if (auto v = json::Parse(r.Text(9)); v && v->is_array()) {
    for (const auto& a : v->as_array()) {
      // Once each: migration 161 may have mapped two old words onto one.
      if (a.is_string() && std::find(s.audiences.begin(), s.audiences.end(),
                                     std::string_view(a.as_string())) == s.audiences.end()) {
        s.audiences.emplace_back(a.as_string());
      }
    }
  }
  s.escalation_policy_id = r.OptInt(10);
  s.escalation_policy_key = r.Text(11);
  return s;
}

}  // namespace

Result<std::optional<SeverityLevel>> FindSeverity(store::Tx& tx, std::string_view level) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kSeveritySelect) + "WHERE v.level = ?",
                                            {std::string(level)}));
  if (!row) return std::optional<SeverityLevel>();
  return std::optional<SeverityLevel>(SeverityFromRow(*row));
}

Result<std::vector<SeverityLevel>> ListSeverities(store::Tx& tx) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query(std::string(kSeveritySelect) + "ORDER BY v.rank, v.level"));
  std::vector<SeverityLevel> out;
  for (const auto& r : rows) out.push_back(SeverityFromRow(r));
  return out;
}

Status UpdateSeverity(store::Tx& tx, const SeverityLevel& s, int64_t now_ms) {
  store::Value policy_id = nullptr;
  if (!s.escalation_policy_key.empty()) {
    auto row =
        tx.QueryOne("SELECT id FROM catalog_policies WHERE key = ?", {s.escalation_policy_key});
    if (!row) return row.error();
    if (!*row) {
      return InvalidArgument("no escalation policy \"" + s.escalation_policy_key + "\"",
                             "escalation_policy");
    }
    policy_id = (*row)->Int(0);
  }
  boost::json::array audiences;
  for (const auto& a : s.audiences) audiences.emplace_back(a);
  auto r = tx.Exec(
      "UPDATE catalog_severities SET rank = ?, name_zh = ?, name_en = ?, criteria_zh = ?, "
      "criteria_en = ?, ack_target_ms = ?, update_cadence_ms = ?, resolve_target_ms = ?, "
      "audiences = ?, escalation_policy_id = ?, updated_at = ? WHERE level = ?",
      {static_cast<int64_t>(s.rank), s.name_zh, s.name_en, s.criteria_zh, s.criteria_en,
       s.ack_target_ms, s.update_cadence_ms, s.resolve_target_ms, json::Serialize(audiences),
       policy_id, now_ms, s.level});
  if (!r) return r.error();
  if (*r == 0) return NotFound("severity \"" + s.level + "\" not found");
  return Status::Ok();
}

}  // namespace failsafe::catalog
