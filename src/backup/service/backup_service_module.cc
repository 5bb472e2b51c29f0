#include "backup/service/backup_service_module.h"

namespace failsafe::backup::service {
namespace {

SchedulerSettings SchedulerSettingsFrom(const BackupServiceSettings& s) {
  SchedulerSettings out;
  out.runner.work_dir = s.work_dir;
  out.runner.store_sqlite_path = s.store_sqlite_path;
  out.tick = s.tick;
  out.grace_ms = s.grace_ms;
  out.events = s.events;
  out.progress_interval = s.progress_interval;
  return out;
}

}  // namespace

BackupServiceModule::BackupServiceModule(const auth::ModuleServices& services,
                                         BackupServiceSettings settings, AlertSink alerts)
    : services_(services),
      scheduler_(services.store, services.secrets, services.clock, SchedulerSettingsFrom(settings),
                 std::move(alerts)) {}

BackupServiceModule::~BackupServiceModule() {
  Stop();
}

void BackupServiceModule::RegisterRoutes(server::Router& router) {
  RegisterBackupRoutes(services_, scheduler_, router);
}

void BackupServiceModule::Start() {
  scheduler_.Start();
}

void BackupServiceModule::Stop() {
  scheduler_.Stop();
}

}  // namespace failsafe::backup::service
