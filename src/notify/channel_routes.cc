// /api/v1/channels: list, create, show, patch, delete, and "send a test message".
#include "auth/audit_log.h"
#include "base/json.h"
#include "notify/routes.h"
#include "server/pagination.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::notify {
namespace {

namespace bj = boost::json;
using server::Request;
using server::Response;

Result<Channel> MustLoad(store::Tx& tx, int64_t id) {
  FS_ASSIGN_OR_RETURN(auto ch, LoadChannel(tx, id));
  if (!ch) return Err(NotFound("channel " + std::to_string(id) + " not found"));
  return std::move(*ch);
}

// What changed, for the audit log: field names only (values may be secrets).
bj::array ChangedFields(const bj::object& body) {
  bj::array a;
  for (const auto& kv : body) a.emplace_back(kv.key());
  return a;
}

Result<Response> ListRoute(NotifyContext& ctx, Request&) {
  FS_ASSIGN_OR_RETURN(auto channels,
                      store::ReadResult<std::vector<Channel>>(
                          ctx.services.store, [](store::Tx& tx) { return ListChannels(tx); }));
  bj::array items;
  for (const auto& c : channels) items.push_back(ChannelJson(c));
  return Response::Json(server::PageJson(std::move(items), std::nullopt));
}

Result<Response> CreateRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  FS_ASSIGN_OR_RETURN(ChannelInput in, ParseChannelInput(body, /*create=*/true));
  Channel ch;
  FS_RETURN_IF_ERROR(ApplyChannelInput(in, ctx.services.secrets, ch));
  ch.created_at = ch.updated_at = ctx.services.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      ch.id, store::WriteResult<int64_t>(ctx.services.store, [&](store::Tx& tx) -> Result<int64_t> {
        FS_ASSIGN_OR_RETURN(int64_t id, InsertChannel(tx, ch));
        FS_RETURN_IF_ERROR(ctx.services.audit.Append(
            tx, auth::AuditFor(req, "channel.create", "channel", std::to_string(id),
                               {{"name", ch.name}, {"type", ch.type}, {"url", ch.url_hint}})));
        return id;
      }));
  return Response::Json(ChannelJson(ch), 201);
}

Result<Response> GetRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "channel"));
  FS_ASSIGN_OR_RETURN(Channel ch,
                      store::ReadResult<Channel>(ctx.services.store,
                                                 [&](store::Tx& tx) { return MustLoad(tx, id); }));
  return Response::Json(ChannelJson(ch));
}

Result<Response> PatchRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "channel"));
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  FS_ASSIGN_OR_RETURN(ChannelInput in, ParseChannelInput(body, /*create=*/false));
  FS_ASSIGN_OR_RETURN(
      Channel ch,
      store::WriteResult<Channel>(ctx.services.store, [&](store::Tx& tx) -> Result<Channel> {
        FS_ASSIGN_OR_RETURN(Channel c, MustLoad(tx, id));
        FS_RETURN_IF_ERROR(ApplyChannelInput(in, ctx.services.secrets, c));
        c.updated_at = ctx.services.clock.NowMillis();
        FS_RETURN_IF_ERROR(UpdateChannel(tx, c));
        FS_RETURN_IF_ERROR(ctx.services.audit.Append(
            tx, auth::AuditFor(req, "channel.update", "channel", std::to_string(id),
                               {{"name", c.name}, {"fields", ChangedFields(body)}})));
        return c;
      }));
  ctx.worker.Wake();  // re-enabled, or a new rate limit
  return Response::Json(ChannelJson(ch));
}

Result<Response> DeleteRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "channel"));
  Status st = ctx.services.store.Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(Channel c, MustLoad(tx, id));
    FS_RETURN_STATUS_IF_ERROR(DeleteChannel(tx, id));
    return ctx.services.audit.Append(
        tx, auth::AuditFor(req, "channel.delete", "channel", std::to_string(id),
                           {{"name", c.name}, {"type", c.type}}));
  });
  if (!st.ok()) return Err(st);
  ctx.worker.Wake();  // its waiting rows fail visibly ("channel deleted")
  return Response::NoContent();
}

Result<Response> TestRoute(NotifyContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "channel"));
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req, /*empty_ok=*/true));
  json::ObjectReader r(body);
  auto title = r.OptionalString("title", 200);
  auto text = r.OptionalString("markdown", 4000);
  auto language = r.OptionalString("language", 10);
  const bj::array* to = r.OptionalArray("to");
  FS_RETURN_IF_ERROR(r.Finish());
  if (language && *language != "en" && *language != "zh-CN") {
    return Err(InvalidArgument("language must be en or zh-CN", "language"));
  }
  FS_ASSIGN_OR_RETURN(Channel ch,
                      store::ReadResult<Channel>(ctx.services.store,
                                                 [&](store::Tx& tx) { return MustLoad(tx, id); }));
  const int64_t now = ctx.services.clock.NowMillis();
  const bool zh = language && *language == "zh-CN";
  Outgoing out;
  out.kind = "test";
  out.idempotency_key = "test:" + std::to_string(id) + ":" + std::to_string(now);
  out.message.language = zh ? "zh-CN" : "en";
  out.message.title = title.value_or(zh ? "failsafe 测试消息" : "failsafe test message");
  out.message.markdown = text.value_or(
      zh ? "这是来自 failsafe 的测试消息：渠道 **" + ch.name + "** 工作正常。"
         : "This is a test message from failsafe: channel **" + ch.name + "** works.");
  if (!ctx.services.public_url.empty()) {
    out.message.links.push_back({zh ? "打开 failsafe" : "Open failsafe", ctx.services.public_url});
  }
  if (to) {
    for (const auto& v : *to) {
      if (!v.is_string()) return Err(InvalidArgument("to must be a list of addresses", "to"));
      out.email_to.emplace_back(v.as_string());
    }
  }
  if (ch.type == "email" && ch.email.to.empty() && out.email_to.empty()) {
    return Err(InvalidArgument("this email channel has no default recipients: give \"to\"", "to"));
  }
  SendResult result = ctx.worker.SendNow(ch, out);
  Status st = ctx.services.store.Write([&](store::Tx& tx) {
    return ctx.services.audit.Append(
        tx, auth::AuditFor(req, "channel.test", "channel", std::to_string(id),
                           {{"name", ch.name}, {"delivered", result.ok}, {"error", result.error}}));
  });
  if (!st.ok()) return Err(st);
  bj::object o{{"channel_id", ch.id},
               {"channel_name", ch.name},
               {"delivered", result.ok},
               {"error", result.error}};
  return Response::Json(o);
}

const char kChannelSchema[] = R"({"type":"object",
  "required":["id","name","type","url","has_secret","enabled","audiences","scope","rate_limit"],
  "properties":{"id":{"type":"integer"},"name":{"type":"string"},
  "type":{"type":"string","enum":["dingtalk","feishu","wecom","slack","webhook","email"]},
  "url":{"type":"string","description":"redacted: scheme and host only"},
  "has_secret":{"type":"boolean"},"enabled":{"type":"boolean"},
  "audiences":{"type":"array","items":{"type":"string","enum":["internal","customers","leadership"]}},
  "scope":{"type":"object","properties":{"services":{"type":"array","items":{"type":"string"}},
    "teams":{"type":"array","items":{"type":"string"}},
    "severities":{"type":"array","items":{"type":"string","enum":["P1","P2","P3","P4"]}}}},
  "rate_limit":{"type":"object","properties":{"per_second":{"type":"integer"},"per_minute":{"type":"integer"}}},
  "email":{"type":"object","properties":{"starttls":{"type":"string"},"user":{"type":"string"},
    "has_password":{"type":"boolean"},"from":{"type":"string"},
    "to":{"type":"array","items":{"type":"string"}},"ca_file":{"type":"string"}}},
  "created_at":{"type":"string","format":"date-time"},
  "updated_at":{"type":"string","format":"date-time"}}})";

const char kInputProperties[] = R"(
  "name":{"type":"string","minLength":1,"maxLength":100},
  "type":{"type":"string","enum":["dingtalk","feishu","wecom","slack","webhook","email"]},
  "url":{"type":"string","description":"the robot's webhook URL, or smtp(s)://host:port; sealed at rest"},
  "secret":{"type":"string","description":"signing secret (DingTalk, Feishu, webhook); \"\" removes it"},
  "enabled":{"type":"boolean"},
  "audiences":{"type":"array","items":{"type":"string","enum":["internal","customers","leadership"]}},
  "scope":{"type":"object","additionalProperties":false,"properties":{
    "services":{"type":"array","items":{"type":"string"}},
    "teams":{"type":"array","items":{"type":"string"}},
    "severities":{"type":"array","items":{"type":"string","enum":["P1","P2","P3","P4"]}}}},
  "rate_limit":{"type":"object","additionalProperties":false,"properties":{
    "per_second":{"type":"integer","minimum":0},"per_minute":{"type":"integer","minimum":0}}},
  "email":{"type":"object","additionalProperties":false,"properties":{
    "starttls":{"type":"string","enum":["required","optional","off"]},
    "user":{"type":"string"},"password":{"type":"string"},"from":{"type":"string"},
    "to":{"type":"array","items":{"type":"string"}},"ca_file":{"type":"string"}}})";

std::string InputSchema(bool create) {
  return std::string(R"({"type":"object","additionalProperties":false,)") +
         (create ? R"("required":["name","type","url"],)" : "") + R"("properties":{)" +
         kInputProperties + "}}";
}

const char kTestSchema[] = R"({"type":"object","additionalProperties":false,"properties":{
  "title":{"type":"string"},"markdown":{"type":"string"},
  "language":{"type":"string","enum":["en","zh-CN"]},
  "to":{"type":"array","items":{"type":"string"},"description":"email: recipients for this test"}}})";

const char kTestResultSchema[] = R"({"type":"object","required":["channel_id","delivered","error"],
  "properties":{"channel_id":{"type":"integer"},"channel_name":{"type":"string"},
  "delivered":{"type":"boolean"},"error":{"type":"string"}}})";

}  // namespace

void RegisterChannelRoutes(NotifyContext& ctx, server::Router& router) {
  using server::Schema;
  router.Add({"GET",
              "/api/v1/channels",
              "channels.read",
              [&ctx](Request& req) { return ListRoute(ctx, req); },
              {"List notification channels (URLs redacted)",
               "channels",
               nullptr,
               server::PagedSchema(Schema(kChannelSchema)),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/channels",
              "channels.admin",
              [&ctx](Request& req) { return CreateRoute(ctx, req); },
              {"Add a notification channel (admin: a channel decides where incident details go)",
               "channels",
               Schema(InputSchema(true)),
               Schema(kChannelSchema),
               201,
               {}}});
  router.Add(
      {"GET",
       "/api/v1/channels/{id}",
       "channels.read",
       [&ctx](Request& req) { return GetRoute(ctx, req); },
       {"Show a channel (URL redacted)", "channels", nullptr, Schema(kChannelSchema), 200, {}}});
  router.Add({"PATCH",
              "/api/v1/channels/{id}",
              "channels.admin",
              [&ctx](Request& req) { return PatchRoute(ctx, req); },
              {"Change a channel (the type cannot change)",
               "channels",
               Schema(InputSchema(false)),
               Schema(kChannelSchema),
               200,
               {}}});
  router.Add({"DELETE",
              "/api/v1/channels/{id}",
              "channels.admin",
              [&ctx](Request& req) { return DeleteRoute(ctx, req); },
              {"Remove a channel (its waiting notifications fail visibly)",
               "channels",
               nullptr,
               nullptr,
               204,
               {}}});
  router.Add({"POST",
              "/api/v1/channels/{id}/test",
              "channels.write",
              [&ctx](Request& req) { return TestRoute(ctx, req); },
              {"Send a test message now and report the outcome",
               "channels",
               Schema(kTestSchema),
               Schema(kTestResultSchema),
               200,
               {}}});
}

}  // namespace failsafe::notify
