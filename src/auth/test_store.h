#pragma once
// Test-only: a real store with the auth schema applied — SQLite in a fresh temp directory, or
// a fresh database on the shared throw-away PostgreSQL server (store/testing/pg_test_server.h).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/auth_module.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/testing/pg_test_server.h"
#include "store/testing/temp_dir.h"

namespace failsafe::auth::testing {

class TestStore {
 public:
  explicit TestStore(store::Engine engine = store::Engine::kSqlite) {
    std::string url;
    if (engine == store::Engine::kSqlite) {
      url = "sqlite:" + dir_.Join("failsafe.db");
    } else {
      auto server = store::testing::PgTestServer::Shared();
      if (!server) {
        status_ = server.error();
        return;
      }
      auto db = (*server)->CreateUniqueDatabase("auth");
      if (!db) {
        status_ = db.error();
        return;
      }
      url = *db;
    }
    auto s = store::OpenStore(url);
    if (!s) {
      status_ = s.error();
      return;
    }
    store_ = std::move(*s);
    auto migrations = Migrations();
    status_ = store::Migrate(*store_, migrations);
  }

  // Not OK when the engine is unavailable (PostgreSQL binaries missing): tests skip.
  const Status& status() const { return status_; }
  store::Store& store() { return *store_; }

 private:
  store::testing::TempDir dir_{"auth-test"};
  Status status_;
  std::unique_ptr<store::Store> store_;
};

inline std::string EngineTestName(const ::testing::TestParamInfo<store::Engine>& info) {
  return std::string(store::EngineName(info.param));
}

}  // namespace failsafe::auth::testing
