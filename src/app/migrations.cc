#include "app/migrations.h"

#include <algorithm>

#include "auth/auth_module.h"
#include "backup/service/backup_service_module.h"
#include "catalog/catalog_module.h"
#include "incidents/incidents_module.h"
#include "notify/notify_module.h"
#include "plans/plans_module.h"
#include "postmortems/postmortems_module.h"
#include "watch/alerts/alerts_module.h"

namespace failsafe::app {

// Versions are global and only ever appended (store::Migrate refuses a store that has a
// newer version than a missing one). The first schema of each module took a block:
//   auth 1..99, catalog 100..109, plans 110..119, notify 120..129, incidents 130..139,
//   postmortems 140..149, watch/alerts 150..159, backup/service 170..179.
// A later migration of any module takes the next number above the highest in use (160: the
// checklist step's assignee).
std::vector<store::Migration> AllMigrations() {
  std::vector<store::Migration> all;
  for (auto list : {auth::Migrations(), catalog::Migrations(), plans::Migrations(),
                    notify::Migrations(), incidents::Migrations(), postmortems::Migrations(),
                    watch::alerts::Migrations(), backup::service::Migrations()}) {
    for (auto& m : list) all.push_back(std::move(m));
  }
  std::sort(all.begin(), all.end(), [](const store::Migration& a, const store::Migration& b) {
    return a.version < b.version;
  });
  return all;
}

}  // namespace failsafe::app
