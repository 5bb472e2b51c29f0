#pragma once
// Test-only: a real store (SQLite in a temp dir, or a fresh PostgreSQL database) with the
// schemas postmortems build on (auth, catalog, plans, incidents) and its own, plus helpers
// that create incidents through the incidents module's storage API.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "auth/auth_module.h"
#include "catalog/catalog_module.h"
#include "incidents/incident.h"
#include "incidents/incidents_module.h"
#include "plans/plans_module.h"
#include "postmortems/postmortems_module.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/testing/migrated_store.h"

namespace failsafe::postmortems::testing {

inline std::vector<store::Migration> SchemaForTests() {
  std::vector<store::Migration> all;
  for (auto list : {auth::Migrations(), catalog::Migrations(), plans::Migrations(),
                    incidents::Migrations(), Migrations()}) {
    for (auto& m : list) all.push_back(std::move(m));
  }
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  return all;
}

// The schemas postmortems build on, and its own, on a fresh store of `engine`.
class TestStore : public store::testing::MigratedStore {
 public:
  explicit TestStore(store::Engine engine)
      : MigratedStore(engine, "postmortems", SchemaForTests()) {}
};

inline std::string EngineName(const ::testing::TestParamInfo<store::Engine>& info) {
  return std::string(store::EngineName(info.param));
}

constexpr int64_t kMinute = 60'000;

// Declares an incident at `declared_at` and moves it through `steps` (status, minutes after
// declaration). Returns the incident's id (0 after a failed assertion).
inline int64_t MakeIncident(store::Store& s, const std::string& title, const std::string& severity,
                            std::vector<std::string> services, int64_t declared_at,
                            std::vector<std::pair<std::string_view, int64_t>> steps) {
  int64_t id = 0;
  Status st = s.Write([&](store::Tx& tx) -> Status {
    incidents::NewIncident n{title, severity, std::move(services), "", "alice"};
    FS_ASSIGN_OR_RETURN_STATUS(auto incident, incidents::InsertIncident(tx, n, declared_at));
    id = incident.id;
    for (const auto& [status, minutes] : steps) {
      FS_RETURN_STATUS_IF_ERROR(
          incidents::StoreStatus(tx, id, status, declared_at + minutes * kMinute, "bob"));
    }
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return st.ok() ? id : 0;
}

}  // namespace failsafe::postmortems::testing
