#pragma once
// Alert sources (告警来源): who may push alerts without a user account — a Prometheus, an
// Alertmanager, a Grafana, a Zabbix, or anything speaking the generic format. Each has a name,
// a kind, default labels added to its alerts (e.g. service: erp) and a token "fsa_..." shown
// once and stored as SHA-256 (as API tokens are: it only needs to be recognised, never read).
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/result.h"
#include "store/store.h"
#include "watch/alerts/alert.h"

namespace failsafe::watch::alerts {

inline constexpr std::string_view kSourceTokenPrefix = "fsa_";
inline constexpr std::string_view kSourceKinds[] = {"prometheus", "alertmanager", "grafana",
                                                    "zabbix", "generic"};
bool ValidSourceKind(std::string_view kind);

struct AlertSource {
  int64_t id = 0;
  std::string name, kind;
  Labels default_labels;
  std::string created_by;
  int64_t created_at = 0;
  std::optional<int64_t> last_seen_at;
};

Result<std::vector<AlertSource>> ListSources(store::Tx& tx);
// Inserts the source with a new token; returns the source and the token text (shown once).
// kAlreadyExists (field name) when the name is taken.
Result<std::pair<AlertSource, std::string>> CreateSource(store::Tx& tx, AlertSource s);
// false when there is no such source.
Result<bool> DeleteSource(store::Tx& tx, int64_t id);

// Recognises source tokens; caches what it found for a few seconds so a busy sender costs no
// query per request (a deleted source stops working within that time everywhere, at once
// here). Thread-safe.
class SourceTokens {
 public:
  explicit SourceTokens(store::Store& store) : store_(store) {}
  // nullopt when the token is unknown.
  Result<std::optional<AlertSource>> Find(std::string_view token, int64_t now_ms);
  std::optional<AlertSource> ById(int64_t id, int64_t now_ms);
  void Forget(int64_t id);

 private:
  struct Cached {
    AlertSource source;
    int64_t fetched_at;
  };
  store::Store& store_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> by_hash_;
};

}  // namespace failsafe::watch::alerts
