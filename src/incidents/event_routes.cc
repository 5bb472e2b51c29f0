// GET /api/v1/events: the live feed of incident changes for the console (server-sent events),
// and the passing events other modules publish to the listeners allowed to see them.
#include <charconv>

#include "auth/roles.h"
#include "incidents/context.h"
#include "incidents/live_feed.h"
#include "server/route_helpers.h"

namespace failsafe::incidents {
namespace {

using server::Request;
using server::Response;

// EventSource sends the last id it saw when it reconnects; anything unreadable is ignored
// (the client then gets only new changes, and refetches what it shows on reconnect anyway).
std::optional<int64_t> LastEventId(const Request& req) {
  const std::string text = req.Header("last-event-id");
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id < 0) {
    return std::nullopt;
  }
  return id;
}

}  // namespace

void RegisterEventRoutes(LiveFeed& feed, server::Router& router) {
  router.Add({"GET",
              "/api/v1/events",
              "incidents.read",
              [&feed](Request& req) -> Result<Response> {
                // The role as of connecting: a role change takes effect on the next
                // reconnect, as it does for the session's other requests.
                const std::string role = req.principal ? req.principal->role : std::string();
                auto permits = [role](std::string_view p) { return auth::RoleAllowed(role, p); };
                FS_ASSIGN_OR_RETURN(auto stream, feed.Subscribe(LastEventId(req), permits));
                return Response::EventStreamOf(std::move(stream));
              },
              {"Live feed of incident changes (text/event-stream). Each event: `id` (resend "
               "it as Last-Event-ID to catch up after a reconnect), `event: incident`, data "
               "{id, change: created|updated, kind, at}. Users with backups.read also get "
               "`backup.progress`, `backup.run.finished` and `backup.drill.finished` (no id; "
               "see docs/backup/policies.md)",
               "incidents",
               nullptr,
               server::Schema(R"({"type":"string","description":"server-sent events"})"),
               200,
               {},
               "text/event-stream"}});
}

}  // namespace failsafe::incidents
