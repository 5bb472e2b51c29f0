#include "watch/alerts/maintenance.h"

namespace failsafe::watch::alerts {

Status MaintenanceWindows::Reload(store::Store& store) {
  std::vector<MaintenanceWindow> loaded;
  Status st = store.Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(
        auto rows, tx.Query("SELECT id, service, starts_at, ends_at, reason, created_by, "
                            "created_at FROM alert_maintenance_windows ORDER BY id"));
    for (const auto& r : rows) {
      loaded.push_back({r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Text(4), r.Text(5), r.Int(6)});
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::lock_guard lock(mu_);
  bool changed = loaded.size() != windows_.size();
  for (size_t i = 0; !changed && i < loaded.size(); ++i) {
    changed = loaded[i].id != windows_[i].id || loaded[i].ends_at != windows_[i].ends_at;
  }
  windows_ = std::move(loaded);
  if (changed) ++generation_;
  return Status::Ok();
}

Result<int64_t> MaintenanceWindows::Insert(store::Tx& tx, const MaintenanceWindow& w) {
  return tx.Insert(
      "INSERT INTO alert_maintenance_windows (service, starts_at, ends_at, reason, created_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {w.service, w.starts_at, w.ends_at, w.reason, w.created_by, w.created_at});
}

Result<bool> MaintenanceWindows::End(store::Tx& tx, int64_t id, int64_t now_ms) {
  FS_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT ends_at FROM alert_maintenance_windows WHERE id = ?", {id}));
  if (!row) return false;
  if (row->Int(0) > now_ms) {
    FS_RETURN_IF_ERROR(StatusOf(
        tx.Exec("UPDATE alert_maintenance_windows SET ends_at = ? WHERE id = ?", {now_ms, id})));
  }
  return true;
}

void MaintenanceWindows::Remember(const MaintenanceWindow& w) {
  std::lock_guard lock(mu_);
  windows_.push_back(w);
  ++generation_;
}

void MaintenanceWindows::Forget(int64_t id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  for (auto& w : windows_) {
    if (w.id == id && w.ends_at > now_ms) w.ends_at = now_ms;
  }
  ++generation_;
}

std::vector<MaintenanceWindow> MaintenanceWindows::List() const {
  std::lock_guard lock(mu_);
  return windows_;
}

std::optional<MaintenanceWindow> MaintenanceWindows::Covering(std::string_view service,
                                                              int64_t now_ms) const {
  if (service.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  for (const auto& w : windows_) {
    if (w.Covers(service, now_ms)) return w;
  }
  return std::nullopt;
}

uint64_t MaintenanceWindows::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

}  // namespace failsafe::watch::alerts
