#pragma once
// The notify module's public API for other modules: describe a notification, enqueue it into
// the persistent outbox inside your own transaction, and learn how deliveries went through a
// listener called inside the transaction that records each outcome.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::notify {

struct Link {
  std::string title, url;
};

struct Message {
  std::string title;        // subject / card title
  std::string markdown;     // the body in Markdown (senders convert per platform)
  std::vector<Link> links;  // buttons / links ("Acknowledge", "Open incident")
  std::vector<std::string> mention_mobiles, mention_dingtalk_ids, mention_feishu_ids,
      mention_wecom_ids;
  bool mention_all = false;
  std::string language = "en";  // "zh-CN" | "en"
};

struct Notification {
  std::string idempotency_key;  // unique per logical message; re-enqueueing the same key
                                // for the same channel is a no-op
  std::optional<int64_t> incident_id;
  std::string kind;                   // page | escalation | status_update | reminder | test
  std::string audience = "internal";  // internal | customers | leadership
  Message message;
  std::vector<int64_t> channel_ids;  // explicit channels; empty: every enabled channel whose
                                     // audiences include `audience` and whose scope matches:
  std::vector<std::string> service_keys, team_keys;
  std::string severity;               // "P1".."P4"
  std::vector<std::string> email_to;  // extra recipients for email channels (people paged)
};

// Inserts one outbox row per matching channel inside the caller's transaction; returns the
// row ids (empty when no channel matches). Call NotifyModule::Wake() after the commit.
// kInvalidArgument when the key, kind or title is empty or the audience is unknown.
Result<std::vector<int64_t>> Enqueue(store::Tx& tx, const Notification& n, int64_t now_ms);

struct DeliveryEvent {
  int64_t notification_id = 0;
  std::optional<int64_t> incident_id;
  int64_t channel_id = 0;
  std::string channel_name, channel_type, kind, title;
  std::string state;  // delivered | retrying | failed | folded
  int attempt = 0;
  std::string error;
};

// Called inside the transaction that records a delivery state; a failed Status rolls the
// record back (the row is retried later), so keep it to a few inserts. Called from the
// worker's per-channel threads: possibly concurrently, so it must be thread-safe.
using DeliveryListener = std::function<Status(store::Tx&, const DeliveryEvent&)>;

}  // namespace failsafe::notify
