#pragma once
// The live feed behind GET /api/v1/events: tells connected consoles which incidents changed,
// as server-sent events, so a page updates within a second when anyone else acts.
//
// It reads the incident timeline rather than being called by every writer: every change to
// an incident (state, roles, checklist, notes, updates, deliveries, severity, escalation)
// appends a timeline row, whichever module or server instance made it, so following the
// timeline's ids misses nothing and needs no hook in the write paths. A poller thread runs
// only while someone listens.
//
//   id: 42                      <- the timeline row; EventSource resends it as Last-Event-ID
//   event: incident
//   data: {"id":"INC-2026-0001","change":"updated","kind":"note","at":"2026-11-22T04:05:06.000Z"}
//
// "change" is "created" for a declaration, else "updated". A comment line keeps idle
// connections open and finds the ones whose client went away.
//
// Other modules publish passing events through the same stream (Publish: backup progress
// and outcomes). They carry no id, are not replayed after a reconnect, and go only to the
// listeners whose role holds the permission the publisher names.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "server/event_stream.h"
#include "store/store.h"

namespace failsafe::incidents {

struct LiveFeedOptions {
  std::chrono::milliseconds poll = std::chrono::milliseconds(250);
  std::chrono::milliseconds keepalive = std::chrono::seconds(15);
  // On PostgreSQL ids are handed out before commit, so a row can become visible after a
  // higher one: look back this many ids (seen ones are not sent twice).
  int64_t lookback = 64;
};

// Whether a listener may see events that need `permission` (e.g. "backups.read").
using ListenerPermits = std::function<bool(std::string_view permission)>;

class LiveFeed {
 public:
  LiveFeed(store::Store& store, LiveFeedOptions options = {});
  ~LiveFeed();  // Stop()

  // A new listener. With `last_event_id` (a reconnecting EventSource), the changes after it
  // are sent first (at most the latest 1,000).
  // `permits` decides which published events it gets (none without it).
  Result<std::shared_ptr<server::EventStream>> Subscribe(std::optional<int64_t> last_event_id,
                                                         ListenerPermits permits = {});
  // Sends `event` with JSON `data` now to every listener permitted `permission`. Thread-safe.
  void Publish(std::string_view event, std::string_view data, std::string_view permission);
  // Ends every stream and the poller. Idempotent.
  void Stop();

  // One poll, on the caller's thread (tests): sends what changed since the last one.
  Status PollOnce();

 private:
  struct Change {
    int64_t id;
    std::string ref, kind;
    int64_t at;
  };
  Result<std::vector<Change>> ChangesAfter(int64_t after, int64_t up_to, int limit);
  static std::string EventText(const Change& c);
  void Broadcast(const std::string& text);
  void Run();

  store::Store& store_;
  const LiveFeedOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  struct Listener {
    std::shared_ptr<server::EventStream> stream;
    ListenerPermits permits;
  };
  std::vector<Listener> streams_;
  int64_t cursor_ = -1;     // the highest timeline id sent (-1: not read yet)
  int64_t floor_ = -1;      // the highest id when the feed started: older rows are never sent
  std::set<int64_t> seen_;  // ids in (cursor_ - lookback, cursor_] already sent
  bool stop_ = false, running_ = false;
  std::thread thread_;
};

}  // namespace failsafe::incidents
