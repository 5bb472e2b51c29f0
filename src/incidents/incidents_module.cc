#include "incidents/incidents_module.h"

#include <boost/json.hpp>

#include "base/clock.h"
#include "base/json.h"
#include "incidents/context.h"
#include "incidents/incident.h"
#include "incidents/live_feed.h"
#include "incidents/operations.h"
#include "incidents/paging.h"
#include "incidents/timers.h"
#include "notify/notify_module.h"

namespace failsafe::incidents {
namespace {

// Delivery outcomes of incident notifications go onto the incident's timeline.
Status RecordDelivery(store::Tx& tx, const notify::DeliveryEvent& e, int64_t now_ms) {
  if (!e.incident_id || e.state == "retrying") return Status::Ok();
  std::string text = e.state == "delivered" ? "Delivered"
                     : e.state == "folded"  ? "Folded into a digest"
                                            : "Delivery failed";
  text += " via " + e.channel_name + " (" + e.channel_type + "): " + e.title;
  if (!e.error.empty()) text += " — " + e.error;
  // The same facts as the text, so the console can say them in the reader's language.
  boost::json::object detail{{"notification_id", e.notification_id},
                             {"state", e.state},
                             {"attempt", e.attempt},
                             {"channel", e.channel_name},
                             {"channel_type", e.channel_type},
                             {"title", e.title}};
  if (!e.error.empty()) detail["error"] = e.error;
  return AppendTimeline(tx, *e.incident_id, now_ms, "system", "notification", text,
                        json::Serialize(detail));
}

}  // namespace

IncidentsModule::IncidentsModule(const auth::ModuleServices& services, notify::NotifyModule& notify,
                                 IncidentSettings settings)
    : ctx_(std::make_unique<IncidentsContext>(IncidentsContext{services, notify, settings, {}})) {
  IncidentsContext* ctx = ctx_.get();
  timers_ = std::make_unique<TimerWorker>(
      services.store, [ctx] { return ctx->now(); },
      [ctx](store::Tx& tx, const Timer& t, int64_t now) -> Status {
        if (t.kind == kTimerEscalation) return FireEscalation(*ctx, tx, t, now);
        if (t.kind == kTimerUpdateReminder) return FireUpdateReminder(*ctx, tx, t, now);
        return Status::Ok();  // a kind from a newer version: leave it fired
      },
      [ctx] { ctx->notify.Wake(); }, settings.timer_max_sleep);
  ctx_->wake_timers = [this] { timers_->Wake(); };
  live_ = std::make_unique<LiveFeed>(services.store);
  notify.SetDeliveryListener([ctx](store::Tx& tx, const notify::DeliveryEvent& e) {
    return RecordDelivery(tx, e, ctx->now());
  });
}

IncidentsModule::~IncidentsModule() {
  Stop();
}

void IncidentsModule::RegisterRoutes(server::Router& router) {
  RegisterIncidentRoutes(*ctx_, router);
  RegisterPublicRoutes(*ctx_, router);
  RegisterEventRoutes(*live_, router);
}

Result<Incident> IncidentsModule::DeclareIn(store::Tx& tx, const DeclareInput& in,
                                            std::string_view actor) {
  return DeclareInTx(*ctx_, tx, in, Actor{std::string(actor), nullptr});
}

Result<Incident> IncidentsModule::TransitionIn(store::Tx& tx, int64_t incident_id,
                                               std::string_view action, const std::string& note,
                                               std::string_view actor) {
  return TransitionInTx(*ctx_, tx, incident_id, action, note, Actor{std::string(actor), nullptr});
}

void IncidentsModule::AfterWrite() {
  ctx_->notify.Wake();
  if (ctx_->wake_timers) ctx_->wake_timers();
}

void IncidentsModule::PublishLive(std::string_view event, std::string_view data,
                                  std::string_view permission) {
  live_->Publish(event, data, permission);
}

void IncidentsModule::Start() {
  timers_->Start();
}

void IncidentsModule::Stop() {
  timers_->Stop();
  live_->Stop();
}

}  // namespace failsafe::incidents
