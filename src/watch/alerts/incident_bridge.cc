#include "watch/alerts/incident_bridge.h"

#include <boost/json.hpp>

#include "base/clock.h"
#include "base/json.h"
#include "base/utf8.h"
#include "catalog/catalog.h"
#include "incidents/lifecycle.h"
#include "incidents/operations.h"
#include "plans/plan.h"
#include "store/tx_result.h"

namespace failsafe::watch::alerts {
namespace {

namespace bj = boost::json;
constexpr size_t kListedAlerts = 20;  // per timeline event; the rest are counted
constexpr std::string_view kActor = "alerts";

std::string NameOf(const Alert& a) {
  std::string_view n = LabelValue(a.labels, "alertname");
  return n.empty() ? FingerprintHex(a.fingerprint) : std::string(n);
}

// Timeline text and detail for one kind of event over several alerts.
Status AppendAlertEvent(store::Tx& tx, int64_t incident_id, int64_t now, std::string_view event,
                        const std::vector<const Alert*>& alerts, const GroupView& group) {
  if (alerts.empty()) return Status::Ok();
  bj::array listed;
  std::string names;
  for (size_t i = 0; i < alerts.size() && i < kListedAlerts; ++i) {
    const Alert& a = *alerts[i];
    bj::object labels;
    for (const auto& l : a.labels) labels[l.name] = l.value;
    bj::object item{{"fingerprint", FingerprintHex(a.fingerprint)},
                    {"alertname", NameOf(a)},
                    {"labels", std::move(labels)},
                    {"startsAt", FormatRfc3339(a.starts_at)}};
    if (event == "resolved") item["endsAt"] = FormatRfc3339(a.ends_at);
    if (auto s = LabelValue(a.annotations, "summary"); !s.empty()) item["summary"] = std::string(s);
    if (!a.source.empty()) item["source"] = a.source;
    listed.push_back(std::move(item));
    if (i < 5) names += (names.empty() ? "" : ", ") + NameOf(a);
  }
  const size_t n = alerts.size();
  std::string text = std::to_string(n) + (n == 1 ? " alert " : " alerts ") + std::string(event) +
                     ": " + names + (n > 5 ? ", ..." : "");
  bj::object detail{{"event", event},
                    {"count", static_cast<int64_t>(n)},
                    {"alerts", std::move(listed)},
                    {"more", static_cast<int64_t>(n > kListedAlerts ? n - kListedAlerts : 0)},
                    {"group", group.key},
                    {"route", group.route->name}};
  return incidents::AppendTimeline(tx, incident_id, now, kActor, "alert", text,
                                   json::Serialize(detail));
}

std::string TitleFor(const std::vector<const Alert*>& firing, std::string_view service) {
  const Alert& a = *firing.front();
  std::string_view summary = LabelValue(a.annotations, "summary");
  std::string title = summary.empty() ? NameOf(a) : std::string(summary);
  // Rules written for failsafe carry the summary in both languages (docs/watch/rules.md); the
  // incident title shows both, as the rest of the product does.
  if (auto zh = LabelValue(a.annotations, "summary_zh"); !zh.empty() && !summary.empty()) {
    title += " / " + std::string(zh);
  }
  if (!service.empty() && title.find(service) == std::string::npos) {
    title += " (" + std::string(service) + ")";
  }
  if (firing.size() > 1) title += " +" + std::to_string(firing.size() - 1) + " alerts";
  return std::string(TruncateUtf8(title, 200));
}

std::string SummaryFor(const std::vector<const Alert*>& firing) {
  std::string s = "Raised by alerts 由告警触发:\n";
  for (size_t i = 0; i < firing.size() && i < 10; ++i) {
    s += "- " + LabelsJson(firing[i]->labels);
    if (auto d = LabelValue(firing[i]->annotations, "description"); !d.empty()) {
      s += ": " + std::string(TruncateUtf8(d, 300));
    }
    s += "\n";
  }
  if (firing.size() > 10) s += "- ... " + std::to_string(firing.size() - 10) + " more\n";
  return s;
}

// The incident the group feeds now: the stored decision while that incident is open
// (following merges), else the open incident of the service, else a new one.
Result<std::optional<incidents::Incident>> OpenIncidentFor(store::Tx& tx, const GroupView& g) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT incident_id FROM alert_group_incidents "
                                            "WHERE group_key = ?",
                                            {g.key}));
  if (!row) return std::optional<incidents::Incident>();
  FS_ASSIGN_OR_RETURN(auto incident, incidents::FindIncidentById(tx, row->Int(0)));
  for (int hops = 0; incident && incident->merged_into_id && hops < 8; ++hops) {
    FS_ASSIGN_OR_RETURN(incident, incidents::FindIncidentById(tx, *incident->merged_into_id));
  }
  if (incident && !incidents::IsOpen(incident->status)) incident.reset();
  return incident;
}

Status StoreDecision(store::Tx& tx, const GroupView& g, int64_t incident_id, int64_t now) {
  FS_ASSIGN_OR_RETURN_STATUS(
      auto n, tx.Exec("UPDATE alert_group_incidents SET incident_id = ?, updated_at = ? "
                      "WHERE group_key = ?",
                      {incident_id, now, g.key}));
  if (n > 0) return Status::Ok();
  return StatusOf(tx.Exec(
      "INSERT INTO alert_group_incidents (group_key, route, incident_id, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {g.key, g.route->name, incident_id, now, now}));
}

}  // namespace

std::string_view ServiceOf(const Route& route, const Labels& labels) {
  return route.service.empty() ? LabelValue(labels, "service") : std::string_view(route.service);
}

Result<FlushResult> IncidentBridge::Flush(const GroupView& group, const LiveAlerts& live,
                                          const Muters& muters, int64_t now) {
  FlushResult out;
  std::vector<Alert> held;  // copies, so pointers stay valid while writing
  held.reserve(group.members.size());
  std::vector<Reported> states;
  for (const auto& [fp, before] : group.members) {
    auto a = live.Get(fp);
    if (!a) {
      out.reported[fp] = Reported::kResolved;  // forgotten (garbage-collected): gone
      continue;
    }
    Reported now_state = Reported::kFiring;
    if (a->Resolved(now)) {
      now_state = Reported::kResolved;
    } else {
      if (muters.StateOf(*a, ServiceOf(*group.route, a->labels), now).muted()) {
        now_state = Reported::kMuted;
      }
      if (out.next_expiry == 0 || a->ends_at < out.next_expiry) out.next_expiry = a->ends_at;
    }
    out.reported[fp] = now_state;
    held.push_back(std::move(*a));
    states.push_back(before);
  }
  std::vector<const Alert*> firing_all, firing_new, resolved_new, muted_new;
  for (size_t i = 0; i < held.size(); ++i) {
    const Reported cur = out.reported[held[i].fingerprint];
    if (cur == Reported::kFiring) firing_all.push_back(&held[i]);
    if (cur == states[i]) continue;
    if (cur == Reported::kFiring) firing_new.push_back(&held[i]);
    if (cur == Reported::kResolved && states[i] != Reported::kNothing) {
      resolved_new.push_back(&held[i]);
    }
    if (cur == Reported::kMuted) muted_new.push_back(&held[i]);
  }
  if (firing_all.empty() && resolved_new.empty() && muted_new.empty()) return out;

  const Route& route = *group.route;
  auto written = store::WriteResult<FlushResult>(store_, [&](store::Tx& tx) -> Result<FlushResult> {
    FlushResult r = out;
    FS_ASSIGN_OR_RETURN(auto incident, OpenIncidentFor(tx, group));
    bool linked_now = false;
    if (!incident && !firing_all.empty()) {
      std::string service(ServiceOf(route, firing_all.front()->labels));
      std::vector<std::string> services;
      if (!service.empty()) {
        FS_ASSIGN_OR_RETURN(auto known, catalog::FindServiceByKey(tx, service));
        if (known) services.push_back(service);
      }
      if (!services.empty()) {
        incidents::IncidentQuery q;
        q.statuses = {"open"};
        q.service = service;
        q.limit = 1;
        FS_ASSIGN_OR_RETURN(auto open, incidents::ListIncidents(tx, q));
        if (!open.empty()) incident = std::move(open.front());
      }
      if (!incident && route.declare) {
        incidents::DeclareInput in;
        in.title = TitleFor(firing_all, service);
        in.severity = route.severity;
        if (in.severity.empty()) {
          in.severity = "P4";
          for (const Alert* a : firing_all) {
            in.severity =
                std::min(in.severity, IncidentSeverity(LabelValue(a->labels, "severity")));
          }
        }
        in.services = services;
        in.summary = SummaryFor(firing_all);
        if (!service.empty() && services.empty()) {
          in.summary += "\nService '" + service + "' is not in the catalog.\n";
        }
        if (!route.plan.empty()) {
          // A plan that is missing or unapproved must not stop the alarm: declare without it
          // and say so, rather than fail every flush.
          auto plan = plans::ApprovedVersion(tx, route.plan);
          if (plan && *plan) {
            in.plan = route.plan;
          } else {
            in.summary += "\nPlan '" + route.plan + "' of route " + route.name +
                          " has no approved version: not activated.\n";
          }
        }
        FS_ASSIGN_OR_RETURN(auto declared, incidents_.DeclareIn(tx, in, kActor));
        incident = std::move(declared);
        r.declared = true;
      }
      if (incident) {
        FS_RETURN_IF_ERROR(StoreDecision(tx, group, incident->id, now));
        linked_now = true;
      }
    }
    if (!incident) return r;
    r.incident_id = incident->id;
    FS_RETURN_IF_ERROR(AppendAlertEvent(tx, incident->id, now, "firing",
                                        linked_now ? firing_all : firing_new, group));
    FS_RETURN_IF_ERROR(AppendAlertEvent(tx, incident->id, now, "resolved", resolved_new, group));
    FS_RETURN_IF_ERROR(AppendAlertEvent(tx, incident->id, now, "muted", muted_new, group));
    if (firing_all.empty() && !resolved_new.empty() && route.resolve_incident &&
        incidents::IsOpen(incident->status)) {
      FS_RETURN_IF_ERROR(StatusOf(
          incidents_.TransitionIn(tx, incident->id, "resolve",
                                  "Every alert of group " + group.key + " has resolved.", kActor)));
    }
    return r;
  });
  if (written) incidents_.AfterWrite();
  return written;
}

}  // namespace failsafe::watch::alerts
