#include "auth/audit_log.h"

#include <gtest/gtest.h>

#include "auth/auth_module.h"
#include "auth/test_store.h"

namespace failsafe::auth {
namespace {

const std::string kKey(32, 'a');

class AuditLogTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  AuditLogTest() : db_(GetParam()), log_(kKey, clock_) {}

  void SetUp() override {
    if (!db_.status().ok()) GTEST_SKIP() << db_.status().ToString();
    ASSERT_TRUE(log_.InitHead(db_.store()).ok());
  }

  void AppendN(int n) {
    for (int i = 0; i < n; ++i) {
      AuditEntry e;
      e.actor_user_id = 1;
      e.actor = "admin";
      e.action = "user.create";
      e.target_type = "user";
      e.target_id = std::to_string(i + 2);
      e.detail = {{"username", "user" + std::to_string(i)}, {"role", "viewer"}};
      e.remote_addr = "127.0.0.1";
      ASSERT_TRUE(db_.store().Write([&](store::Tx& tx) { return log_.Append(tx, e); }).ok());
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  void Exec(const std::string& sql) {
    Status st = db_.store().Write(
        [&](store::Tx& tx) { return tx.Exec(sql) ? Status::Ok() : Internal("exec failed"); });
    ASSERT_TRUE(st.ok()) << sql;
  }

  AuditVerifyReport Verify(const std::string& key = kKey) {
    auto r = VerifyAuditChain(db_.store(), key);
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : AuditVerifyReport{};
  }

  testing::TestStore db_;
  FakeClock clock_;
  AuditLog log_;
};

TEST_P(AuditLogTest, EmptyAndCleanChainsVerify) {
  auto empty = Verify();
  EXPECT_TRUE(empty.ok) << empty.reason;
  EXPECT_EQ(empty.entries_checked, 0);
  AppendN(5);
  auto clean = Verify();
  EXPECT_TRUE(clean.ok) << clean.reason;
  EXPECT_EQ(clean.entries_checked, 5);
}

TEST_P(AuditLogTest, EntriesAreChainedInOrder) {
  AppendN(3);
  std::vector<AuditRecord> records;
  ASSERT_TRUE(db_.store()
                  .Read([&](store::Tx& tx) -> Status {
                    auto r = ReadAuditRecords(tx, 0, 100);
                    if (!r) return r.error();
                    records = *r;
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].seq, 1);
  EXPECT_EQ(records[0].prev_hash, "");
  EXPECT_EQ(records[1].prev_hash, records[0].hash);
  EXPECT_EQ(records[2].prev_hash, records[1].hash);
  EXPECT_EQ(records[2].detail, R"({"username":"user2","role":"viewer"})");
}

TEST_P(AuditLogTest, AlteredFieldIsNamed) {
  AppendN(5);
  Exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  ASSERT_TRUE(r.first_bad_seq);
  EXPECT_EQ(*r.first_bad_seq, 3);
  EXPECT_EQ(r.entries_checked, 2);
  EXPECT_NE(r.reason.find("altered"), std::string::npos) << r.reason;
}

TEST_P(AuditLogTest, AlteredDetailIsNamed) {
  AppendN(4);
  Exec(R"(UPDATE audit_log SET detail = '{"username":"user1","role":"admin"}' WHERE seq = 2)");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq.value_or(0), 2);
}

TEST_P(AuditLogTest, DeletedMiddleRowIsNamed) {
  AppendN(5);
  Exec("DELETE FROM audit_log WHERE seq = 3");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq.value_or(0), 4);
  EXPECT_NE(r.reason.find("entry 3 was removed"), std::string::npos) << r.reason;
}

TEST_P(AuditLogTest, RenumberedRowsAreDetected) {
  AppendN(5);
  Exec("DELETE FROM audit_log WHERE seq = 3");
  Exec("UPDATE audit_log SET seq = seq - 1 WHERE seq > 3");
  Exec("UPDATE audit_head SET seq = 4");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq.value_or(0), 3);
}

TEST_P(AuditLogTest, DeletedLastRowIsDetected) {
  AppendN(5);
  Exec("DELETE FROM audit_log WHERE seq = 5");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.entries_checked, 4);
  EXPECT_NE(r.reason.find("truncated"), std::string::npos) << r.reason;
}

TEST_P(AuditLogTest, RewoundHeadWithoutKeyIsDetected) {
  AppendN(5);
  std::string hash4;
  ASSERT_TRUE(db_.store()
                  .Read([&](store::Tx& tx) -> Status {
                    auto row = tx.QueryOne("SELECT hash FROM audit_log WHERE seq = 4");
                    if (!row || !*row) return Internal("no row");
                    hash4 = (*row)->Text(0);
                    return Status::Ok();
                  })
                  .ok());
  Exec("DELETE FROM audit_log WHERE seq = 5");
  Exec("UPDATE audit_head SET seq = 4, hash = '" + hash4 + "'");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("head"), std::string::npos) << r.reason;
}

TEST_P(AuditLogTest, WrongKeyFailsVerification) {
  AppendN(2);
  auto r = Verify(std::string(32, 'b'));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq.value_or(0), 1);
}

TEST_P(AuditLogTest, AppendRollsBackWithTheCallersTransaction) {
  AppendN(2);
  AuditEntry e;
  e.actor = "system";
  e.action = "user.create";
  Status st = db_.store().Write([&](store::Tx& tx) -> Status {
    FS_RETURN_STATUS_IF_ERROR(log_.Append(tx, e));
    return Conflict("the change failed");
  });
  EXPECT_EQ(st.code(), ErrorCode::kConflict);
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.entries_checked, 2);
}

TEST_P(AuditLogTest, QueryFiltersNewestFirst) {
  AppendN(3);
  AuditEntry e;
  e.actor = "system";
  e.action = "auth.login";
  ASSERT_TRUE(db_.store().Write([&](store::Tx& tx) { return log_.Append(tx, e); }).ok());
  ASSERT_TRUE(db_.store()
                  .Read([&](store::Tx& tx) -> Status {
                    AuditQuery q;
                    q.action = "user.create";
                    q.limit = 2;
                    auto page = QueryAudit(tx, q);
                    EXPECT_TRUE(page);
                    EXPECT_EQ(page->size(), 2u);
                    EXPECT_EQ((*page)[0].seq, 3);
                    q.before_seq = (*page)[1].seq;
                    auto next = QueryAudit(tx, q);
                    EXPECT_EQ(next->size(), 1u);
                    EXPECT_EQ((*next)[0].seq, 1);
                    AuditQuery by_actor;
                    by_actor.actor = "system";
                    EXPECT_EQ(QueryAudit(tx, by_actor)->size(), 1u);
                    return Status::Ok();
                  })
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditLogTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         testing::EngineTestName);

}  // namespace
}  // namespace failsafe::auth
