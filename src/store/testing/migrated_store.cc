#include "store/testing/migrated_store.h"

#include "store/testing/pg_test_server.h"

namespace failsafe::store::testing {

MigratedStore::MigratedStore(Engine engine, const std::string& name,
                             std::vector<Migration> migrations)
    : dir_(name + "-test") {
  std::string url = "sqlite:" + dir_.Join("failsafe.db");
  if (engine == Engine::kPostgres) {
    auto server = PgTestServer::Shared();
    if (!server) {
      status_ = server.error();
      return;
    }
    auto db = (*server)->CreateUniqueDatabase(name);
    if (!db) {
      status_ = db.error();
      return;
    }
    url = *db;
  }
  auto opened = OpenStore(url);
  if (!opened) {
    status_ = opened.error();
    return;
  }
  store_ = std::move(*opened);
  status_ = Migrate(*store_, migrations);
}

}  // namespace failsafe::store::testing
