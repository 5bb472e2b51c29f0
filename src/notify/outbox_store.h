#pragma once
// The outbox table: one row per (notification, channel). States:
//   pending -> sending -> delivered | pending (retry later) | failed (after max attempts)
//   pending -> folded (merged into a digest row, digest_id points at it)
// "sending" carries a lease: a row whose lease ran out (its sender died: kill -9) is due again
// and is re-sent with the SAME idempotency key.
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "notify/outbox.h"
#include "store/store.h"

namespace failsafe::notify {

struct OutboxRow {
  int64_t id = 0;
  std::string idempotency_key;
  int64_t channel_id = 0;
  std::string channel_name, channel_type;
  std::optional<int64_t> incident_id;
  std::string kind, audience, title;
  Message message;
  std::vector<std::string> email_to;
  std::string state;
  int attempts = 0;
  int64_t next_attempt_at = 0, lease_until = 0;
  std::string last_error;
  std::optional<int64_t> digest_id;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> delivered_at;
};

std::string MessageText(const Message& m);
Message ParseMessage(const std::string& text);

// Rows due at `now`: pending with next_attempt_at <= now, or sending with an expired lease;
// oldest first.
Result<std::vector<OutboxRow>> DueRows(store::Tx& tx, int64_t now_ms, int limit);
// The earliest future time something becomes due (nullopt: nothing waiting).
Result<std::optional<int64_t>> NextDueAt(store::Tx& tx);
// Moves a due row to sending (attempts + 1) with a lease; false when another worker took it.
Result<bool> Claim(store::Tx& tx, const OutboxRow& row, int64_t now_ms, int64_t lease_until);
// After a crash of this process (SQLite: no other process can be sending), every sending row
// is due again at once.
Status ReleaseInterruptedSends(store::Tx& tx, int64_t now_ms);
// Records the outcome of attempt `row.attempts + 1` (the claimed one) and tells `listener`.
// `retry_at` is used when the attempt failed and attempts remain.
Status RecordOutcome(store::Tx& tx, const OutboxRow& row, bool ok, const std::string& error,
                     int max_attempts, int64_t now_ms, int64_t retry_at,
                     const DeliveryListener& listener);
// Postpones the pending rows of a channel (rate limit) without counting an attempt.
Status Postpone(store::Tx& tx, int64_t channel_id, int64_t until_ms);
// Folds `rows` (pending, one channel) into one new digest row due now; returns it.
Result<OutboxRow> FoldIntoDigest(store::Tx& tx, const std::vector<OutboxRow>& rows, int64_t now_ms,
                                 const DeliveryListener& listener);
// Fails a channel's waiting rows (channel deleted or disabled), telling the listener.
Status FailWaitingRows(store::Tx& tx, const std::vector<OutboxRow>& rows, const std::string& error,
                       int64_t now_ms, const DeliveryListener& listener);

// ---- API ----
struct OutboxFilter {
  std::optional<std::string> state;
  std::optional<int64_t> incident_id, channel_id;
  std::optional<int64_t> after_id;
  int limit = 50;
};
Result<std::vector<OutboxRow>> ListOutbox(store::Tx& tx, const OutboxFilter& f);
Result<std::optional<OutboxRow>> LoadOutboxRow(store::Tx& tx, int64_t id);
// failed (or pending) -> pending now with attempts reset; kConflict for delivered/folded.
Status RetryRow(store::Tx& tx, int64_t id, int64_t now_ms);
boost::json::object OutboxJson(const OutboxRow& row);
// Send times (delivered_at) of a channel since `since_ms`: seeds its rate limiter at start.
Result<std::vector<int64_t>> RecentSends(store::Tx& tx, int64_t channel_id, int64_t since_ms);

}  // namespace failsafe::notify
