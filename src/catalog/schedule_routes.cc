// /api/v1/schedules/{key}/...: who is on call, the effective shifts, the iCalendar feed and
// overrides. (Plain schedule CRUD is in resource_routes.cc.)
#include <map>

#include "catalog/catalog_input.h"
#include "catalog/catalog_json.h"
#include "catalog/catalog_routes.h"
#include "catalog/crud_routes.h"
#include "catalog/ical.h"

namespace failsafe::catalog {
namespace {

namespace bj = boost::json;
using server::Request;
using server::Response;
using server::Schema;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

Result<Schedule> RequireSchedule(store::Tx& tx, const std::string& key) {
  FS_ASSIGN_OR_RETURN(auto s, FindScheduleByKey(tx, key));
  if (!s) return Err(NotFound("schedule \"" + key + "\" not found"));
  return std::move(*s);
}

// An RFC 3339 query parameter, or `fallback` when absent.
Result<int64_t> TimeParam(const Request& req, const std::string& name, int64_t fallback) {
  auto v = req.Query(name);
  if (!v) return fallback;
  auto t = ParseRfc3339(*v);
  if (!t) {
    return Err(InvalidArgument(name + " must be an RFC 3339 time such as 2026-03-01T09:00:00+08:00",
                               name));
  }
  return *t;
}

Result<int64_t> DaysParam(const Request& req, int64_t fallback) {
  auto v = req.Query("days");
  if (!v) return fallback;
  int64_t days = 0;
  for (char c : *v) {
    if (c < '0' || c > '9' || days > 1000)
      return Err(InvalidArgument("days must be 1..366", "days"));
    days = days * 10 + (c - '0');
  }
  if (days < 1 || days > 366) return Err(InvalidArgument("days must be 1..366", "days"));
  return days;
}

// Handles of the people in `shifts`, by id.
Result<std::map<int64_t, Person>> PeopleOf(store::Tx& tx, const std::vector<Shift>& shifts) {
  std::map<int64_t, Person> out;
  for (const Shift& s : shifts) {
    if (out.count(s.person_id)) continue;
    FS_ASSIGN_OR_RETURN(auto p, FindPersonById(tx, s.person_id));
    if (p) out.emplace(s.person_id, std::move(*p));
  }
  return out;
}

bj::object ShiftJson(const Shift& s, const std::map<int64_t, Person>& people) {
  auto it = people.find(s.person_id);
  return {{"start", FormatRfc3339(s.start_ms)},
          {"end", FormatRfc3339(s.end_ms)},
          {"person", it == people.end() ? bj::value(nullptr) : bj::value(it->second.handle)},
          {"override_id", s.override_id ? bj::value(s.override_id) : bj::value(nullptr)}};
}

// Who is on call in `s` at `at`, with the whole shift holding `at`.
Result<bj::object> OnCallJson(store::Tx& tx, const Schedule& s, int64_t at) {
  FS_ASSIGN_OR_RETURN(auto shifts, ScheduleShifts(tx, s, at, at + 1));
  bj::array people;
  bj::value shift = nullptr;
  if (!shifts.empty()) {
    // The whole shift holding `at`, not the 1 ms window.
    FS_ASSIGN_OR_RETURN(auto around, ScheduleShifts(tx, s, at - 31 * kDayMs, at + 31 * kDayMs));
    for (const Shift& x : around) {
      if (x.start_ms <= at && at < x.end_ms) {
        FS_ASSIGN_OR_RETURN(auto names, PeopleOf(tx, {x}));
        shift = ShiftJson(x, names);
      }
    }
    FS_ASSIGN_OR_RETURN(auto person, FindPersonById(tx, shifts[0].person_id));
    if (person) people.push_back(PersonJson(*person));
  }
  return bj::object{{"schedule", s.key},
                    {"name", s.name},
                    {"at", FormatRfc3339(at)},
                    {"on_call", std::move(people)},
                    {"shift", std::move(shift)}};
}

Result<Response> OnCallRoute(const auth::ModuleServices& svc, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t at, TimeParam(req, "at", svc.clock.NowMillis()));
  FS_ASSIGN_OR_RETURN(
      bj::object out,
      store::ReadResult<bj::object>(svc.store, [&](store::Tx& tx) -> Result<bj::object> {
        FS_ASSIGN_OR_RETURN(Schedule s, RequireSchedule(tx, req.Param("key")));
        return OnCallJson(tx, s, at);
      }));
  return Response::Json(out);
}

// Every schedule's on-call at once (the dashboard), in schedule order; at most 500 schedules.
Result<Response> AllOnCallRoute(const auth::ModuleServices& svc, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t at, TimeParam(req, "at", svc.clock.NowMillis()));
  FS_ASSIGN_OR_RETURN(
      bj::array items,
      store::ReadResult<bj::array>(svc.store, [&](store::Tx& tx) -> Result<bj::array> {
        Page page;
        page.limit = 500;
        FS_ASSIGN_OR_RETURN(auto schedules, ListSchedules(tx, page));
        bj::array out;
        for (const Schedule& s : schedules) {
          FS_ASSIGN_OR_RETURN(auto one, OnCallJson(tx, s, at));
          out.push_back(std::move(one));
        }
        return out;
      }));
  return Response::Json(bj::object{{"at", FormatRfc3339(at)}, {"items", std::move(items)}});
}

Result<Response> ShiftsRoute(const auth::ModuleServices& svc, Request& req) {
  const int64_t now = svc.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(int64_t from, TimeParam(req, "from", now));
  FS_ASSIGN_OR_RETURN(int64_t days, DaysParam(req, 14));
  FS_ASSIGN_OR_RETURN(
      bj::array items,
      store::ReadResult<bj::array>(svc.store, [&](store::Tx& tx) -> Result<bj::array> {
        FS_ASSIGN_OR_RETURN(Schedule s, RequireSchedule(tx, req.Param("key")));
        FS_ASSIGN_OR_RETURN(auto shifts, ScheduleShifts(tx, s, from, from + days * kDayMs));
        FS_ASSIGN_OR_RETURN(auto people, PeopleOf(tx, shifts));
        bj::array out;
        for (const Shift& x : shifts) out.push_back(ShiftJson(x, people));
        return out;
      }));
  return Response::Json(bj::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Result<Response> IcalRoute(const auth::ModuleServices& svc, Request& req) {
  const int64_t now = svc.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(int64_t from, TimeParam(req, "from", now - 7 * kDayMs));
  FS_ASSIGN_OR_RETURN(int64_t days, DaysParam(req, 63));
  FS_ASSIGN_OR_RETURN(
      std::string text,
      store::ReadResult<std::string>(svc.store, [&](store::Tx& tx) -> Result<std::string> {
        FS_ASSIGN_OR_RETURN(Schedule s, RequireSchedule(tx, req.Param("key")));
        FS_ASSIGN_OR_RETURN(auto shifts, ScheduleShifts(tx, s, from, from + days * kDayMs));
        FS_ASSIGN_OR_RETURN(auto people, PeopleOf(tx, shifts));
        std::vector<CalendarEvent> events;
        for (const Shift& x : shifts) {
          auto it = people.find(x.person_id);
          const std::string who =
              it == people.end() ? "?" : it->second.name + " (" + it->second.handle + ")";
          CalendarEvent e;
          e.uid = s.key + "-" + std::to_string(x.start_ms) + "-" + std::to_string(x.person_id) +
                  (x.override_id ? "-o" + std::to_string(x.override_id) : "") + "@failsafe";
          e.start_ms = x.start_ms;
          e.end_ms = x.end_ms;
          e.summary = (x.override_id ? "On call (override): " : "On call: ") + who;
          e.description = "Schedule " + s.name + " (" + s.key + "), " +
                          std::string(RotationKindName(s.rotation)) + " hand-off " +
                          FormatHandoffTime(s.handoff_minutes) + " " + s.time_zone;
          events.push_back(std::move(e));
        }
        return RenderCalendar(s.name, events, now);
      }));
  // ?format=json wraps the same text for API clients that only speak JSON (the CLI).
  if (auto format = req.Query("format")) {
    if (*format != "json" && *format != "ical") {
      return Err(InvalidArgument("format must be ical or json", "format"));
    }
    if (*format == "json") {
      return Response::Json(bj::object{{"schedule", req.Param("key")}, {"ical", std::move(text)}});
    }
  }
  Response r = Response::Text(std::move(text), "text/calendar; charset=utf-8");
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + req.Param("key") + ".ics\"");
  return r;
}

Result<Response> ListOverridesRoute(const auth::ModuleServices& svc, Request& req) {
  const int64_t now = svc.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(int64_t from, TimeParam(req, "from", now));
  FS_ASSIGN_OR_RETURN(int64_t days, DaysParam(req, 90));
  FS_ASSIGN_OR_RETURN(
      bj::array items,
      store::ReadResult<bj::array>(svc.store, [&](store::Tx& tx) -> Result<bj::array> {
        FS_ASSIGN_OR_RETURN(Schedule s, RequireSchedule(tx, req.Param("key")));
        FS_ASSIGN_OR_RETURN(auto list, ListOverrides(tx, s.id, from, from + days * kDayMs));
        bj::array out;
        for (const auto& o : list) out.push_back(OverrideJson(o));
        return out;
      }));
  return Response::Json(bj::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Result<Response> CreateOverrideRoute(const auth::ModuleServices& svc, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  ScheduleOverride o;
  FS_RETURN_IF_ERROR(ReadOverrideInput(body, o));
  FS_ASSIGN_OR_RETURN(
      o.id, store::WriteResult<int64_t>(svc.store, [&](store::Tx& tx) -> Result<int64_t> {
        FS_ASSIGN_OR_RETURN(Schedule s, RequireSchedule(tx, req.Param("key")));
        o.schedule_id = s.id;
        FS_ASSIGN_OR_RETURN(int64_t id, InsertOverride(tx, o, svc.clock.NowMillis()));
        FS_RETURN_IF_ERROR(svc.audit.Append(
            tx, auth::AuditFor(req, "schedule.override.create", "schedule", std::to_string(s.id),
                               {{"key", s.key},
                                {"override_id", id},
                                {"person", o.person},
                                {"start", FormatRfc3339(o.start_ms)},
                                {"end", FormatRfc3339(o.end_ms)}})));
        return id;
      }));
  return Response::Json(OverrideJson(o), 201);
}

Result<Response> DeleteOverrideRoute(const auth::ModuleServices& svc, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "override"));
  Status st = svc.store.Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(Schedule s, RequireSchedule(tx, req.Param("key")));
    FS_RETURN_STATUS_IF_ERROR(DeleteOverride(tx, s.id, id));
    return svc.audit.Append(
        tx, auth::AuditFor(req, "schedule.override.delete", "schedule", std::to_string(s.id),
                           {{"key", s.key}, {"override_id", id}}));
  });
  if (!st.ok()) return Err(st);
  return Response::NoContent();
}

const char kOnCallSchema[] = R"({"type":"object","properties":{
  "schedule":{"type":"string"},"at":{"type":"string","format":"date-time"},
  "on_call":{"type":"array","items":{"type":"object"},"description":"people; empty when nobody is on call"},
  "shift":{"type":["object","null"]}}})";

const char kShiftSchema[] = R"({"type":"object","properties":{
  "start":{"type":"string","format":"date-time"},"end":{"type":"string","format":"date-time"},
  "person":{"type":["string","null"]},"override_id":{"type":["integer","null"]}}})";

}  // namespace

void RegisterScheduleRoutes(const auth::ModuleServices& services, server::Router& router) {
  const auth::ModuleServices* svc = &services;
  const std::string base = "/api/v1/schedules/{key}";
  router.Add({"GET",
              "/api/v1/oncall",
              "catalog.read",
              [svc](Request& req) { return AllOnCallRoute(*svc, req); },
              {"Who is on call now (or at `at`) in every schedule",
               "catalog",
               nullptr,
               Schema(R"({"type":"object","properties":{"at":{"type":"string"},
                 "items":{"type":"array","items":{"type":"object"}}}})"),
               200,
               {"at"}}});
  router.Add({"GET",
              base + "/oncall",
              "catalog.read",
              [svc](Request& req) { return OnCallRoute(*svc, req); },
              {"Who is on call now, or at time `at` (RFC 3339)",
               "catalog",
               nullptr,
               Schema(kOnCallSchema),
               200,
               {"at"}}});
  router.Add({"GET",
              base + "/shifts",
              "catalog.read",
              [svc](Request& req) { return ShiftsRoute(*svc, req); },
              {"Effective shifts (rotation and overrides) from `from` for `days` days (default 14)",
               "catalog",
               nullptr,
               server::PagedSchema(Schema(kShiftSchema)),
               200,
               {"from", "days"}}});
  router.Add({"GET",
              base + "/ical",
              "catalog.read",
              [svc](Request& req) { return IcalRoute(*svc, req); },
              {"The schedule as iCalendar (RFC 5545, text/calendar): one event per shift, from "
               "`from` (default a week ago) for `days` days (default 63)",
               "catalog",
               nullptr,
               nullptr,
               200,
               {"from", "days"}}});
  router.Add({"GET",
              base + "/overrides",
              "catalog.read",
              [svc](Request& req) { return ListOverridesRoute(*svc, req); },
              {"Overrides overlapping `from` (default now) + `days` (default 90)",
               "catalog",
               nullptr,
               server::PagedSchema(OverrideSchema(false)),
               200,
               {"from", "days"}}});
  router.Add({"POST",
              base + "/overrides",
              "catalog.write",
              [svc](Request& req) { return CreateOverrideRoute(*svc, req); },
              {"Put a person on call for a period, whatever the rotation says",
               "catalog",
               OverrideSchema(true),
               OverrideSchema(false),
               201,
               {}}});
  router.Add({"DELETE",
              base + "/overrides/{id}",
              "catalog.write",
              [svc](Request& req) { return DeleteOverrideRoute(*svc, req); },
              {"Remove an override", "catalog", nullptr, nullptr, 204, {}}});
}

}  // namespace failsafe::catalog
