#include "app/migrations.h"

#include <gtest/gtest.h>

#include "store/testing/temp_dir.h"

namespace failsafe::app {
namespace {

TEST(AllMigrationsTest, VersionsStrictlyIncreaseAndAreNamed) {
  std::vector<store::Migration> all = AllMigrations();
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].name.empty()) << all[i].version;
    EXPECT_FALSE(all[i].sql.empty()) << all[i].version;
    if (i > 0) {
      EXPECT_GT(all[i].version, all[i - 1].version) << all[i].name;
    }
  }
}

TEST(AllMigrationsTest, ApplyToAFreshSqliteStoreAndAgain) {
  store::testing::TempDir dir;
  auto s = store::OpenStore("sqlite:" + dir.Join("failsafe.db"));
  ASSERT_TRUE(s) << s.error().ToString();
  std::vector<store::Migration> all = AllMigrations();
  ASSERT_TRUE(store::Migrate(**s, all).ok());
  ASSERT_TRUE(store::Migrate(**s, all).ok());  // nothing left to do
  auto version = store::SchemaVersion(**s);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, all.back().version);

  // A binary that knows fewer migrations refuses the newer store and changes nothing.
  std::vector<store::Migration> older(all.begin(), all.end() - 1);
  if (!older.empty()) {
    Status refused = store::Migrate(**s, older);
    EXPECT_EQ(refused.code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE(refused.message().find("upgrade"), std::string::npos) << refused.message();
  }
}

}  // namespace
}  // namespace failsafe::app
