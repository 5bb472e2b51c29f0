#include "incidents/paging.h"

#include "auth/digest.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/random.h"

namespace failsafe::incidents {
namespace {

std::string Handles(const std::vector<catalog::Person>& people) {
  std::string out;
  for (const auto& p : people) out += (out.empty() ? "" : ", ") + p.handle;
  return out.empty() ? "nobody (no one on call)" : out;
}

// The people's handles as a JSON array (timeline details).
boost::json::array HandleArray(const std::vector<catalog::Person>& people) {
  boost::json::array out;
  for (const auto& p : people) out.push_back(boost::json::string(p.handle));
  return out;
}

std::string SeverityLine(store::Tx& tx, const Incident& incident) {
  auto level = catalog::FindSeverity(tx, incident.severity);
  if (level && *level)
    return incident.severity + " " + (*level)->name_zh + " / " + (*level)->name_en;
  return incident.severity;
}

std::string ServicesText(const Incident& incident) {
  std::string out;
  for (const auto& s : incident.services) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "-" : out;
}

Result<std::vector<notify::Link>> IncidentLinks(IncidentsContext& ctx, store::Tx& tx,
                                                const Incident& incident, int64_t now_ms,
                                                bool with_ack) {
  std::vector<notify::Link> links;
  if (with_ack) {
    FS_ASSIGN_OR_RETURN(std::string ack, NewAckLink(ctx, tx, incident.id, std::nullopt, now_ms));
    links.push_back({"Acknowledge 确认", ack});
  }
  links.push_back({"Open incident 查看事件", ctx.IncidentUrl(incident.ref)});
  return links;
}

Result<std::optional<catalog::EscalationPolicy>> PolicyOf(store::Tx& tx, const Incident& incident) {
  FS_ASSIGN_OR_RETURN(auto severity, catalog::FindSeverity(tx, incident.severity));
  if (!severity || !severity->escalation_policy_id) {
    return std::optional<catalog::EscalationPolicy>();
  }
  return catalog::FindPolicyById(tx, *severity->escalation_policy_id);
}

// The key names the timer, not (round, level): a severity change restarts the policy, and its
// pages must not be taken for the earlier ones. A timer re-fired after a crash reuses its key.
Status Page(IncidentsContext& ctx, store::Tx& tx, const Incident& incident,
            const std::vector<catalog::Person>& people, const Timer& timer, int64_t now_ms) {
  const int level = timer.level;
  const int round = timer.round;
  notify::Notification n = IncidentNotification(
      incident, "inc-" + std::to_string(incident.id) + "-page-t" + std::to_string(timer.id),
      "escalation", "internal");
  n.message.title = "[" + incident.severity + "] Unacknowledged 未确认: " + incident.title;
  n.message.markdown = "**" + incident.ref + "** " + incident.title + "\n\n" +
                       "Severity 级别: " + SeverityLine(tx, incident) + "\n\n" +
                       "Services 服务: " + ServicesText(incident) + "\n\n" +
                       "Nobody has acknowledged yet; escalating to level " +
                       std::to_string(level + 1) + " 无人确认，升级到第" +
                       std::to_string(level + 1) + "级: " + Handles(people);
  FS_ASSIGN_OR_RETURN_STATUS(n.message.links, IncidentLinks(ctx, tx, incident, now_ms, true));
  AddRecipients(n, people);
  FS_RETURN_STATUS_IF_ERROR(StatusOf(notify::Enqueue(tx, n, now_ms)));
  return AppendTimeline(
      tx, incident.id, now_ms, "system", "escalated",
      "Escalation level " + std::to_string(level + 1) +
          (round > 0 ? " (repeat " + std::to_string(round) + ")" : "") + ": paged " +
          Handles(people),
      json::Serialize(boost::json::object{
          {"level", level + 1}, {"round", round}, {"paged", HandleArray(people)}}));
}

// The step after (level, round), or nullopt when the policy is exhausted.
std::optional<std::pair<int, int>> NextStep(const catalog::EscalationPolicy& policy, int level,
                                            int round) {
  if (level + 1 < static_cast<int>(policy.levels.size())) return std::pair{level + 1, round};
  if (round < policy.repeat) return std::pair{0, round + 1};
  return std::nullopt;
}

Status ScheduleNext(store::Tx& tx, const Incident& incident,
                    const catalog::EscalationPolicy& policy, int level, int round, int64_t now_ms) {
  auto next = NextStep(policy, level, round);
  if (!next) return Status::Ok();
  // A repeat with no delay would page in a tight loop: wait at least a second.
  int64_t delay = policy.levels[static_cast<size_t>(next->first)].delay_ms;
  if (next->second != round) delay = std::max<int64_t>(delay, 1000);
  return ScheduleTimer(tx, incident.id, kTimerEscalation, now_ms + delay, next->first,
                       next->second);
}

}  // namespace

notify::Notification IncidentNotification(const Incident& incident, std::string key,
                                          std::string kind, std::string audience) {
  notify::Notification n;
  n.idempotency_key = std::move(key);
  n.incident_id = incident.id;
  n.kind = std::move(kind);
  n.audience = std::move(audience);
  n.service_keys = incident.services;
  n.severity = incident.severity;
  return n;
}

void AddRecipients(notify::Notification& n, const std::vector<catalog::Person>& people) {
  for (const auto& p : people) {
    if (!p.phone.empty()) n.message.mention_mobiles.push_back(p.phone);
    if (!p.dingtalk_user_id.empty()) n.message.mention_dingtalk_ids.push_back(p.dingtalk_user_id);
    if (!p.feishu_user_id.empty()) n.message.mention_feishu_ids.push_back(p.feishu_user_id);
    if (!p.wecom_user_id.empty()) n.message.mention_wecom_ids.push_back(p.wecom_user_id);
    if (!p.email.empty()) n.email_to.push_back(p.email);
  }
}

Result<std::string> NewAckLink(IncidentsContext& ctx, store::Tx& tx, int64_t incident_id,
                               std::optional<int64_t> person_id, int64_t now_ms) {
  const std::string token = RandomToken(24);
  FS_RETURN_IF_ERROR(StatusOf(
      tx.Exec("INSERT INTO incident_ack_tokens (token_hash, incident_id, person_id, created_at, "
              "expires_at) VALUES (?, ?, ?, ?, ?)",
              {auth::Sha256Hex(token), incident_id, store::OptionalInt(person_id), now_ms,
               now_ms + ctx.settings.ack_link_ttl.count()})));
  return ctx.services.public_url + "/ack/" + token;
}

Result<int64_t> UseAckToken(store::Tx& tx, std::string_view token, int64_t now_ms) {
  const Status gone = NotFound("this acknowledge link is unknown, already used or expired");
  if (token.empty() || token.size() > 128) return Err(gone);
  const std::string hash = auth::Sha256Hex(token);
  FS_ASSIGN_OR_RETURN(int64_t used,
                      tx.Exec("UPDATE incident_ack_tokens SET used_at = ? WHERE token_hash = ? "
                              "AND used_at IS NULL AND expires_at > ?",
                              {now_ms, hash, now_ms}));
  if (used != 1) return Err(gone);
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT incident_id FROM incident_ack_tokens WHERE "
                                            "token_hash = ?",
                                            {hash}));
  if (!row) return Err(gone);
  return row->Int(0);
}

Result<std::vector<catalog::Person>> LevelPeople(store::Tx& tx, const Incident& incident,
                                                 const catalog::EscalationLevel& level,
                                                 int64_t now_ms) {
  FS_ASSIGN_OR_RETURN(auto people, catalog::ResolveLevel(tx, level, now_ms));
  FS_ASSIGN_OR_RETURN(auto roles, LoadRoles(tx, incident.id));
  for (const auto& target : level.targets) {
    if (target.type != "role") continue;
    for (const auto& assignment : roles) {
      if (assignment.role != target.role || !assignment.person_id) continue;
      bool seen = false;
      for (const auto& p : people) seen = seen || p.id == *assignment.person_id;
      if (seen) continue;
      FS_ASSIGN_OR_RETURN(auto person, catalog::FindPersonById(tx, *assignment.person_id));
      if (person) people.push_back(std::move(*person));
    }
  }
  return people;
}

Status AnnounceDeclared(IncidentsContext& ctx, store::Tx& tx, const Incident& incident,
                        const std::vector<catalog::Person>& people, int64_t now_ms) {
  notify::Notification n = IncidentNotification(
      incident, "inc-" + std::to_string(incident.id) + "-declared", "page", "internal");
  n.message.title = "[" + incident.severity + "] " + incident.title;
  std::string body = "**" + incident.ref + "** " + incident.title + "\n\n" +
                     "Severity 级别: " + SeverityLine(tx, incident) + "\n\n" +
                     "Services 服务: " + ServicesText(incident) + "\n\n" +
                     "Declared by 发起人: " + incident.declared_by;
  if (!incident.plan_key.empty()) {
    body += "\n\nPlan 预案: " + incident.plan_key + " v" + std::to_string(incident.plan_version);
  }
  if (!people.empty()) body += "\n\nPaged 通知: " + Handles(people);
  n.message.markdown = std::move(body);
  FS_ASSIGN_OR_RETURN_STATUS(n.message.links, IncidentLinks(ctx, tx, incident, now_ms, true));
  AddRecipients(n, people);
  FS_ASSIGN_OR_RETURN_STATUS(auto rows, notify::Enqueue(tx, n, now_ms));
  return AppendTimeline(
      tx, incident.id, now_ms, "system", "notification",
      "Declared notice queued for " + std::to_string(rows.size()) + " channel(s)" +
          (people.empty() ? "" : "; paged " + Handles(people)),
      json::Serialize(boost::json::object{{"state", "queued"},
                                          {"channels", static_cast<int64_t>(rows.size())},
                                          {"paged", HandleArray(people)}}));
}

Result<std::vector<catalog::Person>> StartTimers(IncidentsContext& ctx, store::Tx& tx,
                                                 const Incident& incident, int64_t now_ms,
                                                 bool page_at_once) {
  (void)ctx;
  std::vector<catalog::Person> paged_now;
  FS_ASSIGN_OR_RETURN(auto severity, catalog::FindSeverity(tx, incident.severity));
  if (severity && severity->update_cadence_ms > 0) {
    FS_RETURN_IF_ERROR(
        ScheduleTimer(tx, incident.id, kTimerUpdateReminder, now_ms + severity->update_cadence_ms));
  }
  FS_ASSIGN_OR_RETURN(auto policy, PolicyOf(tx, incident));
  if (!policy || policy->levels.empty()) return paged_now;
  if (!page_at_once || policy->levels[0].delay_ms > 0) {
    FS_RETURN_IF_ERROR(
        ScheduleTimer(tx, incident.id, kTimerEscalation, now_ms + policy->levels[0].delay_ms));
    return paged_now;
  }
  // Level 0 pages at once, inside the declared announcement.
  FS_ASSIGN_OR_RETURN(paged_now, LevelPeople(tx, incident, policy->levels[0], now_ms));
  FS_RETURN_IF_ERROR(ScheduleNext(tx, incident, *policy, 0, 0, now_ms));
  return paged_now;
}

Status FireEscalation(IncidentsContext& ctx, store::Tx& tx, const Timer& timer, int64_t now_ms) {
  FS_ASSIGN_OR_RETURN_STATUS(auto incident, FindIncidentById(tx, timer.incident_id));
  if (!incident || incident->status != kDeclared) return Status::Ok();  // acknowledged since
  FS_ASSIGN_OR_RETURN_STATUS(auto policy, PolicyOf(tx, *incident));
  if (!policy || timer.level >= static_cast<int>(policy->levels.size())) return Status::Ok();
  FS_ASSIGN_OR_RETURN_STATUS(
      auto people,
      LevelPeople(tx, *incident, policy->levels[static_cast<size_t>(timer.level)], now_ms));
  FS_RETURN_STATUS_IF_ERROR(Page(ctx, tx, *incident, people, timer, now_ms));
  return ScheduleNext(tx, *incident, *policy, timer.level, timer.round, now_ms);
}

Status FireUpdateReminder(IncidentsContext& ctx, store::Tx& tx, const Timer& timer,
                          int64_t now_ms) {
  (void)ctx;
  FS_ASSIGN_OR_RETURN_STATUS(auto incident, FindIncidentById(tx, timer.incident_id));
  if (!incident || !(incident->status == kDeclared || incident->status == kAcknowledged ||
                     incident->status == kMitigating)) {
    return Status::Ok();
  }
  FS_ASSIGN_OR_RETURN_STATUS(auto severity, catalog::FindSeverity(tx, incident->severity));
  if (!severity || severity->update_cadence_ms <= 0) return Status::Ok();
  FS_ASSIGN_OR_RETURN_STATUS(auto last,
                             tx.QueryOne("SELECT COALESCE(last_update_at, declared_at) FROM "
                                         "incidents WHERE id = ?",
                                         {incident->id}));
  const int64_t last_update = last ? last->Int(0) : incident->declared_at;
  const int64_t due = last_update + severity->update_cadence_ms;
  if (due > now_ms) {
    return ScheduleTimer(tx, incident->id, kTimerUpdateReminder, due);
  }
  FS_ASSIGN_OR_RETURN_STATUS(auto roles, LoadRoles(tx, incident->id));
  std::vector<catalog::Person> commander;
  for (const auto& r : roles) {
    if (r.role != "commander" || !r.person_id) continue;
    FS_ASSIGN_OR_RETURN_STATUS(auto p, catalog::FindPersonById(tx, *r.person_id));
    if (p) commander.push_back(std::move(*p));
  }
  notify::Notification n = IncidentNotification(
      *incident, "inc-" + std::to_string(incident->id) + "-remind-" + std::to_string(timer.id),
      "reminder", "internal");
  n.message.title = "[" + incident->severity + "] Status update due 请更新进展: " + incident->title;
  n.message.markdown = "**" + incident->ref + "**: no status update for " +
                       std::to_string((now_ms - last_update) / 60000) + " min (cadence " +
                       std::to_string(severity->update_cadence_ms / 60000) +
                       " min). 已超过更新周期，请指挥官发布进展。";
  n.message.links.push_back({"Open incident 查看事件", ctx.IncidentUrl(incident->ref)});
  AddRecipients(n, commander);
  FS_RETURN_STATUS_IF_ERROR(StatusOf(notify::Enqueue(tx, n, now_ms)));
  FS_RETURN_STATUS_IF_ERROR(AppendTimeline(
      tx, incident->id, now_ms, "system", "reminder",
      "Status update overdue: reminded " +
          (commander.empty() ? std::string("the channels") : Handles(commander)),
      json::Serialize(boost::json::object{{"minutes_since_update", (now_ms - last_update) / 60000},
                                          {"reminded", HandleArray(commander)}})));
  return ScheduleTimer(tx, incident->id, kTimerUpdateReminder,
                       now_ms + severity->update_cadence_ms);
}

}  // namespace failsafe::incidents
