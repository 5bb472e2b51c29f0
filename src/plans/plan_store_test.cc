// The version lifecycle and the public calls of plan.h, on SQLite and PostgreSQL.
#include "plans/plan_store.h"

#include <gtest/gtest.h>

#include "plans/plan_yaml.h"
#include "plans/plans_module.h"
#include "store/migrations.h"
#include "store/testing/migrated_store.h"
#include "store/tx_result.h"

namespace failsafe::plans {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

const char kPlan[] = R"(key: k1
title: {en: Plan one, zh-CN: 预案一}
review: {interval_days: 30}
steps:
  - {key: s1, phase: report, role: commander, title: Report}
templates:
  - stage: investigating
    audience: internal
    en: {title: "T {{incident.title}}", body: "B {{eta}}"}
    zh-CN: {title: "标题 {{incident.title}}", body: "正文 {{eta}}"}
fallback: {tool: {en: Excel, zh-CN: Excel 表}, location: share/x.xlsx}
)";

class PlanStoreTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::MigratedStore>(GetParam(), "plans", Migrations());
    if (!db_->status().ok() && GetParam() == store::Engine::kPostgres) {
      GTEST_SKIP() << db_->status().ToString();
    }
    ASSERT_TRUE(db_->status().ok()) << db_->status().ToString();
    store_ = &db_->store();
  }

  PlanVersion Import(const std::string& text, int64_t now = kNow) {
    auto content = ParsePlanYaml(text, "t.yaml");
    EXPECT_TRUE(content) << content.error().message();
    auto v = store::WriteResult<PlanVersion>(
        *store_, [&](store::Tx& tx) { return InsertDraft(tx, *content, now, "alice"); });
    EXPECT_TRUE(v) << v.error().message();
    return *v;
  }

  template <typename Fn>
  Result<PlanVersion> Write(Fn&& fn) {
    return store::WriteResult<PlanVersion>(*store_, std::forward<Fn>(fn));
  }

  std::unique_ptr<store::testing::MigratedStore> db_;
  store::Store* store_ = nullptr;
};

TEST_P(PlanStoreTest, ImportCreatesNumberedDrafts) {
  PlanVersion v1 = Import(kPlan);
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.status, "draft");
  PlanVersion v2 = Import(kPlan);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.plan_id, v1.plan_id);
  auto versions = store::ReadResult<std::vector<PlanVersion>>(
      *store_, [&](store::Tx& tx) { return ListVersions(tx, "k1"); });
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].created_by, "alice");
}

TEST_P(PlanStoreTest, LifecycleAndPublicCalls) {
  PlanVersion v1 = Import(kPlan);
  // Nothing approved yet: ApprovedVersion is nullopt; unknown keys are kNotFound.
  ASSERT_TRUE(store_
                  ->Read([&](store::Tx& tx) -> Status {
                    auto none = ApprovedVersion(tx, "k1");
                    EXPECT_TRUE(none && !*none);
                    auto missing = ApprovedVersion(tx, "nope");
                    EXPECT_FALSE(missing);
                    EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
                    return Status::Ok();
                  })
                  .ok());

  auto submitted =
      Write([&](store::Tx& tx) { return SubmitVersion(tx, "k1", std::nullopt, kNow + 1, "bob"); });
  ASSERT_TRUE(submitted) << submitted.error().message();
  EXPECT_EQ(submitted->status, "in_review");
  EXPECT_EQ(submitted->submitted_by, "bob");
  auto again =
      Write([&](store::Tx& tx) { return SubmitVersion(tx, "k1", std::nullopt, kNow + 1, "bob"); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);

  int retired = -1;
  auto approved = Write([&](store::Tx& tx) {
    return ApproveVersion(tx, "k1", std::nullopt, kNow + 2, "root", &retired);
  });
  ASSERT_TRUE(approved) << approved.error().message();
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(approved->approved_by, "root");
  EXPECT_EQ(approved->next_review_at, kNow + 2 + 30 * kDayMs);
  EXPECT_EQ(retired, 0);

  // A second version approved straight from draft retires the first.
  PlanVersion v2 = Import(kPlan);
  approved = Write([&](store::Tx& tx) {
    return ApproveVersion(tx, "k1", std::nullopt, kNow + 3, "root", &retired);
  });
  ASSERT_TRUE(approved) << approved.error().message();
  EXPECT_EQ(approved->version, 2);
  EXPECT_EQ(retired, 1);

  ASSERT_TRUE(store_
                  ->Read([&](store::Tx& tx) -> Status {
                    auto a = ApprovedVersion(tx, "k1");
                    EXPECT_TRUE(a && *a);
                    EXPECT_EQ((*a)->id, v2.id);
                    EXPECT_EQ((*a)->steps.size(), 1u);
                    // The old version is still loadable by id, as a running incident needs.
                    auto old = LoadVersion(tx, v1.id);
                    EXPECT_TRUE(old);
                    EXPECT_EQ(old->status, "retired");
                    const PlanTemplate* t =
                        FindTemplate(*old, "investigating", "internal", "zh-CN");
                    EXPECT_TRUE(t != nullptr && t->body == "正文 {{eta}}");
                    auto vars = PlanTemplateVars(*old, "zh-CN");
                    EXPECT_EQ(vars["plan.title"], "预案一");
                    EXPECT_EQ(vars["fallback.tool"], "Excel 表");
                    EXPECT_EQ(vars["plan.version"], "1");
                    EXPECT_FALSE(LoadVersion(tx, 999999));
                    return Status::Ok();
                  })
                  .ok());

  // Retired versions cannot be approved again.
  auto reapprove =
      Write([&](store::Tx& tx) { return ApproveVersion(tx, "k1", 1, kNow + 4, "root", nullptr); });
  ASSERT_FALSE(reapprove);
  EXPECT_EQ(reapprove.error().code(), ErrorCode::kConflict);

  // Retire defaults to the approved version; then nothing is approved.
  auto retired_v =
      Write([&](store::Tx& tx) { return RetireVersion(tx, "k1", std::nullopt, kNow + 5, "root"); });
  ASSERT_TRUE(retired_v) << retired_v.error().message();
  EXPECT_EQ(retired_v->version, 2);
  ASSERT_TRUE(store_
                  ->Read([&](store::Tx& tx) -> Status {
                    auto a = ApprovedVersion(tx, "k1");
                    EXPECT_TRUE(a && !*a);
                    return Status::Ok();
                  })
                  .ok());
  auto missing_version =
      Write([&](store::Tx& tx) { return SubmitVersion(tx, "k1", 7, kNow, "bob"); });
  ASSERT_FALSE(missing_version);
  EXPECT_EQ(missing_version.error().code(), ErrorCode::kNotFound);
}

TEST_P(PlanStoreTest, OverdueReviewsAreListed) {
  Import(kPlan);
  std::string other = kPlan;
  other.replace(other.find("key: k1"), 7, "key: k2");
  Import(other);
  for (const char* key : {"k1", "k2"}) {
    ASSERT_TRUE(Write([&](store::Tx& tx) {
      return ApproveVersion(tx, key, std::nullopt, kNow, "root", nullptr);
    }));
  }
  Import(kPlan);  // a newer draft of k1 does not change its review date
  auto list = [&](int64_t now, bool overdue) {
    auto r = store::ReadResult<std::vector<PlanSummary>>(
        *store_, [&](store::Tx& tx) { return ListPlans(tx, std::nullopt, 50, now, overdue); });
    EXPECT_TRUE(r) << r.error().message();
    return *r;
  };
  EXPECT_EQ(list(kNow, false).size(), 2u);
  EXPECT_TRUE(list(kNow + 29 * kDayMs, true).empty());
  auto overdue = list(kNow + 31 * kDayMs, true);
  ASSERT_EQ(overdue.size(), 2u);
  EXPECT_EQ(overdue[0].key, "k1");
  EXPECT_EQ(overdue[0].latest_version, 2);
  EXPECT_EQ(overdue[0].latest_status, "draft");
  EXPECT_EQ(overdue[0].approved_version, 1);
  EXPECT_TRUE(overdue[0].review_overdue);

  // The review of k1 found it still right: only k2 stays overdue, k1's next review is a full
  // interval (30 days in kPlan) after the review. The draft v2 cannot be "reviewed".
  const int64_t reviewed_at = kNow + 31 * kDayMs;
  auto marked = store::WriteResult<PlanVersion>(
      *store_, [&](store::Tx& tx) { return MarkReviewed(tx, "k1", std::nullopt, reviewed_at); });
  ASSERT_TRUE(marked) << marked.error().message();
  EXPECT_EQ(marked->version, 1);
  EXPECT_EQ(marked->next_review_at, reviewed_at + 30 * kDayMs);
  auto still = list(reviewed_at, true);
  ASSERT_EQ(still.size(), 1u);
  EXPECT_EQ(still[0].key, "k2");
  auto draft = store::WriteResult<PlanVersion>(
      *store_, [&](store::Tx& tx) { return MarkReviewed(tx, "k1", 2, reviewed_at); });
  ASSERT_FALSE(draft);
  EXPECT_EQ(draft.error().code(), ErrorCode::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Engines, PlanStoreTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         [](const auto& param_info) {
                           return std::string(store::EngineName(param_info.param));
                         });

}  // namespace
}  // namespace failsafe::plans
