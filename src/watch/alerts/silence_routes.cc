// Silences over the Alertmanager API v2 (what `amtool silence add|query|expire` and
// `failsafe silence` call): GET/POST /api/v2/silences, GET/DELETE /api/v2/silence/{id}.
#include <boost/json.hpp>

#include "auth/audit_log.h"
#include "base/json.h"
#include "server/route_helpers.h"
#include "watch/alerts/alert_json.h"

namespace failsafe::watch::alerts {
namespace {

using server::Request;
using server::Response;

constexpr std::string_view kPostableSilence = R"({"type":"object",
  "required":["matchers","startsAt","endsAt","createdBy","comment"],
  "properties":{"id":{"type":"string"},"matchers":{"type":"array","items":{"type":"object",
  "required":["name","value","isRegex"],"properties":{"name":{"type":"string"},
  "value":{"type":"string"},"isRegex":{"type":"boolean"},"isEqual":{"type":"boolean"}}}},
  "startsAt":{"type":"string","format":"date-time"},"endsAt":{"type":"string",
  "format":"date-time"},"createdBy":{"type":"string"},"comment":{"type":"string"}}})";

// A silence passes a filter matcher when it has a matcher on that label whose value the filter
// accepts (as Alertmanager filters silences).
bool SilencePasses(const Silence& s, const Matchers& filters) {
  for (const auto& f : filters) {
    bool hit = false;
    for (const auto& m : s.matchers) {
      if (m.name() == f.name() && f.Matches(Labels{{m.name(), m.value()}})) hit = true;
    }
    if (!hit) return false;
  }
  return true;
}

void Changed(AlertsContext& ctx) {
  ctx.groups.TouchAll(ctx.now());
  if (ctx.wake) ctx.wake();
}

Result<Response> ListSilences(AlertsContext& ctx, Request& req) {
  Matchers filters;
  for (const auto& text : QueryValues(req.target, "filter")) {
    FS_ASSIGN_OR_RETURN(auto m, Matcher::Parse(text, "filter"));
    filters.push_back(std::move(m));
  }
  const int64_t now = ctx.now();
  boost::json::array out;
  for (const auto& s : ctx.silences.List()) {
    if (SilencePasses(s, filters)) out.push_back(SilenceToJson(s, now));
  }
  return Response::Json(out);
}

Result<Response> PostSilence(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, json::Parse(req.body));
  const int64_t now = ctx.now();
  FS_ASSIGN_OR_RETURN(Silence s, SilenceFromJson(body, now));
  if (!s.id.empty()) {
    auto known = ctx.silences.Get(s.id);
    if (!known) return Err(NotFound("silence " + s.id.substr(0, 64) + " not found"));
    // An expired silence is not revived: the change becomes a new silence (as Alertmanager).
    if (known->State(now) == "expired") s.id.clear();
  }
  const bool created = s.id.empty();
  if (created) s.id = NewUuid();
  Status st = ctx.services.store.Write([&](store::Tx& tx) -> Status {
    FS_RETURN_STATUS_IF_ERROR(Silences::Save(tx, s));
    boost::json::array matchers;
    for (const auto& m : s.matchers) matchers.push_back(boost::json::string(m.ToString()));
    return ctx.services.audit.Append(
        tx, auth::AuditFor(req, created ? "silence.create" : "silence.update", "silence", s.id,
                           {{"matchers", matchers}, {"ends_at", s.ends_at}}));
  });
  if (!st.ok()) return Err(st);
  ctx.silences.Remember(s);
  Changed(ctx);
  return Response::Json(boost::json::object{{"silenceID", s.id}});
}

Result<Response> GetSilence(AlertsContext& ctx, Request& req) {
  auto s = ctx.silences.Get(req.Param("id"));
  if (!s) return Err(NotFound("silence " + req.Param("id").substr(0, 64) + " not found"));
  return Response::Json(SilenceToJson(*s, ctx.now()));
}

Result<Response> ExpireSilence(AlertsContext& ctx, Request& req) {
  auto s = ctx.silences.Get(req.Param("id"));
  if (!s) return Err(NotFound("silence " + req.Param("id").substr(0, 64) + " not found"));
  const int64_t now = ctx.now();
  if (s->State(now) == "expired") {
    return Err(InvalidArgument("silence " + s->id + " is already expired"));
  }
  // A pending silence ends before it began; an active one ends now.
  s->ends_at = now;
  s->starts_at = std::min(s->starts_at, now);
  s->updated_at = now;
  Status st = ctx.services.store.Write([&](store::Tx& tx) -> Status {
    FS_RETURN_STATUS_IF_ERROR(Silences::Save(tx, *s));
    return ctx.services.audit.Append(tx, auth::AuditFor(req, "silence.expire", "silence", s->id));
  });
  if (!st.ok()) return Err(st);
  ctx.silences.Remember(*s);
  Changed(ctx);
  return Response::Text("", "application/json", 200);
}

}  // namespace

void RegisterSilenceRoutes(AlertsContext& ctx, server::Router& router) {
  using server::Schema;
  router.Add({"GET",
              "/api/v2/silences",
              "silences.read",
              [&ctx](Request& r) { return ListSilences(ctx, r); },
              {"Silences (Alertmanager API v2 gettableSilences)",
               "alerts",
               nullptr,
               Schema(R"({"type":"array","items":{"type":"object"}})"),
               200,
               {"filter"}}});
  router.Add({"POST",
              "/api/v2/silences",
              "silences.write",
              [&ctx](Request& r) { return PostSilence(ctx, r); },
              {"Create or update a silence (Alertmanager API v2 postableSilence)",
               "alerts",
               Schema(kPostableSilence),
               Schema(R"({"type":"object","properties":{"silenceID":{"type":"string"}}})"),
               200,
               {}}});
  router.Add({"GET",
              "/api/v2/silence/{id}",
              "silences.read",
              [&ctx](Request& r) { return GetSilence(ctx, r); },
              {"One silence by id", "alerts", nullptr, Schema(R"({"type":"object"})"), 200, {}}});
  router.Add({"DELETE",
              "/api/v2/silence/{id}",
              "silences.write",
              [&ctx](Request& r) { return ExpireSilence(ctx, r); },
              {"Expire a silence (kept, with endsAt now)", "alerts", nullptr, nullptr, 200, {}}});
}

}  // namespace failsafe::watch::alerts
