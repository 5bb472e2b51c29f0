#pragma once
// Test-only: a real store with a module's schema applied, for module tests that run on both
// engines: SQLite in a fresh temporary directory, or a fresh database on the shared throw-away
// PostgreSQL server (pg_test_server.h).
#include <memory>
#include <string>
#include <vector>

#include "store/migrations.h"
#include "store/store.h"
#include "store/testing/temp_dir.h"

namespace failsafe::store::testing {

class MigratedStore {
 public:
  // `name` prefixes the temporary directory and the PostgreSQL database ("auth", "plans").
  MigratedStore(Engine engine, const std::string& name, std::vector<Migration> migrations);

  // Not OK when the engine is unavailable (PostgreSQL binaries missing: tests skip) or the
  // migrations failed (tests fail).
  const Status& status() const { return status_; }
  Store& store() { return *store_; }

 private:
  TempDir dir_;
  Status status_;
  std::unique_ptr<Store> store_;
};

}  // namespace failsafe::store::testing
