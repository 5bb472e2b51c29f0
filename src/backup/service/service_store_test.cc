// Policy, run and drill storage on both engines: secrets sealed at rest and kept across an
// apply that omits them, history queries the status page uses.
#include <gtest/gtest.h>

#include "auth/test_store.h"
#include "backup/service/policy_store.h"
#include "backup/service/status.h"
#include "backup/service/test_support.h"
#include "store/tx_result.h"

namespace failsafe::backup::service {
namespace {

using testing::Schema;
using testing::TestBox;

constexpr const char* kPolicy = R"(name: erp-files
service: erp
schedule: "0 * * * *"
sources: [{kind: paths, paths: [/srv/erp]}]
retention: {keep_last: 3}
destinations:
  - {url: /backup/a, media: disk, password: pw-a}
  - {url: /backup/b, media: nas, offsite: true, password: pw-b}
)";

class ServiceStoreTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::MigratedStore>(GetParam(), "backupsvc", Schema());
    if (!db_->status().ok() && GetParam() == store::Engine::kPostgres) {
      GTEST_SKIP() << db_->status().ToString();
    }
    ASSERT_TRUE(db_->status().ok()) << db_->status().ToString();
  }
  store::Store& store() { return db_->store(); }

  Policy Apply(const std::string& text, int64_t now) {
    auto p = ParsePolicy(text);
    EXPECT_TRUE(p) << p.error().ToString();
    auto r = store::WriteResult<std::pair<Policy, bool>>(
        store(), [&](store::Tx& tx) { return UpsertPolicy(tx, box_, *p, now); });
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? r->first : Policy{};
  }

  std::unique_ptr<store::testing::MigratedStore> db_;
  auth::SecretBox box_ = TestBox();
};

TEST_P(ServiceStoreTest, SecretsAreSealedAndSurviveAnApplyWithoutThem) {
  Policy p = Apply(kPolicy, 1000);
  ASSERT_GT(p.id, 0);
  // Nothing secret in the clear in the row.
  auto row = store::ReadResult<std::string>(store(), [&](store::Tx& tx) -> Result<std::string> {
    FS_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT spec || secrets_sealed FROM backup_policies"));
    return r->Text(0);
  });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->find("pw-a"), std::string::npos);
  EXPECT_EQ(row->find("pw-b"), std::string::npos);

  std::string without = kPolicy;
  without.replace(without.find(", password: pw-a"), 16, "");
  Policy again = Apply(without, 2000);
  EXPECT_EQ(again.id, p.id);
  auto found = store::ReadResult<std::optional<Policy>>(
      store(), [&](store::Tx& tx) { return FindPolicy(tx, box_, "erp-files"); });
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->destinations[0].secrets.password, "pw-a");
  EXPECT_EQ((*found)->destinations[1].secrets.password, "pw-b");
  EXPECT_EQ((*found)->created_at, 1000);
  EXPECT_EQ((*found)->updated_at, 2000);

  // Another key cannot open them: a clear error, not garbage.
  auto other = *auth::SecretBox::Create(std::string(32, 'x'));
  auto wrong = store::ReadResult<std::optional<Policy>>(
      store(), [&](store::Tx& tx) { return FindPolicy(tx, other, "erp-files"); });
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), ErrorCode::kDataLoss);
}

TEST_P(ServiceStoreTest, RunsDrillsAndServiceStatus) {
  ASSERT_TRUE(testing::AddService(store(), "erp", "critical", 4 * 3600'000, 3600'000).ok());
  Policy p = Apply(kPolicy, 1000);
  const int64_t t0 = 1'700'000'000'000;
  ASSERT_TRUE(store()
                  .Write([&](store::Tx& tx) -> Status {
                    RunRecord r;
                    r.policy_id = p.id;
                    r.policy_name = p.name;
                    r.service_key = "erp";
                    r.destination = "/backup/a";
                    r.started_at = t0;
                    r.status = kRunOk;
                    r.snapshot_id = "aa";
                    FS_RETURN_STATUS_IF_ERROR(StatusOf(InsertRun(tx, r)));
                    r.destination = "/backup/b";
                    r.started_at = t0 + 10;
                    r.status = kRunFailed;
                    r.snapshot_id = "";
                    FS_RETURN_STATUS_IF_ERROR(StatusOf(InsertRun(tx, r)));
                    DrillRecord d;
                    d.policy_id = p.id;
                    d.policy_name = p.name;
                    d.service_key = "erp";
                    d.destination = "/backup/a";
                    d.started_at = t0 + 20;
                    d.projected_ms = 60'000;
                    d.rto_ms = 4 * 3600'000;
                    d.margin_ms = d.rto_ms - d.projected_ms;
                    d.status = kDrillPass;
                    return StatusOf(InsertDrill(tx, d));
                  })
                  .ok());

  auto latest = store::ReadResult<std::vector<RunRecord>>(
      store(), [&](store::Tx& tx) { return LatestRunPerDestination(tx, p.id); });
  ASSERT_TRUE(latest);
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ((*latest)[1].status, kRunFailed);

  auto status = store::ReadResult<boost::json::array>(
      store(), [&](store::Tx& tx) { return ServiceStatuses(tx, box_, t0 + 30 * 60'000); });
  ASSERT_TRUE(status) << status.error().ToString();
  ASSERT_EQ(status->size(), 1u);
  const auto& s = (*status)[0].as_object();
  EXPECT_EQ(s.at("service").as_string(), "erp");
  EXPECT_EQ(s.at("backup_age_ms").as_int64(), 30 * 60'000);
  EXPECT_TRUE(s.at("rpo_met").as_bool());
  EXPECT_TRUE(s.at("rto_met").as_bool());
  const auto& t = s.at("three_two_one").as_object();
  EXPECT_EQ(t.at("copies").as_int64(), 1);  // the failed destination holds nothing recent
  EXPECT_EQ(t.at("offsite").as_int64(), 0);
  EXPECT_FALSE(t.at("ok").as_bool());

  // Two hours later the RPO of one hour is not met.
  auto late = store::ReadResult<boost::json::array>(
      store(), [&](store::Tx& tx) { return ServiceStatuses(tx, box_, t0 + 2 * 3600'000); });
  ASSERT_TRUE(late);
  EXPECT_FALSE((*late)[0].as_object().at("rpo_met").as_bool());
}

INSTANTIATE_TEST_SUITE_P(Engines, ServiceStoreTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         auth::testing::EngineTestName);

}  // namespace
}  // namespace failsafe::backup::service
