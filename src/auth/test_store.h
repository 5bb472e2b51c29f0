#pragma once
// Test-only: a real store with the auth schema applied — SQLite in a fresh temp directory, or
// a fresh database on the shared throw-away PostgreSQL server (store/testing/pg_test_server.h).
#include <gtest/gtest.h>

#include <string>

#include "auth/auth_module.h"
#include "store/testing/migrated_store.h"

namespace failsafe::auth::testing {

// The auth schema on a fresh store of `engine` (see store/testing/migrated_store.h).
class TestStore : public store::testing::MigratedStore {
 public:
  explicit TestStore(store::Engine engine = store::Engine::kSqlite)
      : MigratedStore(engine, "auth", Migrations()) {}
};

inline std::string EngineTestName(const ::testing::TestParamInfo<store::Engine>& info) {
  return std::string(store::EngineName(info.param));
}

}  // namespace failsafe::auth::testing
