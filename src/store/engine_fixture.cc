#include "store/engine_fixture.h"

#include <atomic>

#include "store/testing/pg_test_server.h"

namespace failsafe::store {

std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

std::string EngineTest::NewUrl() {
  if (engine() == Engine::kSqlite) {
    if (!dir_) dir_.emplace("failsafe-store");
    static std::atomic<int> counter{0};
    return "sqlite:" + dir_->Join("db" + std::to_string(++counter) + "/failsafe.db");
  }
  auto server = testing::PgTestServer::Shared();
  if (!server) {
    ADD_FAILURE() << "cannot start the PostgreSQL test server: " << server.error().ToString();
    return {};
  }
  auto url = (*server)->CreateUniqueDatabase("store");
  if (!url) {
    ADD_FAILURE() << "cannot create a test database: " << url.error().ToString();
    return {};
  }
  return *url;
}

std::unique_ptr<Store> EngineTest::OpenUrl(const std::string& url, const StoreOptions& options) {
  if (url.empty()) return nullptr;
  auto store = OpenStore(url, options);
  if (!store) {
    ADD_FAILURE() << "OpenStore(" << RedactUrl(url) << "): " << store.error().ToString();
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<Store> EngineTest::OpenNew(const StoreOptions& options) {
  return OpenUrl(NewUrl(), options);
}

}  // namespace failsafe::store
