#include "store/migrations.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/engine_fixture.h"

namespace failsafe::store {
namespace {

const std::vector<Migration> kMigrations = {
    {1, "create_teams",
     "CREATE TABLE teams (id {{id}}, name TEXT NOT NULL UNIQUE, created_at {{int}} NOT NULL);\n"
     "CREATE INDEX teams_created ON teams (created_at);\n"},
    {2, "create_people",
     "CREATE TABLE people (id {{id}}, team_id {{int}} REFERENCES teams(id), "
     "photo {{blob}}, weight {{real}})"},
    {3, "seed_team", "INSERT INTO teams (name, created_at) VALUES ('ops', 0)"},
};

class MigrationsTest : public EngineTest {};

Result<int64_t> CountRows(Store& store, const std::string& table) {
  int64_t n = -1;
  Status s = store.Read([&](Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
    n = row->Int(0);
    return Status::Ok();
  });
  if (!s.ok()) return Err(s);
  return n;
}

TEST_P(MigrationsTest, AppliesInOrderAndIsIdempotent) {
  auto store = OpenNew();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(SchemaVersion(*store).value_or(-1), 0);
  ASSERT_OK(Migrate(*store, kMigrations));
  EXPECT_EQ(SchemaVersion(*store).value_or(-1), 3);
  ASSERT_OK(Migrate(*store, kMigrations));  // nothing pending: no change
  EXPECT_EQ(CountRows(*store, "teams").value_or(-1), 1) << "seed ran exactly once";
  EXPECT_EQ(CountRows(*store, "schema_migrations").value_or(-1), 3);
  ASSERT_OK(store->Read([](Tx& tx) -> Status {
    auto rows = tx.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1");
    EXPECT_TRUE(rows);
    EXPECT_EQ((*rows)[1].Text(1), "create_people");
    EXPECT_GT((*rows)[1].Int(2), 1'600'000'000'000);
    return Status::Ok();
  }));
  // The expanded {{id}} column generates ids, readable through RETURNING on both engines.
  ASSERT_OK(store->Write([](Tx& tx) -> Status {
    auto id = tx.Insert("INSERT INTO people (team_id, photo, weight) VALUES (?, ?, ?) RETURNING id",
                        {int64_t{1}, Blob{std::string("\0\1", 2)}, 70.5});
    EXPECT_TRUE(id) << id.error().ToString();
    return Status::Ok();
  }));
}

TEST_P(MigrationsTest, AppliesOnlyWhatIsNew) {
  auto store = OpenNew();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(Migrate(*store, std::span(kMigrations).first(1)));
  EXPECT_EQ(SchemaVersion(*store).value_or(-1), 1);
  ASSERT_OK(Migrate(*store, kMigrations));
  EXPECT_EQ(SchemaVersion(*store).value_or(-1), 3);
}

TEST_P(MigrationsTest, RefusesAStoreNewerThanTheBinary) {
  auto store = OpenNew();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(Migrate(*store, kMigrations));
  Status s = Migrate(*store, std::span(kMigrations).first(2));
  EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "store schema is at version 3, this binary knows up to 2: upgrade failsafe");
  EXPECT_EQ(SchemaVersion(*store).value_or(-1), 3);
}

TEST_P(MigrationsTest, RefusesAMigrationInsertedBelowTheStoreVersion) {
  auto store = OpenNew();
  ASSERT_NE(store, nullptr);
  std::vector<Migration> old = {kMigrations[0], {5, "later", "CREATE TABLE later (x {{int}})"}};
  ASSERT_OK(Migrate(*store, old));
  std::vector<Migration> inserted = {
      old[0], {3, "sneaky", "CREATE TABLE sneaky (x {{int}})"}, old[1]};
  Status s = Migrate(*store, inserted);
  EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("3 (sneaky)"), std::string::npos) << s.message();
}

TEST_P(MigrationsTest, FailingMigrationLeavesThePreviousVersion) {
  auto store = OpenNew();
  ASSERT_NE(store, nullptr);
  std::vector<Migration> list = {
      kMigrations[0],
      {2, "half_done",
       "CREATE TABLE half (x {{int}});\n"
       "INSERT INTO half (x) VALUES (1);\n"
       "INSERT INTO no_such_table (x) VALUES (1);\n"},
  };
  Status s = Migrate(*store, list);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("migration 2 (half_done)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("no_such_table"), std::string::npos) << s.message();
  EXPECT_EQ(SchemaVersion(*store).value_or(-1), 1);
  auto half = CountRows(*store, "half");
  EXPECT_FALSE(half) << "the failed migration's table must not exist";
}

TEST_P(MigrationsTest, RejectsBadMigrationLists) {
  auto store = OpenNew();
  ASSERT_NE(store, nullptr);
  std::vector<Migration> unordered = {{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}};
  EXPECT_EQ(Migrate(*store, unordered).code(), ErrorCode::kInvalidArgument);
  std::vector<Migration> zero = {{0, "zero", "SELECT 1"}};
  EXPECT_EQ(Migrate(*store, zero).code(), ErrorCode::kInvalidArgument);
  std::vector<Migration> token = {{1, "typo", "CREATE TABLE t (x {{bigint}})"}};
  Status s = Migrate(*store, token);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("{{bigint}}"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("migration 1 (typo)"), std::string::npos) << s.message();
  EXPECT_EQ(SchemaVersion(*store).value_or(-1), 0);
}

TEST_P(MigrationsTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  std::string url = NewUrl();
  ASSERT_FALSE(url.empty());
  // Separate stores stand for separate processes: they share nothing but the database.
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 3; ++i) {
    stores.push_back(OpenUrl(url));
    ASSERT_NE(stores.back(), nullptr);
  }
  std::vector<std::thread> threads;
  std::vector<Status> results(stores.size());
  for (size_t i = 0; i < stores.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = Migrate(*stores[i], kMigrations); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(CountRows(*stores[0], "teams").value_or(-1), 1);
  EXPECT_EQ(CountRows(*stores[0], "schema_migrations").value_or(-1), 3);
}

FAILSAFE_INSTANTIATE_ENGINES(MigrationsTest);

TEST(ExpandDialectTest, ReplacesTokensPerEngine) {
  const char* sql = "CREATE TABLE t (id {{id}}, n {{int}}, b {{blob}}, r {{real}}, s TEXT)";
  EXPECT_EQ(ExpandDialect(sql, Engine::kSqlite),
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, b BLOB, r REAL, "
            "s TEXT)");
  EXPECT_EQ(ExpandDialect(sql, Engine::kPostgres),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT, "
            "b BYTEA, r DOUBLE PRECISION, s TEXT)");
  EXPECT_EQ(ExpandDialect("{{int}}{{int}}", Engine::kPostgres), "BIGINTBIGINT");
  EXPECT_EQ(ExpandDialect("{{other}} {", Engine::kSqlite), "{{other}} {");
}

}  // namespace
}  // namespace failsafe::store
