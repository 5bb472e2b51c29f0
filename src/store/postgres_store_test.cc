// PostgreSQL specifics: connection failures, password hygiene, broken pooled connections,
// result type decoding.
#include <gtest/gtest.h>

#include "store/engine_fixture.h"
#include "store/testing/pg_test_server.h"

namespace failsafe::store {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::PgTestServer::Shared();
    ASSERT_TRUE(server) << "the PostgreSQL test server must start: " << server.error().ToString();
    server_ = *server;
    auto url = server_->CreateUniqueDatabase("pg");
    ASSERT_TRUE(url) << url.error().ToString();
    url_ = *url;
  }
  testing::PgTestServer* server_ = nullptr;
  std::string url_;
};

TEST_F(PostgresStoreTest, UnreachableServerIsUnavailableWithoutThePassword) {
  auto store = OpenStore("postgresql://failsafe:s3cretpw@127.0.0.1:1/failsafe");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::kUnavailable) << store.error().ToString();
  EXPECT_EQ(store.error().message().find("s3cretpw"), std::string::npos) << store.error().message();
  EXPECT_NE(store.error().message().find("postgresql://failsafe@127.0.0.1:1/failsafe"),
            std::string::npos)
      << store.error().message();
}

TEST_F(PostgresStoreTest, MalformedUrlIsInvalidWithoutThePassword) {
  auto store = OpenStore("postgresql://u:s3cret%zz@127.0.0.1:1/db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::kInvalidArgument) << store.error().ToString();
  EXPECT_EQ(store.error().message().find("s3cret"), std::string::npos) << store.error().message();
}

TEST_F(PostgresStoreTest, UnknownDatabaseIsUnavailable) {
  auto store = OpenStore(server_->UrlFor("no_such_db"));
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message().find("no_such_db"), std::string::npos);
}

TEST_F(PostgresStoreTest, DescribeHidesThePassword) {
  auto store = OpenStore(url_ + "?password=hunter2");  // trust auth ignores it
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_EQ((*store)->Describe().find("hunter2"), std::string::npos) << (*store)->Describe();
}

Status KillOtherBackends(const std::string& url) {
  auto admin = OpenStore(url);
  if (!admin) return admin.error();
  return (*admin)->Write([](Tx& tx) {
    return StatusOf(
        tx.Query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                 "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
  });
}

TEST_F(PostgresStoreTest, BrokenIdleConnectionIsReplaced) {
  StoreOptions options;
  options.pool_size = 1;
  auto store = OpenStore(url_, options);
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_OK((*store)->Ping());
  ASSERT_OK(KillOtherBackends(url_));
  ASSERT_OK((*store)->Ping());  // the dead pooled connection is dropped, a new one opened
}

TEST_F(PostgresStoreTest, ConnectionLostMidTransactionIsUnavailableThenRecovers) {
  StoreOptions options;
  options.pool_size = 1;
  auto store = OpenStore(url_, options);
  ASSERT_TRUE(store);
  Status s = (*store)->Read([&](Tx& tx) -> Status {
    EXPECT_TRUE(KillOtherBackends(url_).ok());
    return StatusOf(tx.Query("SELECT 1"));
  });
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.ToString();
  ASSERT_OK((*store)->Ping()) << "the broken connection must not go back to the pool";
}

TEST_F(PostgresStoreTest, DecodesServerTypes) {
  auto store = OpenStore(url_);
  ASSERT_TRUE(store);
  ASSERT_OK((*store)->Read([](Tx& tx) -> Status {
    auto row = tx.QueryOne(
        "SELECT true, false, 7::smallint, 8::int, 12345678901::numeric, 2.5::numeric, "
        "1.25::real, '\\x00ff'::bytea, 'txt'::varchar, SUM(x) FROM (VALUES (1::bigint), "
        "(2::bigint)) AS v(x)");
    EXPECT_TRUE(row && row->has_value()) << (row ? "" : row.error().ToString());
    const Row& r = **row;
    EXPECT_EQ(r.Int(0), 1);
    EXPECT_EQ(r.Int(1), 0);
    EXPECT_EQ(r.Int(2), 7);
    EXPECT_EQ(r.Int(3), 8);
    EXPECT_EQ(r.Int(4), 12345678901);
    EXPECT_DOUBLE_EQ(r.Real(5), 2.5);
    EXPECT_DOUBLE_EQ(r.Real(6), 1.25);
    EXPECT_EQ(r.Bytes(7), std::string("\0\xff", 2));
    EXPECT_EQ(r.Text(8), "txt");
    EXPECT_EQ(r.Int(9), 3) << "SUM(bigint) is numeric in PostgreSQL";
    return Status::Ok();
  }));
}

TEST_F(PostgresStoreTest, SameSqlWithDifferentParameterTypesWorks) {
  auto store = OpenStore(url_);
  ASSERT_TRUE(store);
  ASSERT_OK((*store)->Read([](Tx& tx) -> Status {
    // One SQL text, prepared once per parameter-type combination: a NULL takes its type from
    // the context, an int64 is sent as BIGINT, text is inferred by the server.
    auto a = tx.QueryOne("SELECT COALESCE(?, 5)", {nullptr});
    auto b = tx.QueryOne("SELECT COALESCE(?, 5)", {int64_t{1} << 40});
    auto c = tx.QueryOne("SELECT COALESCE(?, 5)", {"7"});
    EXPECT_TRUE(a && b && c);
    if (!a || !b || !c) return Status::Ok();
    EXPECT_EQ((*a)->Int(0), 5);
    EXPECT_EQ((*b)->Int(0), int64_t{1} << 40);
    EXPECT_EQ((*c)->Int(0), 7);
    return Status::Ok();
  }));
}

}  // namespace
}  // namespace failsafe::store
