// Routes without login: the one-tap acknowledge link from a page, and the public status page
// of a service group (external status updates only).
#include <boost/json.hpp>

#include "base/clock.h"
#include "catalog/catalog.h"
#include "catalog/catalog_store.h"
#include "incidents/context.h"
#include "incidents/lifecycle.h"
#include "incidents/operations.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::incidents {
namespace {

using server::Request;
using server::Response;

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Response Page(const std::string& title, const std::string& body_html, int status = 200) {
  Response r = Response::Text(
      "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>" +
          Escape(title) +
          "</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:2em auto;"
          "padding:0 1em}button{font-size:1.4em;padding:.6em 1.2em}.ok{color:#1a7f37}"
          ".muted{color:#666}</style></head><body>" +
          body_html + "</body></html>",
      "text/html; charset=utf-8", status);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  return r;
}

// GET only shows a button: chat apps fetch link previews, which must not acknowledge.
Result<Response> AckFormRoute(IncidentsContext&, Request& req) {
  const std::string& token = req.Param("token");
  return Page("Acknowledge 确认",
              "<h1>Acknowledge the incident<br>确认接手事件</h1>"
              "<form method=\"post\" action=\"/ack/" +
                  Escape(token) +
                  "\"><button type=\"submit\">Acknowledge 确认</button></form>"
                  "<p class=\"muted\">One tap; the link works once. 链接仅可使用一次。</p>");
}

Result<Response> AckRoute(IncidentsContext& ctx, Request& req) {
  auto done = AcknowledgeByLink(ctx, req.Param("token"));
  if (!done) {
    const int status = done.error().code() == ErrorCode::kNotFound ? 404 : 409;
    return Page("Acknowledge 确认",
                "<h1>Link not valid 链接无效</h1><p>" + Escape(done.error().message()) + "</p>",
                status);
  }
  return Page("Acknowledged 已确认", "<h1 class=\"ok\">" + Escape(done->ref) +
                                         " acknowledged 已确认</h1><p>" + Escape(done->title) +
                                         "</p><p>Status 状态: " + Escape(done->status) +
                                         "</p><p><a href=\"" + Escape(ctx.IncidentUrl(done->ref)) +
                                         "\">Open incident 查看事件</a></p>");
}

struct GroupStatus {
  struct ServiceState {
    std::string key, name, state;  // operational | degraded | outage
  };
  std::vector<ServiceState> services;
  struct Notice {
    std::string incident, title, severity, status, stage, update_title, body;
    int64_t at = 0;
  };
  std::vector<Notice> notices;
};

Result<GroupStatus> LoadGroup(IncidentsContext& ctx, const std::string& group) {
  return store::ReadResult<GroupStatus>(ctx.store(), [&](store::Tx& tx) -> Result<GroupStatus> {
    GroupStatus out;
    FS_ASSIGN_OR_RETURN(auto services, catalog::ListServices(tx, catalog::Page{0, 1000}));
    std::vector<std::string> keys;
    for (const auto& s : services) {
      if (s.group != group) continue;
      keys.push_back(s.key);
      out.services.push_back({s.key, s.name, "operational"});
    }
    if (keys.empty())
      return Err(NotFound("no status page for group '" + group.substr(0, 64) + "'"));
    for (auto& svc : out.services) {
      FS_ASSIGN_OR_RETURN(auto open, tx.Query("SELECT MIN(i.severity) FROM incidents i JOIN "
                                              "incident_services s ON s.incident_id = i.id WHERE "
                                              "s.service_key = ? AND i.status IN ('declared', "
                                              "'acknowledged', 'mitigating')",
                                              {svc.key}));
      if (!open.empty() && !open[0].IsNull(0)) {
        const std::string worst = open[0].Text(0);
        svc.state = (worst == "P1") ? "outage" : "degraded";
      }
    }
    // Customer-facing updates of incidents touching the group, newest first (last 30 days).
    std::string in;
    std::vector<store::Value> params;
    for (const auto& k : keys) {
      in += in.empty() ? "?" : ", ?";
      params.emplace_back(k);
    }
    params.emplace_back(ctx.now() - 30LL * 24 * 3600 * 1000);
    FS_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT i.ref, i.title, i.severity, i.status, u.stage, u.title, u.body, u.at "
                 "FROM incident_status_updates u JOIN incidents i ON i.id = u.incident_id "
                 "WHERE u.audience = 'customers' AND i.id IN (SELECT incident_id FROM "
                 "incident_services WHERE service_key IN (" +
                     in +
                     ")) AND u.at >= ? "
                     "ORDER BY u.at DESC, u.id DESC LIMIT 50",
                 params));
    for (const auto& r : rows) {
      out.notices.push_back(
          {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7)});
    }
    return out;
  });
}

Result<Response> StatusJsonRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto g, LoadGroup(ctx, req.Param("group")));
  boost::json::array services, notices;
  for (const auto& s : g.services) {
    services.push_back(boost::json::object{{"key", s.key}, {"name", s.name}, {"state", s.state}});
  }
  for (const auto& n : g.notices) {
    notices.push_back(boost::json::object{{"incident", n.incident},
                                          {"incident_title", n.title},
                                          {"severity", n.severity},
                                          {"status", n.status},
                                          {"stage", n.stage},
                                          {"title", n.update_title},
                                          {"body", n.body},
                                          {"at", FormatRfc3339(n.at)}});
  }
  return Response::Json(boost::json::object{{"group", req.Param("group")},
                                            {"services", std::move(services)},
                                            {"updates", std::move(notices)}});
}

Result<Response> StatusHtmlRoute(IncidentsContext& ctx, Request& req) {
  auto g = LoadGroup(ctx, req.Param("group"));
  if (!g) return Page("Status 状态", "<h1>Not found 未找到</h1>", 404);
  std::string html = "<h1>Service status 服务状态</h1><ul>";
  for (const auto& s : g->services) {
    const char* label = s.state == "operational" ? "Operational 正常"
                        : s.state == "degraded"  ? "Degraded 部分受影响"
                                                 : "Outage 中断";
    html += "<li><strong>" + Escape(s.name) + "</strong>: " + label + "</li>";
  }
  html += "</ul><h2>Updates 最新通告</h2>";
  if (g->notices.empty()) html += "<p class=\"muted\">No recent incidents. 近期无事件。</p>";
  for (const auto& n : g->notices) {
    html += "<article><h3>" + Escape(n.update_title) + "</h3><p class=\"muted\">" +
            Escape(FormatRfc3339(n.at)) + " · " + Escape(n.stage) + "</p><p>" + Escape(n.body) +
            "</p></article>";
  }
  return Page("Service status 服务状态", html);
}

}  // namespace

void RegisterPublicRoutes(IncidentsContext& ctx, server::Router& router) {
  router.Add({"GET",
              "/ack/{token}",
              "",
              [&ctx](Request& req) { return AckFormRoute(ctx, req); },
              {"Acknowledge page of a page's one-tap link (shows a button)",
               "incidents",
               nullptr,
               nullptr,
               200,
               {}}});
  router.Add(
      {"POST",
       "/ack/{token}",
       "",
       [&ctx](Request& req) { return AckRoute(ctx, req); },
       {"Acknowledge through a page's single-use link", "incidents", nullptr, nullptr, 200, {}}});
  router.Add({"GET",
              "/api/v1/status/{group}",
              "",
              [&ctx](Request& req) { return StatusJsonRoute(ctx, req); },
              {"Public status of a service group: service states and external updates",
               "status",
               nullptr,
               server::Schema(R"({"type":"object"})"),
               200,
               {}}});
  router.Add(
      {"GET",
       "/status/{group}",
       "",
       [&ctx](Request& req) { return StatusHtmlRoute(ctx, req); },
       {"Public status page of a service group (HTML)", "status", nullptr, nullptr, 200, {}}});
}

}  // namespace failsafe::incidents
