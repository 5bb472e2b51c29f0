#pragma once
// Maintenance windows (维护窗口): a service and a time range in which its alerts are muted
// and marked, because the work is planned. Durable (table alert_maintenance_windows), with an
// in-memory copy for the hot path, reloaded periodically like the silences.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::watch::alerts {

struct MaintenanceWindow {
  int64_t id = 0;
  std::string service;
  int64_t starts_at = 0, ends_at = 0;
  std::string reason, created_by;
  int64_t created_at = 0;
  bool Covers(std::string_view svc, int64_t now_ms) const {
    return svc == service && starts_at <= now_ms && now_ms < ends_at;
  }
};

class MaintenanceWindows {
 public:
  Status Reload(store::Store& store);
  // Inserts in `tx` and returns the id; call Remember after the commit.
  static Result<int64_t> Insert(store::Tx& tx, const MaintenanceWindow& w);
  // Ends the window now (kept for the record); false when there is no such window.
  static Result<bool> End(store::Tx& tx, int64_t id, int64_t now_ms);
  void Remember(const MaintenanceWindow& w);
  void Forget(int64_t id, int64_t now_ms);

  std::vector<MaintenanceWindow> List() const;
  // The window covering `service` now, if any.
  std::optional<MaintenanceWindow> Covering(std::string_view service, int64_t now_ms) const;
  uint64_t generation() const;

 private:
  mutable std::mutex mu_;
  std::vector<MaintenanceWindow> windows_;
  uint64_t generation_ = 0;
};

}  // namespace failsafe::watch::alerts
