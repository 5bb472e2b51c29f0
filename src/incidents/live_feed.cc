#include "incidents/live_feed.h"

#include <limits>

#include "base/json.h"
#include "base/log.h"
#include "store/tx_result.h"

namespace failsafe::incidents {

LiveFeed::LiveFeed(store::Store& store, LiveFeedOptions options)
    : store_(store), options_(options) {}

LiveFeed::~LiveFeed() {
  Stop();
}

Result<std::vector<LiveFeed::Change>> LiveFeed::ChangesAfter(int64_t after, int64_t up_to,
                                                             int limit) {
  return store::ReadResult<std::vector<Change>>(
      store_, [&](store::Tx& tx) -> Result<std::vector<Change>> {
        FS_ASSIGN_OR_RETURN(
            auto rows,
            tx.Query("SELECT t.id, i.ref, t.kind, t.at FROM incident_timeline t JOIN incidents i "
                     "ON i.id = t.incident_id WHERE t.id > ? AND t.id <= ? ORDER BY t.id LIMIT ?",
                     {after, up_to, static_cast<int64_t>(limit)}));
        std::vector<Change> out;
        out.reserve(rows.size());
        for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3)});
        return out;
      });
}

std::string LiveFeed::EventText(const Change& c) {
  std::string data;
  json::Writer w(data);
  w.BeginObject();
  w.Key("id");
  w.String(c.ref);
  w.Key("change");
  w.String(c.kind == "declared" ? "created" : "updated");
  w.Key("kind");
  w.String(c.kind);
  w.Key("at");
  w.String(FormatRfc3339(c.at));
  w.EndObject();
  return "id: " + std::to_string(c.id) + "\nevent: incident\ndata: " + data + "\n\n";
}

Result<std::shared_ptr<server::EventStream>> LiveFeed::Subscribe(
    std::optional<int64_t> last_event_id, ListenerPermits permits) {
  auto stream = std::make_shared<server::EventStream>();
  stream->Push("retry: 2000\n\n");  // reconnect after 2 s when the connection drops
  std::unique_lock lock(mu_);
  if (stop_) return Err(Unavailable("the server is shutting down"));
  if (cursor_ < 0) {
    FS_ASSIGN_OR_RETURN(
        auto top, store::ReadResult<int64_t>(store_, [](store::Tx& tx) -> Result<int64_t> {
          FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COALESCE(MAX(id), 0) FROM "
                                                    "incident_timeline"));
          return row ? row->Int(0) : 0;
        }));
    cursor_ = floor_ = top;
  }
  if (last_event_id && *last_event_id < cursor_) {
    // The newest 1,000 changes the client missed, up to what the poller has sent.
    const int64_t from = std::max(*last_event_id, cursor_ - 1000);
    FS_ASSIGN_OR_RETURN(auto missed, ChangesAfter(from, cursor_, 1000));
    for (const auto& c : missed) stream->Push(EventText(c));
  }
  streams_.push_back({stream, std::move(permits)});
  if (!running_) {
    if (thread_.joinable()) thread_.join();  // a poller that ran out of listeners
    running_ = true;
    thread_ = std::thread([this] { Run(); });
  }
  cv_.notify_all();
  return stream;
}

void LiveFeed::Stop() {
  std::vector<Listener> streams;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    streams.swap(streams_);
  }
  cv_.notify_all();
  for (auto& s : streams) s.stream->Close();
  if (thread_.joinable()) thread_.join();
}

void LiveFeed::Broadcast(const std::string& text) {
  // Streams whose connection ended refuse the push: forget them.
  std::erase_if(streams_, [&](const Listener& s) { return !s.stream->Push(text); });
}

void LiveFeed::Publish(std::string_view event, std::string_view data, std::string_view permission) {
  // No id line: EventSource keeps the last timeline id for Last-Event-ID.
  std::string text = "event: ";
  text.append(event).append("\ndata: ").append(data).append("\n\n");
  std::lock_guard lock(mu_);
  std::erase_if(streams_, [&](const Listener& s) {
    if (!s.permits || !s.permits(permission)) return false;
    return !s.stream->Push(text);
  });
}

Status LiveFeed::PollOnce() {
  std::lock_guard lock(mu_);
  if (cursor_ < 0) return Status::Ok();  // nobody subscribed yet
  const int64_t from = std::max(floor_, cursor_ - options_.lookback);
  FS_ASSIGN_OR_RETURN_STATUS(auto changes,
                             ChangesAfter(from, std::numeric_limits<int64_t>::max(), 1000));
  for (const auto& c : changes) {
    if (!seen_.insert(c.id).second) continue;
    cursor_ = std::max(cursor_, c.id);
    Broadcast(EventText(c));
  }
  seen_.erase(seen_.begin(), seen_.upper_bound(cursor_ - options_.lookback));
  return Status::Ok();
}

void LiveFeed::Run() {
  auto last_keepalive = std::chrono::steady_clock::now();
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.poll, [this] { return stop_; });
      // Decided under the lock, so a Subscribe either sees this poller running or starts one.
      if (stop_ || streams_.empty()) {
        running_ = false;
        return;
      }
      if (std::chrono::steady_clock::now() - last_keepalive >= options_.keepalive) {
        Broadcast(": keepalive\n\n");
        last_keepalive = std::chrono::steady_clock::now();
      }
    }
    Status st = PollOnce();
    if (!st.ok()) log::Warn("live_feed_poll_failed", {{"error", st.message()}});
  }
}

}  // namespace failsafe::incidents
