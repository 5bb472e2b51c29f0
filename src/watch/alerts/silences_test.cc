// Silences and maintenance windows are stored: what one Silences saves, a fresh one reloads,
// on SQLite and on PostgreSQL.
#include "watch/alerts/silences.h"

#include <gtest/gtest.h>

#include "store/testing/migrated_store.h"
#include "store/tx_result.h"
#include "watch/alerts/alerts_module.h"
#include "watch/alerts/maintenance.h"

namespace failsafe::watch::alerts {
namespace {

class StoredMutes : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    // The alerts tables reference incidents only from alert_group_incidents; the silence and
    // maintenance tables stand alone, so the module's own migration suffices here once the
    // referenced table exists.
    std::vector<store::Migration> m = {{1, "incidents_stub", "CREATE TABLE incidents (id {{id}})"}};
    for (auto& x : Migrations()) m.push_back(std::move(x));
    db_ = std::make_unique<store::testing::MigratedStore>(GetParam(), "alerts", std::move(m));
    if (!db_->status().ok() && GetParam() == store::Engine::kPostgres) {
      GTEST_SKIP() << db_->status().ToString();
    }
    ASSERT_TRUE(db_->status().ok()) << db_->status().ToString();
  }
  std::unique_ptr<store::testing::MigratedStore> db_;
};

TEST_P(StoredMutes, SilencesAndWindowsSurviveAReload) {
  Silence s;
  s.id = NewUuid();
  s.matchers = *ParseMatchers({R"(service="jira")", R"(severity=~"P3|P4")"}, "m");
  s.starts_at = 1000;
  s.ends_at = 5000;
  s.updated_at = 1000;
  s.created_by = "alice";
  s.comment = "upgrade 升级";
  ASSERT_TRUE(db_->store().Write([&](store::Tx& tx) { return Silences::Save(tx, s); }).ok());
  s.ends_at = 4000;  // an update keeps the id
  ASSERT_TRUE(db_->store().Write([&](store::Tx& tx) { return Silences::Save(tx, s); }).ok());

  MaintenanceWindow w{0, "erp", 1000, 9000, "patching", "bob", 1000};
  auto id = store::WriteResult<int64_t>(
      db_->store(), [&](store::Tx& tx) { return MaintenanceWindows::Insert(tx, w); });
  ASSERT_TRUE(id);

  Silences fresh;
  ASSERT_TRUE(fresh.Reload(db_->store()).ok());
  auto got = fresh.Get(s.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->ends_at, 4000);
  EXPECT_EQ(got->comment, "upgrade 升级");
  ASSERT_EQ(got->matchers.size(), 2u);
  EXPECT_TRUE(got->matchers[1].is_regex());
  EXPECT_EQ(fresh.Muting({{"service", "jira"}, {"severity", "P4"}}, 2000).size(), 1u);
  EXPECT_TRUE(fresh.Muting({{"service", "jira"}, {"severity", "P4"}}, 4000).empty());

  MaintenanceWindows windows;
  ASSERT_TRUE(windows.Reload(db_->store()).ok());
  EXPECT_TRUE(windows.Covering("erp", 2000));
  EXPECT_FALSE(windows.Covering("erp", 9000));
  EXPECT_FALSE(windows.Covering("jira", 2000));
  ASSERT_TRUE(
      db_->store()
          .Write([&](store::Tx& tx) { return StatusOf(MaintenanceWindows::End(tx, *id, 3000)); })
          .ok());
  ASSERT_TRUE(windows.Reload(db_->store()).ok());
  EXPECT_FALSE(windows.Covering("erp", 3000));
}

std::string EngineLabel(const ::testing::TestParamInfo<store::Engine>& p) {
  return std::string(store::EngineName(p.param));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoredMutes,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         EngineLabel);

}  // namespace
}  // namespace failsafe::watch::alerts
