#pragma once
// The backup service inside `failsafe serve`: policies per service, the scheduler that runs
// them and their restore drills, and the /api/v1/backup routes (docs/backup/policies.md).
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "backup/service/alerts.h"
#include "backup/service/scheduler.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::backup::service {

// Schema migrations of this module (block 170..179; see app/migrations.cc).
std::vector<store::Migration> Migrations();

struct BackupServiceSettings {
  std::string work_dir;           // <data_dir>/backup: staging and drill scratch space
  std::string store_sqlite_path;  // the server's SQLite file for `store` sources
  std::chrono::milliseconds tick{15'000};
  int64_t grace_ms = 120'000;
  // Progress and outcomes for the console's live feed (see live_events.h); none when empty.
  LiveEventSink events;
  std::chrono::milliseconds progress_interval{500};
};

class BackupServiceModule {
 public:
  // `services` must outlive the module; `alerts` receives raised and resolved alerts.
  BackupServiceModule(const auth::ModuleServices& services, BackupServiceSettings settings,
                      AlertSink alerts);
  ~BackupServiceModule();
  BackupServiceModule(const BackupServiceModule&) = delete;
  BackupServiceModule& operator=(const BackupServiceModule&) = delete;

  void RegisterRoutes(server::Router& router);
  void Start();
  void Stop();
  Scheduler& scheduler() { return scheduler_; }

 private:
  const auth::ModuleServices& services_;
  Scheduler scheduler_;
};

// Module-internal: the route file.
void RegisterBackupRoutes(const auth::ModuleServices& services, Scheduler& scheduler,
                          server::Router& router);

}  // namespace failsafe::backup::service
