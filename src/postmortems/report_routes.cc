// GET /api/v1/reports/incidents: the incident report over a period, as JSON or CSV.
#include "postmortems/report.h"
#include "postmortems/routes.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::postmortems {
namespace {

using server::Request;
using server::Response;

Result<Response> ReportRoute(const auth::ModuleServices& s, Request& req) {
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(Period period, ParsePeriod(req.Query("from"), req.Query("to"), now));
  const std::string format = req.Query("format").value_or("json");
  if (format != "json" && format != "csv") {
    return Err(InvalidArgument("format must be json or csv, got \"" + format + "\"", "format"));
  }
  FS_ASSIGN_OR_RETURN(Lang lang, ParseLang(req.Query("lang")));
  FS_ASSIGN_OR_RETURN(auto report, store::ReadResult<Report>(s.store, [&](store::Tx& tx) {
                        return BuildReport(tx, period, now);
                      }));
  if (format == "csv") {
    const std::string name =
        "incidents-" + UtcDay(period.from_ms) + "-" + UtcDay(period.to_ms - 1) + ".csv";
    return DocumentResponse(req, "csv", "text/csv; charset=utf-8", name, ReportCsv(report, lang));
  }
  return Response::Json(ReportJson(report));
}

const char kReportSchema[] = R"({"type":"object","required":["from","to","total","by_severity",
  "by_service","mtta_ms","mttr_ms","ack_target","resolve_target","overdue_actions","incidents"],
  "properties":{"from":{"type":"string","format":"date-time"},
  "to":{"type":"string","format":"date-time"},"generated_at":{"type":"string"},
  "total":{"type":"integer"},
  "by_severity":{"type":"array","items":{"type":"object","properties":{
    "severity":{"type":"string"},"name_en":{"type":"string"},"name_zh":{"type":"string"},
    "count":{"type":"integer"},"mtta_ms":{"type":["integer","null"]},
    "mttr_ms":{"type":["integer","null"]}}}},
  "by_service":{"type":"array","items":{"type":"object","properties":{
    "service":{"type":"string"},"count":{"type":"integer"}}}},
  "mtta_ms":{"type":["integer","null"]},"mttr_ms":{"type":["integer","null"]},
  "ack_target":{"type":"object","properties":{"met":{"type":"integer"},
    "missed":{"type":"integer"},"share":{"type":["number","null"]}}},
  "resolve_target":{"type":"object","properties":{"met":{"type":"integer"},
    "missed":{"type":"integer"},"share":{"type":["number","null"]}}},
  "overdue_actions":{"type":"array","items":{"type":"object"}},
  "incidents":{"type":"array","items":{"type":"object"}}}})";

}  // namespace

void RegisterReportRoutes(const auth::ModuleServices& s, server::Router& router) {
  const auto& svc = s;
  router.Add({"GET",
              "/api/v1/reports/incidents",
              "reports.read",
              [&svc](Request& req) { return ReportRoute(svc, req); },
              {"Incidents over a period: by severity and service, MTTA/MTTR, share of response "
               "targets met, overdue actions (format=csv: one row per incident, UTF-8 with BOM)",
               "reports",
               nullptr,
               server::Schema(kReportSchema),
               200,
               {"from", "to", "format", "lang"}}});
}

}  // namespace failsafe::postmortems
