#include "app/migrations.h"

#include "auth/auth_module.h"

namespace failsafe::app {

std::vector<store::Migration> AllMigrations() {
  std::vector<store::Migration> all;
  for (auto& m : auth::Migrations()) all.push_back(std::move(m));
  return all;
}

}  // namespace failsafe::app
