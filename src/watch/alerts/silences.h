#pragma once
// Silences: matchers and a time range that mute matching alerts (Alertmanager's model: UUID
// ids, matchers with isRegex/isEqual, startsAt/endsAt, createdBy, comment). Durable: each
// change is written to the store (table alert_silences) in the caller's transaction; an
// in-memory copy answers "which silences mute these labels" on the hot path and is reloaded
// from the store periodically, so servers sharing PostgreSQL see each other's silences.
#include <boost/json/fwd.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"
#include "watch/alerts/matcher.h"

namespace failsafe::watch::alerts {

struct Silence {
  std::string id;  // UUID
  Matchers matchers;
  int64_t starts_at = 0, ends_at = 0, updated_at = 0;
  std::string created_by, comment;

  // "pending" before startsAt, "active" until endsAt, then "expired".
  std::string_view State(int64_t now_ms) const;
  bool Mutes(const Labels& labels, int64_t now_ms) const {
    return State(now_ms) == "active" && MatchesAll(matchers, labels);
  }
};

// Alertmanager's postableSilence: {id?, matchers[{name, value, isRegex, isEqual?}], startsAt,
// endsAt, createdBy, comment}. kInvalidArgument naming the field: missing fields, no matchers,
// matchers that all match the empty label (they would silence everything), endsAt not after
// startsAt or in the past. A startsAt in the past becomes now.
Result<Silence> SilenceFromJson(const boost::json::value& body, int64_t now_ms);
// gettableSilence: the same plus id, status{state}, updatedAt.
boost::json::object SilenceToJson(const Silence& s, int64_t now_ms);
// A random version-4 UUID.
std::string NewUuid();

class Silences {
 public:
  // Loads every silence from the store (replacing the cache).
  Status Reload(store::Store& store);
  // Writes `s` (insert or update by id) in `tx`. Call Remember(s) after the commit.
  static Status Save(store::Tx& tx, const Silence& s);
  void Remember(const Silence& s);

  std::optional<Silence> Get(std::string_view id) const;
  std::vector<Silence> List() const;
  // Ids of the active silences muting `labels`.
  std::vector<std::string> Muting(const Labels& labels, int64_t now_ms) const;
  // Bumped on every change, so the grouping can notice a silence was added or expired.
  uint64_t generation() const;

 private:
  mutable std::mutex mu_;
  std::vector<Silence> silences_;
  uint64_t generation_ = 0;
};

}  // namespace failsafe::watch::alerts
