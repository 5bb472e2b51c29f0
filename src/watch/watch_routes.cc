// The read API of the early-warning engines, for the console's charts and lists:
//   GET /api/v1/watch/query_range  a rule-language expression over a time range (Prometheus's
//                                  query_range "matrix" shape, so chart code is the usual)
//   GET /api/v1/watch/rules        rule groups, each rule's health and its alerts
//   GET /api/v1/watch/targets      scrape targets and the host collector, up or why not
//   GET /api/v1/watch/probes       each probe's latest result
//   GET /api/v1/watch/logs         log sources and log rules: lines, matches, alerts
//   POST /api/v1/logs/{source}     lines pushed to an `http` log source
#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "base/clock.h"
#include "base/duration.h"
#include "watch/metrics/range_query.h"
#include "watch/metrics/scrape_manager.h"
#include "watch/probes/scheduler.h"
#include "watch/rules/eval.h"
#include "watch/watch_module.h"

namespace failsafe::watch {
namespace {

using server::Request;
using server::Response;

// Unix seconds (fractions allowed) or RFC 3339, as Prometheus's API accepts times.
Result<int64_t> TimeParam(const Request& req, const std::string& name, int64_t fallback) {
  auto text = req.Query(name);
  if (!text || text->empty()) return fallback;
  if (auto t = ParseRfc3339(*text)) return *t;
  double seconds = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return Err(InvalidArgument("must be Unix seconds or RFC 3339, got \"" + *text + "\"", name));
  }
  return static_cast<int64_t>(seconds * 1000);
}

// A duration ("15s") or seconds ("15", "0.5").
Result<int64_t> StepParam(const Request& req, int64_t fallback) {
  auto text = req.Query("step");
  if (!text || text->empty()) return fallback;
  double seconds = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
  if (ec == std::errc() && end == text->data() + text->size()) {
    return static_cast<int64_t>(seconds * 1000);
  }
  auto d = ParseDuration(*text);
  if (!d) return Err(InvalidArgument("must be a duration (15s) or seconds", "step"));
  return d->count();
}

Result<Response> QueryRange(const MemoryStore& store, const Clock& clock, const Request& req) {
  auto text = req.Query("query");
  if (!text || text->empty()) return Err(InvalidArgument("is required", "query"));
  auto query = rules::Query::Parse(*text);
  if (!query) return Err(InvalidArgument(query.error().message(), "query"));
  int64_t now = clock.NowMillis();
  RangeQuery range;
  FS_ASSIGN_OR_RETURN(range.end_ms, TimeParam(req, "end", now));
  FS_ASSIGN_OR_RETURN(range.start_ms, TimeParam(req, "start", range.end_ms - 3600'000));
  FS_ASSIGN_OR_RETURN(range.step_ms, StepParam(req, 15'000));
  FS_RETURN_IF_ERROR(CheckRangeQuery(range));

  std::map<Labels, std::vector<Sample>> by_series;
  for (int64_t t = range.start_ms; t <= range.end_ms; t += range.step_ms) {
    auto v = query->Eval(store, t);
    if (!v) return Err(InvalidArgument(v.error().message(), "query"));
    for (auto& s : *v) by_series[std::move(s.labels)].push_back({t, s.value});
  }
  std::vector<SeriesSamples> out;
  out.reserve(by_series.size());
  for (auto& [labels, samples] : by_series) out.push_back({labels, std::move(samples)});
  return Response::JsonText(MatrixJson(out));
}

boost::json::object LabelsObject(const std::vector<std::pair<std::string, std::string>>& labels) {
  boost::json::object o;
  for (const auto& [k, v] : labels) o[k] = v;
  return o;
}

boost::json::value ProbesJson(const probes::ProbeScheduler* scheduler,
                              const std::vector<probes::ProbeSpec>& specs) {
  std::map<std::string, probes::ProbeReport> latest;
  if (scheduler) {
    for (auto& r : scheduler->Latest()) latest[r.spec->name] = r;
  }
  boost::json::array out;
  for (const auto& spec : specs) {
    boost::json::object p{{"name", spec.name},
                          {"type", probes::ProbeTypeName(spec.type)},
                          {"target", spec.Target()},
                          {"service", spec.service},
                          {"interval_seconds", spec.interval.count() / 1000.0},
                          {"labels", LabelsObject(spec.labels)}};
    auto it = latest.find(spec.name);
    if (it == latest.end()) {
      p["last"] = nullptr;
    } else {
      const auto& r = it->second.result;
      boost::json::object last{{"time", FormatRfc3339(it->second.t_ms)},
                               {"success", r.success},
                               {"error", r.error},
                               {"duration_seconds", r.duration_seconds},
                               {"attempts", r.attempts}};
      if (r.http_status) last["http_status"] = r.http_status;
      if (!r.failed_step.empty()) last["failed_step"] = r.failed_step;
      if (auto days = probes::CertExpiryDays(r, it->second.t_ms / 1000)) {
        last["cert_expiry_days"] = *days;
      }
      p["last"] = std::move(last);
    }
    out.push_back(std::move(p));
  }
  return boost::json::object{{"probes", std::move(out)}};
}

boost::json::value TargetsJson(const std::vector<TargetHealth>& health) {
  boost::json::array out;
  for (const auto& t : health) {
    out.push_back(boost::json::object{
        {"job", t.job},
        {"instance", t.instance},
        {"url", t.url},
        {"up", t.up},
        {"last_error", t.last_error},
        {"last_scrape", t.last_scrape_ms ? FormatRfc3339(t.last_scrape_ms) : std::string()},
        {"duration_seconds", t.last_duration_s},
        {"samples", t.last_samples}});
  }
  return boost::json::object{{"targets", std::move(out)}};
}

}  // namespace

void WatchModule::RegisterRoutes(server::Router& router) {
  router.Add({"GET",
              "/api/v1/watch/query_range",
              "watch.read",
              [this](Request& req) -> Result<Response> { return QueryRange(store_, clock_, req); },
              {"Evaluate a rule-language expression over a time range (charts). The answer has "
               "the shape of Prometheus's /api/v1/query_range (a matrix); at most 11,000 "
               "points per series.",
               "watch",
               nullptr,
               nullptr,
               200,
               {"query", "start", "end", "step"}}});
  router.Add({"GET",
              "/api/v1/watch/rules",
              "watch.read",
              [this](Request&) -> Result<Response> { return Response::Json(rules_->StateJson()); },
              {"Rule groups, each rule's health and its pending and firing alerts.",
               "watch",
               nullptr,
               nullptr,
               200,
               {}}});
  router.Add({"GET",
              "/api/v1/watch/targets",
              "watch.read",
              [this](Request&) -> Result<Response> {
                return Response::Json(TargetsJson(scrapes_->Health()));
              },
              {"Scrape targets and the host collector: up, the last error and duration.",
               "watch",
               nullptr,
               nullptr,
               200,
               {}}});
  router.Add(
      {"GET",
       "/api/v1/watch/probes",
       "watch.read",
       [this](Request&) -> Result<Response> {
         return Response::Json(ProbesJson(probe_scheduler_.get(), probe_specs_));
       },
       {"Every configured probe with its latest result.", "watch", nullptr, nullptr, 200, {}}});
  router.Add({"GET",
              "/api/v1/watch/logs",
              "watch.read",
              [this](Request&) -> Result<Response> {
                if (!logs_) {
                  return Response::Json(boost::json::object{{"sources", boost::json::array()},
                                                            {"rules", boost::json::array()},
                                                            {"lines", 0}});
                }
                return Response::Json(logs_->StateJson());
              },
              {"Log sources and log rules: lines read, matches, alerts fired.",
               "watch",
               nullptr,
               nullptr,
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/logs/{source}",
              "logs.write",
              [this](Request& req) -> Result<Response> {
                if (!logs_) {
                  return Err(
                      Status(ErrorCode::kNotFound, "no log sources are configured", "source"));
                }
                FS_ASSIGN_OR_RETURN(
                    auto n, logs_->Push(req.Param("source"), req.body, req.Header("content-type")));
                return Response::Json(boost::json::object{{"accepted", n}}, 202);
              },
              {"Push log lines to an http log source: text/plain, one line each, or JSON "
               "{\"lines\": [\"...\" | {\"text\", \"time\", \"host\", \"app\"}]} "
               "(docs/watch/logsources.md). The lines go through the log rules at once.",
               "watch",
               nullptr,
               nullptr,
               202,
               {}}});
}

}  // namespace failsafe::watch
