// /api/v1/notifications: the outbox as the API shows it, a custom message, and retry.
#include <charconv>

#include "auth/audit_log.h"
#include "base/json.h"
#include "base/random.h"
#include "notify/routes.h"
#include "server/pagination.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::notify {
namespace {

namespace bj = boost::json;
using server::Request;
using server::Response;

Result<std::optional<int64_t>> IdQuery(const Request& req, const std::string& name) {
  auto v = req.Query(name);
  if (!v) return std::optional<int64_t>();
  int64_t id = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
  if (ec != std::errc() || p != v->data() + v->size() || id <= 0) {
    return Err(InvalidArgument(name + " must be a positive integer", name));
  }
  return std::optional<int64_t>(id);
}

Result<Response> ListRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  OutboxFilter f;
  f.state = req.Query("state");
  if (f.state && *f.state != "pending" && *f.state != "sending" && *f.state != "delivered" &&
      *f.state != "failed" && *f.state != "folded") {
    return Err(
        InvalidArgument("state must be pending, sending, delivered, failed or folded", "state"));
  }
  FS_ASSIGN_OR_RETURN(f.incident_id, IdQuery(req, "incident_id"));
  FS_ASSIGN_OR_RETURN(f.channel_id, IdQuery(req, "channel_id"));
  f.after_id = page.after_id;
  f.limit = page.limit + 1;
  FS_ASSIGN_OR_RETURN(auto rows,
                      store::ReadResult<std::vector<OutboxRow>>(
                          ctx.services.store, [&](store::Tx& tx) { return ListOutbox(tx, f); }));
  std::optional<int64_t> next;
  if (rows.size() > static_cast<size_t>(page.limit)) {
    rows.resize(static_cast<size_t>(page.limit));
    next = rows.back().id;
  }
  bj::array items;
  for (const auto& r : rows) items.push_back(OutboxJson(r));
  return Response::Json(server::PageJson(std::move(items), next));
}

Result<Response> GetRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "notification"));
  FS_ASSIGN_OR_RETURN(
      auto row, store::ReadResult<std::optional<OutboxRow>>(
                    ctx.services.store, [&](store::Tx& tx) { return LoadOutboxRow(tx, id); }));
  if (!row) return Err(NotFound("notification " + std::to_string(id) + " not found"));
  bj::object o = OutboxJson(*row);
  o["markdown"] = row->message.markdown;
  return Response::Json(o);
}

std::vector<std::string> Strings(json::ObjectReader& r, std::string_view key) {
  std::vector<std::string> out;
  if (const bj::array* a = r.OptionalArray(key)) {
    for (const auto& v : *a) {
      if (!v.is_string()) {
        r.Fail(key, "field '" + r.FieldName(key) + "' must be a list of strings");
        return {};
      }
      out.emplace_back(v.as_string());
    }
  }
  return out;
}

Result<Response> CreateRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader r(body);
  Notification n;
  n.kind = "custom";
  n.idempotency_key = r.OptionalString("idempotency_key", 200).value_or("");
  n.message.title = r.RequiredString("title", 300);
  n.message.markdown = r.OptionalString("markdown", 20000).value_or("");
  n.message.language = r.OptionalString("language", 10).value_or("en");
  n.audience = r.OptionalString("audience", 20).value_or("internal");
  n.severity = r.OptionalString("severity", 10).value_or("");
  n.incident_id = r.OptionalInt("incident_id");
  n.service_keys = Strings(r, "services");
  n.team_keys = Strings(r, "teams");
  n.email_to = Strings(r, "email_to");
  if (const bj::array* ids = r.OptionalArray("channel_ids")) {
    for (const auto& v : *ids) {
      boost::system::error_code ec;
      const int64_t cid = v.is_number() ? v.to_number<int64_t>(ec) : 0;
      if (ec || cid <= 0) {
        r.Fail("channel_ids", "field 'channel_ids' must be a list of channel ids");
        break;
      }
      n.channel_ids.push_back(cid);
    }
  }
  if (const bj::array* links = r.OptionalArray("links")) {
    for (size_t i = 0; i < links->size(); ++i) {
      const bj::value& v = (*links)[i];
      if (!v.is_object()) {
        r.Fail("links", "field 'links[" + std::to_string(i) + "]' must be an object");
        break;
      }
      json::ObjectReader lr(v.as_object(), "links[" + std::to_string(i) + "]");
      Link l{lr.RequiredString("title", 100), lr.RequiredString("url", 2000)};
      FS_RETURN_IF_ERROR(lr.Finish());
      n.message.links.push_back(std::move(l));
    }
  }
  FS_RETURN_IF_ERROR(r.Finish());
  if (n.message.title.empty()) return Err(InvalidArgument("title must not be empty", "title"));
  if (n.message.language != "en" && n.message.language != "zh-CN") {
    return Err(InvalidArgument("language must be en or zh-CN", "language"));
  }
  if (n.idempotency_key.empty()) n.idempotency_key = "custom:" + RandomToken(12);
  const int64_t now = ctx.services.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      auto ids,
      store::WriteResult<std::vector<int64_t>>(
          ctx.services.store, [&](store::Tx& tx) -> Result<std::vector<int64_t>> {
            FS_ASSIGN_OR_RETURN(auto out, Enqueue(tx, n, now));
            bj::array idj;
            for (int64_t id : out) idj.emplace_back(id);
            FS_RETURN_IF_ERROR(ctx.services.audit.Append(
                tx, auth::AuditFor(req, "notification.create", "notification", n.idempotency_key,
                                   {{"title", n.message.title}, {"ids", idj}})));
            return out;
          }));
  ctx.worker.Wake();
  bj::array idj;
  for (int64_t id : ids) idj.emplace_back(id);
  return Response::Json(bj::object{{"idempotency_key", n.idempotency_key}, {"ids", idj}}, 202);
}

Result<Response> RetryRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "notification"));
  const int64_t now = ctx.services.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      OutboxRow row,
      store::WriteResult<OutboxRow>(ctx.services.store, [&](store::Tx& tx) -> Result<OutboxRow> {
        FS_RETURN_IF_ERROR(RetryRow(tx, id, now));
        FS_RETURN_IF_ERROR(ctx.services.audit.Append(
            tx, auth::AuditFor(req, "notification.retry", "notification", std::to_string(id))));
        FS_ASSIGN_OR_RETURN(auto r, LoadOutboxRow(tx, id));
        return std::move(*r);
      }));
  ctx.worker.Wake();
  return Response::Json(OutboxJson(row));
}

const char kRowSchema[] = R"({"type":"object",
  "required":["id","idempotency_key","channel_id","channel_name","kind","title","state","attempts"],
  "properties":{"id":{"type":"integer"},"idempotency_key":{"type":"string"},
  "channel_id":{"type":"integer"},"channel_name":{"type":"string"},"channel_type":{"type":"string"},
  "incident_id":{"type":["integer","null"]},"kind":{"type":"string"},"audience":{"type":"string"},
  "title":{"type":"string"},
  "state":{"type":"string","enum":["pending","sending","delivered","failed","folded"]},
  "attempts":{"type":"integer"},"last_error":{"type":"string"},
  "digest_id":{"type":["integer","null"],"description":"folded: the digest that carried it"},
  "next_attempt_at":{"type":["string","null"],"format":"date-time"},
  "delivered_at":{"type":["string","null"],"format":"date-time"},
  "created_at":{"type":"string","format":"date-time"},
  "updated_at":{"type":"string","format":"date-time"},
  "markdown":{"type":"string"}}})";

const char kCreateSchema[] = R"({"type":"object","required":["title"],"additionalProperties":false,
  "properties":{"title":{"type":"string"},"markdown":{"type":"string"},
  "language":{"type":"string","enum":["en","zh-CN"]},
  "idempotency_key":{"type":"string","description":"re-posting the same key is a no-op"},
  "audience":{"type":"string","enum":["internal","customers","leadership"]},
  "severity":{"type":"string"},"incident_id":{"type":"integer"},
  "services":{"type":"array","items":{"type":"string"}},
  "teams":{"type":"array","items":{"type":"string"}},
  "email_to":{"type":"array","items":{"type":"string"}},
  "channel_ids":{"type":"array","items":{"type":"integer"},
                 "description":"empty: every enabled channel whose audience and scope match"},
  "links":{"type":"array","items":{"type":"object","required":["title","url"],
           "properties":{"title":{"type":"string"},"url":{"type":"string"}}}}}})";

const char kCreatedSchema[] = R"({"type":"object","required":["idempotency_key","ids"],
  "properties":{"idempotency_key":{"type":"string"},"ids":{"type":"array","items":{"type":"integer"}}}})";

}  // namespace

void RegisterNotificationRoutes(NotifyContext& ctx, server::Router& router) {
  using server::Schema;
  router.Add({"GET",
              "/api/v1/notifications",
              "notifications.read",
              [&ctx](Request& req) { return ListRoute(ctx, req); },
              {"List notifications in the outbox (one per message and channel)",
               "notifications",
               nullptr,
               server::PagedSchema(Schema(kRowSchema)),
               200,
               {"state", "incident_id", "channel_id", "limit", "cursor"}}});
  router.Add({"GET",
              "/api/v1/notifications/{id}",
              "notifications.read",
              [&ctx](Request& req) { return GetRoute(ctx, req); },
              {"Show one notification", "notifications", nullptr, Schema(kRowSchema), 200, {}}});
  router.Add({"POST",
              "/api/v1/notifications",
              "notifications.write",
              [&ctx](Request& req) { return CreateRoute(ctx, req); },
              {"Send a message to matching channels through the outbox",
               "notifications",
               Schema(kCreateSchema),
               Schema(kCreatedSchema),
               202,
               {}}});
  router.Add({"POST",
              "/api/v1/notifications/{id}/retry",
              "notifications.write",
              [&ctx](Request& req) { return RetryRoute(ctx, req); },
              {"Retry a failed notification now (attempts start again)",
               "notifications",
               nullptr,
               Schema(kRowSchema),
               200,
               {}}});
}

}  // namespace failsafe::notify
