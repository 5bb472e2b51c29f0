// Ingest: where every receiver's alerts go (context.h).
#include <algorithm>
#include <climits>
#include <unordered_map>

#include "base/clock.h"
#include "watch/alerts/context.h"
#include "watch/alerts/intake_auth.h"

namespace failsafe::watch::alerts {

AlertsMetrics::AlertsMetrics(metrics::Registry& r)
    : received(r.AddCounter("failsafe_alerts_received_total",
                            "Alerts accepted, by receiver (v2, alertmanager, grafana, ...)",
                            {"receiver"})),
      rejected(r.AddCounter("failsafe_alerts_rejected_total",
                            "Alert payloads refused as invalid, by receiver", {"receiver"})),
      flush_errors(r.AddCounter("failsafe_alert_flush_errors_total",
                                "Alert group flushes that failed (retried at the next flush)")
                       .With({})),
      declared(r.AddCounter("failsafe_alert_incidents_declared_total",
                            "Incidents declared from alert groups")
                   .With({})) {}

Result<Sender> SenderOf(AlertsContext& ctx, const server::Request& request,
                        std::string_view payload) {
  const server::Principal& p = *request.principal;
  if (p.role != kSourceRole) return Sender{p.username, {}};
  auto source = ctx.tokens.ById(p.token_id, ctx.now());
  if (!source) return Err(Unauthenticated("the alert source token is no longer valid"));
  const bool fits =
      source->kind == payload ||
      (payload == "v2" && (source->kind == "prometheus" || source->kind == "alertmanager"));
  if (!fits) {
    const std::string where =
        source->kind == "prometheus" ? "/api/v2/alerts" : "/api/v1/alerts/" + source->kind;
    return Err(PermissionDenied("source '" + source->name + "' is a " + source->kind +
                                " source: post to " + where));
  }
  return Sender{p.username, source->default_labels};
}

namespace {

// The alerts of one request whose state changed, by group, so that each group is touched
// once per request (one lock) rather than once per alert: a batch of an alert storm mostly
// lands in one group, which every intake thread would otherwise queue on alert by alert.
class GroupBatch {
 public:
  void Add(const Route& route, Labels labels, uint64_t fingerprint) {
    std::string key = Groups::KeyFor(route, labels, nullptr);
    Touched* t = Find(key);
    if (t == nullptr) {
      if (touched_.size() == kScanLimit) {
        for (size_t i = 0; i < touched_.size(); ++i) index_.emplace(touched_[i].key, i);
      }
      if (touched_.size() >= kScanLimit) index_.emplace(key, touched_.size());
      touched_.push_back({std::move(key), &route, std::move(labels), {}});
      t = &touched_.back();
    }
    t->fingerprints.push_back(fingerprint);
  }

  // Touches every group; returns the earliest flush a touch brought forward (INT64_MAX: none).
  int64_t TouchAll(Groups& groups, int64_t now) const {
    int64_t earliest = INT64_MAX;
    for (const Touched& t : touched_) {
      const int64_t due = groups.Touch(*t.route, t.key, t.labels, t.fingerprints, now);
      if (due != 0) earliest = std::min(earliest, due);
    }
    return earliest;
  }

 private:
  static constexpr size_t kScanLimit = 8;  // groups looked up by scanning, before the index
  struct Touched {
    std::string key;
    const Route* route;
    Labels labels;  // of the first member
    std::vector<uint64_t> fingerprints;
  };
  Touched* Find(const std::string& key) {
    if (!touched_.empty() && touched_.back().key == key) return &touched_.back();
    if (touched_.size() <= kScanLimit) {
      for (Touched& t : touched_) {
        if (t.key == key) return &t;
      }
      return nullptr;
    }
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &touched_[it->second];
  }

  std::vector<Touched> touched_;
  std::unordered_map<std::string, size_t> index_;  // once there are more than kScanLimit
};

}  // namespace

void Ingest(AlertsContext& ctx, std::vector<Alert> alerts, const Sender& sender,
            std::string_view receiver) {
  const int64_t now = ctx.now();
  GroupBatch batch;
  for (Alert& a : alerts) {
    if (!sender.defaults.empty()) {
      for (const auto& l : sender.defaults) AddLabelIfAbsent(a.labels, l.name, l.value);
      a.fingerprint = AlertFingerprint(a.labels);
    }
    a.source = sender.name;
    Labels changed;
    const uint64_t fp = a.fingerprint;
    Change change = ctx.live.Upsert(std::move(a), now, &changed);
    if (change != Change::kUnchanged) {
      const Route& route = ctx.config.RouteFor(changed);
      batch.Add(route, std::move(changed), fp);
    }
  }
  // The earliest flush a touch brought forward.
  const int64_t earliest_due = batch.TouchAll(ctx.groups, now);
  ctx.metrics.received.With({std::string(receiver)}).Inc(static_cast<double>(alerts.size()));
  if (earliest_due != INT64_MAX && ctx.wake_for) ctx.wake_for(earliest_due);
}

}  // namespace failsafe::watch::alerts
