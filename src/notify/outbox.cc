// The outbox table and Enqueue (outbox.h, outbox_store.h).
#include <algorithm>

#include "base/clock.h"
#include "notify/channel.h"
#include "notify/outbox_store.h"

namespace failsafe::notify {
namespace {

namespace bj = boost::json;

constexpr const char* kColumns =
    "id, idempotency_key, channel_id, channel_name, channel_type, incident_id, kind, audience, "
    "title, message, email_to, state, attempts, next_attempt_at, lease_until, last_error, "
    "digest_id, created_at, updated_at, delivered_at";
constexpr size_t kMaxDigestTitles = 50;

bj::array JsonList(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> ListOf(const bj::object& o, const char* key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array()) {
    for (const auto& s : v->as_array()) {
      if (s.is_string()) out.emplace_back(s.as_string());
    }
  }
  return out;
}

std::string StringOf(const bj::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

std::vector<std::string> ParseList(const std::string& text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_array()) return {};
  bj::object holder{{"l", v}};
  return ListOf(holder, "l");
}

OutboxRow FromRow(const store::Row& r) {
  OutboxRow o;
  o.id = r.Int(0);
  o.idempotency_key = r.Text(1);
  o.channel_id = r.Int(2);
  o.channel_name = r.Text(3);
  o.channel_type = r.Text(4);
  o.incident_id = r.OptInt(5);
  o.kind = r.Text(6);
  o.audience = r.Text(7);
  o.title = r.Text(8);
  o.message = ParseMessage(r.Text(9));
  o.email_to = ParseList(r.Text(10));
  o.state = r.Text(11);
  o.attempts = static_cast<int>(r.Int(12));
  o.next_attempt_at = r.Int(13);
  o.lease_until = r.Int(14);
  o.last_error = r.Text(15);
  o.digest_id = r.OptInt(16);
  o.created_at = r.Int(17);
  o.updated_at = r.Int(18);
  o.delivered_at = r.OptInt(19);
  return o;
}

bool Intersects(const std::vector<std::string>& scope, const std::vector<std::string>& given) {
  if (scope.empty()) return true;  // no scope: every incident
  return std::any_of(given.begin(), given.end(), [&](const std::string& g) {
    return std::find(scope.begin(), scope.end(), g) != scope.end();
  });
}

bool Matches(const Channel& ch, const Notification& n) {
  if (!ch.enabled) return false;
  if (std::find(ch.audiences.begin(), ch.audiences.end(), n.audience) == ch.audiences.end()) {
    return false;
  }
  if (!Intersects(ch.services, n.service_keys) || !Intersects(ch.teams, n.team_keys)) return false;
  if (!ch.severities.empty() &&
      std::find(ch.severities.begin(), ch.severities.end(), n.severity) == ch.severities.end()) {
    return false;
  }
  return true;
}

DeliveryEvent EventFor(const OutboxRow& row, std::string state, int attempt, std::string error) {
  DeliveryEvent e;
  e.notification_id = row.id;
  e.incident_id = row.incident_id;
  e.channel_id = row.channel_id;
  e.channel_name = row.channel_name;
  e.channel_type = row.channel_type;
  e.kind = row.kind;
  e.title = row.title;
  e.state = std::move(state);
  e.attempt = attempt;
  e.error = std::move(error);
  return e;
}

Status Tell(store::Tx& tx, const DeliveryListener& listener, const DeliveryEvent& e) {
  return listener ? listener(tx, e) : Status::Ok();
}

Result<int64_t> InsertRow(store::Tx& tx, const OutboxRow& o) {
  FS_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(
          "INSERT INTO notify_outbox (idempotency_key, channel_id, channel_name, "
          "channel_type, incident_id, kind, audience, title, message, email_to, state, "
          "attempts, next_attempt_at, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) "
          "ON CONFLICT (idempotency_key, channel_id) DO NOTHING RETURNING id",
          {o.idempotency_key, o.channel_id, o.channel_name, o.channel_type,
           store::OptionalInt(o.incident_id), o.kind, o.audience, o.title, MessageText(o.message),
           bj::serialize(JsonList(o.email_to)), o.next_attempt_at, o.created_at, o.created_at}));
  if (!rows.empty()) return rows[0].Int(0);
  // Enqueued before: the same (key, channel) is the same notification.
  FS_ASSIGN_OR_RETURN(auto existing,
                      tx.QueryOne("SELECT id FROM notify_outbox WHERE idempotency_key = ? AND "
                                  "channel_id = ?",
                                  {o.idempotency_key, o.channel_id}));
  if (!existing) return Err(Internal("outbox insert returned no row"));
  return existing->Int(0);
}

}  // namespace

std::string MessageText(const Message& m) {
  bj::array links;
  for (const Link& l : m.links) links.push_back({{"title", l.title}, {"url", l.url}});
  bj::object o{{"title", m.title},
               {"markdown", m.markdown},
               {"links", std::move(links)},
               {"mention_mobiles", JsonList(m.mention_mobiles)},
               {"mention_dingtalk_ids", JsonList(m.mention_dingtalk_ids)},
               {"mention_feishu_ids", JsonList(m.mention_feishu_ids)},
               {"mention_wecom_ids", JsonList(m.mention_wecom_ids)},
               {"mention_all", m.mention_all},
               {"language", m.language}};
  return bj::serialize(o);
}

Message ParseMessage(const std::string& text) {
  Message m;
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_object()) return m;
  const auto& o = v.as_object();
  m.title = StringOf(o, "title");
  m.markdown = StringOf(o, "markdown");
  if (const auto* links = o.if_contains("links"); links && links->is_array()) {
    for (const auto& l : links->as_array()) {
      if (l.is_object()) {
        m.links.push_back({StringOf(l.as_object(), "title"), StringOf(l.as_object(), "url")});
      }
    }
  }
  m.mention_mobiles = ListOf(o, "mention_mobiles");
  m.mention_dingtalk_ids = ListOf(o, "mention_dingtalk_ids");
  m.mention_feishu_ids = ListOf(o, "mention_feishu_ids");
  m.mention_wecom_ids = ListOf(o, "mention_wecom_ids");
  if (const auto* a = o.if_contains("mention_all"); a && a->is_bool()) m.mention_all = a->as_bool();
  m.language = StringOf(o, "language");
  if (m.language.empty()) m.language = "en";
  return m;
}

Result<std::vector<int64_t>> Enqueue(store::Tx& tx, const Notification& n, int64_t now_ms) {
  if (n.idempotency_key.empty()) {
    return Err(InvalidArgument("idempotency_key must not be empty", "idempotency_key"));
  }
  if (n.kind.empty()) return Err(InvalidArgument("kind must not be empty", "kind"));
  if (n.message.title.empty()) return Err(InvalidArgument("title must not be empty", "title"));
  if (!IsAudience(n.audience)) {
    return Err(InvalidArgument("audience must be internal, customers or leadership", "audience"));
  }
  std::vector<Channel> targets;
  if (!n.channel_ids.empty()) {
    for (int64_t id : n.channel_ids) {
      FS_ASSIGN_OR_RETURN(auto ch, LoadChannel(tx, id));
      if (!ch) {
        return Err(
            InvalidArgument("channel " + std::to_string(id) + " does not exist", "channel_ids"));
      }
      targets.push_back(std::move(*ch));
    }
  } else {
    FS_ASSIGN_OR_RETURN(auto all, ListChannels(tx));
    for (auto& ch : all) {
      if (Matches(ch, n)) targets.push_back(std::move(ch));
    }
  }
  std::vector<int64_t> ids;
  for (const Channel& ch : targets) {
    OutboxRow o;
    o.idempotency_key = n.idempotency_key;
    o.channel_id = ch.id;
    o.channel_name = ch.name;
    o.channel_type = ch.type;
    o.incident_id = n.incident_id;
    o.kind = n.kind;
    o.audience = n.audience;
    o.title = n.message.title;
    o.message = n.message;
    o.email_to = n.email_to;
    o.next_attempt_at = now_ms;
    o.created_at = now_ms;
    FS_ASSIGN_OR_RETURN(int64_t id, InsertRow(tx, o));
    ids.push_back(id);
  }
  return ids;
}

Result<std::vector<OutboxRow>> DueRows(store::Tx& tx, int64_t now_ms, int limit) {
  FS_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kColumns +
                              " FROM notify_outbox WHERE (state = 'pending' AND next_attempt_at "
                              "<= ?) OR (state = 'sending' AND lease_until <= ?) ORDER BY id "
                              "LIMIT ?",
                          {now_ms, now_ms, int64_t{limit}}));
  std::vector<OutboxRow> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<std::optional<int64_t>> NextDueAt(store::Tx& tx) {
  FS_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT MIN(CASE WHEN state = 'pending' THEN next_attempt_at ELSE "
                            "lease_until END) FROM notify_outbox WHERE state IN ('pending', "
                            "'sending')"));
  if (!row || row->IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(row->Int(0));
}

Result<bool> Claim(store::Tx& tx, const OutboxRow& row, int64_t now_ms, int64_t lease_until) {
  FS_ASSIGN_OR_RETURN(
      int64_t n, tx.Exec("UPDATE notify_outbox SET state = 'sending', attempts = attempts + 1, "
                         "lease_until = ?, updated_at = ? WHERE id = ? AND state = ? AND "
                         "attempts = ?",
                         {lease_until, now_ms, row.id, row.state, int64_t{row.attempts}}));
  return n == 1;
}

Status ReleaseInterruptedSends(store::Tx& tx, int64_t now_ms) {
  auto n = tx.Exec("UPDATE notify_outbox SET lease_until = ? WHERE state = 'sending'", {now_ms});
  return n ? Status::Ok() : n.error();
}

Status RecordOutcome(store::Tx& tx, const OutboxRow& row, bool ok, const std::string& error,
                     int max_attempts, int64_t now_ms, int64_t retry_at,
                     const DeliveryListener& listener) {
  const int attempt = row.attempts + 1;
  std::string state;
  Result<int64_t> n = 0;
  if (ok) {
    state = "delivered";
    n = tx.Exec(
        "UPDATE notify_outbox SET state = 'delivered', delivered_at = ?, last_error = '', "
        "updated_at = ? WHERE id = ? AND state = 'sending' AND attempts = ?",
        {now_ms, now_ms, row.id, int64_t{attempt}});
  } else if (attempt >= max_attempts) {
    state = "failed";
    n = tx.Exec(
        "UPDATE notify_outbox SET state = 'failed', last_error = ?, updated_at = ? "
        "WHERE id = ? AND state = 'sending' AND attempts = ?",
        {error, now_ms, row.id, int64_t{attempt}});
  } else {
    state = "retrying";
    n = tx.Exec(
        "UPDATE notify_outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, "
        "updated_at = ? WHERE id = ? AND state = 'sending' AND attempts = ?",
        {retry_at, error, now_ms, row.id, int64_t{attempt}});
  }
  if (!n) return n.error();
  if (*n == 0) return Status::Ok();  // re-claimed by another worker after our lease ran out
  return Tell(tx, listener, EventFor(row, state, attempt, ok ? "" : error));
}

Status Postpone(store::Tx& tx, int64_t channel_id, int64_t until_ms) {
  auto n = tx.Exec(
      "UPDATE notify_outbox SET next_attempt_at = ? WHERE channel_id = ? AND "
      "state = 'pending' AND next_attempt_at < ?",
      {until_ms, channel_id, until_ms});
  return n ? Status::Ok() : n.error();
}

Result<OutboxRow> FoldIntoDigest(store::Tx& tx, const std::vector<OutboxRow>& rows, int64_t now_ms,
                                 const DeliveryListener& listener) {
  if (rows.empty()) return Err(Internal("nothing to fold"));
  const OutboxRow& first = rows.front();
  const bool zh = first.message.language == "zh-CN";
  const size_t n = rows.size();
  OutboxRow d;
  d.idempotency_key = "digest:" + std::to_string(first.channel_id) + ":" + std::to_string(first.id);
  d.channel_id = first.channel_id;
  d.channel_name = first.channel_name;
  d.channel_type = first.channel_type;
  d.kind = "digest";
  d.audience = first.audience;
  d.message.language = first.message.language;
  d.message.title =
      zh ? "另有 " + std::to_string(n) + " 条通知" : std::to_string(n) + " more notifications";
  std::string md = zh ? "消息过多，已合并为一条摘要（机器人限流）：\n\n"
                      : "Folded into one digest to stay within the robot's rate limit:\n\n";
  std::vector<std::string> emails;
  std::optional<int64_t> incident;
  bool one_incident = true;
  for (size_t i = 0; i < n; ++i) {
    if (i < kMaxDigestTitles) md += "- " + rows[i].title + "\n";
    if (i == 0) incident = rows[i].incident_id;
    if (rows[i].incident_id != incident) one_incident = false;
    for (const auto& e : rows[i].email_to) {
      if (std::find(emails.begin(), emails.end(), e) == emails.end()) emails.push_back(e);
    }
  }
  if (n > kMaxDigestTitles) {
    md += zh ? "- ……以及另外 " + std::to_string(n - kMaxDigestTitles) + " 条\n"
             : "- … and " + std::to_string(n - kMaxDigestTitles) + " more\n";
  }
  d.message.markdown = md;
  d.title = d.message.title;
  d.incident_id = one_incident ? incident : std::nullopt;
  d.email_to = emails;
  d.next_attempt_at = now_ms;
  d.created_at = now_ms;
  FS_ASSIGN_OR_RETURN(d.id, InsertRow(tx, d));
  d.state = "pending";
  for (const OutboxRow& r : rows) {
    FS_ASSIGN_OR_RETURN(int64_t changed,
                        tx.Exec("UPDATE notify_outbox SET state = 'folded', digest_id = ?, "
                                "updated_at = ? WHERE id = ? AND state = 'pending'",
                                {d.id, now_ms, r.id}));
    if (changed == 1) {
      FS_RETURN_IF_ERROR(Tell(tx, listener, EventFor(r, "folded", r.attempts, "")));
    }
  }
  return d;
}

Status FailWaitingRows(store::Tx& tx, const std::vector<OutboxRow>& rows, const std::string& error,
                       int64_t now_ms, const DeliveryListener& listener) {
  for (const OutboxRow& r : rows) {
    FS_ASSIGN_OR_RETURN_STATUS(
        int64_t changed,
        tx.Exec("UPDATE notify_outbox SET state = 'failed', last_error = ?, updated_at = ? "
                "WHERE id = ? AND state = ?",
                {error, now_ms, r.id, r.state}));
    if (changed == 1) {
      FS_RETURN_STATUS_IF_ERROR(Tell(tx, listener, EventFor(r, "failed", r.attempts, error)));
    }
  }
  return Status::Ok();
}

Result<std::vector<OutboxRow>> ListOutbox(store::Tx& tx, const OutboxFilter& f) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM notify_outbox WHERE 1 = 1";
  std::vector<store::Value> p;
  if (f.state) {
    sql += " AND state = ?";
    p.emplace_back(*f.state);
  }
  if (f.incident_id) {
    sql += " AND incident_id = ?";
    p.emplace_back(*f.incident_id);
  }
  if (f.channel_id) {
    sql += " AND channel_id = ?";
    p.emplace_back(*f.channel_id);
  }
  if (f.after_id) {
    sql += " AND id > ?";
    p.emplace_back(*f.after_id);
  }
  sql += " ORDER BY id LIMIT ?";
  p.emplace_back(int64_t{f.limit});
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<OutboxRow> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<std::optional<OutboxRow>> LoadOutboxRow(store::Tx& tx, int64_t id) {
  FS_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kColumns + " FROM notify_outbox WHERE id = ?", {id}));
  if (!row) return std::optional<OutboxRow>();
  return std::optional<OutboxRow>(FromRow(*row));
}

Status RetryRow(store::Tx& tx, int64_t id, int64_t now_ms) {
  FS_ASSIGN_OR_RETURN_STATUS(auto row, LoadOutboxRow(tx, id));
  if (!row) return NotFound("notification " + std::to_string(id) + " not found");
  if (row->state == "delivered" || row->state == "folded" || row->state == "sending") {
    return Conflict("notification " + std::to_string(id) + " is " + row->state +
                    "; only failed or pending notifications can be retried");
  }
  auto n = tx.Exec(
      "UPDATE notify_outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, "
      "updated_at = ? WHERE id = ? AND state IN ('failed', 'pending')",
      {now_ms, now_ms, id});
  return n ? Status::Ok() : n.error();
}

bj::object OutboxJson(const OutboxRow& r) {
  bj::object o{{"id", r.id},
               {"idempotency_key", r.idempotency_key},
               {"channel_id", r.channel_id},
               {"channel_name", r.channel_name},
               {"channel_type", r.channel_type},
               {"kind", r.kind},
               {"audience", r.audience},
               {"title", r.title},
               {"state", r.state},
               {"attempts", r.attempts},
               {"last_error", r.last_error},
               {"created_at", FormatRfc3339(r.created_at)},
               {"updated_at", FormatRfc3339(r.updated_at)}};
  o["incident_id"] = r.incident_id ? bj::value(*r.incident_id) : bj::value(nullptr);
  o["digest_id"] = r.digest_id ? bj::value(*r.digest_id) : bj::value(nullptr);
  o["next_attempt_at"] =
      r.state == "pending" ? bj::value(FormatRfc3339(r.next_attempt_at)) : bj::value(nullptr);
  o["delivered_at"] =
      r.delivered_at ? bj::value(FormatRfc3339(*r.delivered_at)) : bj::value(nullptr);
  return o;
}

Result<std::vector<int64_t>> RecentSends(store::Tx& tx, int64_t channel_id, int64_t since_ms) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT delivered_at FROM notify_outbox WHERE channel_id = ? AND "
                               "state = 'delivered' AND delivered_at > ? ORDER BY delivered_at",
                               {channel_id, since_ms}));
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.Int(0));
  return out;
}

}  // namespace failsafe::notify
