// The workflow and storage on real SQLite and PostgreSQL, with incidents created through the
// incidents module's storage API.
#include <gtest/gtest.h>

#include "base/json.h"
#include "postmortems/patch.h"
#include "postmortems/report.h"
#include "postmortems/review.h"
#include "postmortems/test_support.h"
#include "store/tx_result.h"

namespace failsafe::postmortems {
namespace {

using testing::kMinute;
using testing::MakeIncident;

constexpr int64_t kT0 = 1'780'000'000'000;  // 2026-05-28
constexpr int64_t kDay = 86'400'000;

class PostmortemStoreTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  PostmortemStoreTest() : db_(GetParam()) {}
  void SetUp() override {
    if (!db_.status().ok()) GTEST_SKIP() << db_.status().ToString();
  }

  Result<Postmortem> Create(const std::string& id_or_ref, int64_t now) {
    return store::WriteResult<Postmortem>(db_.store(), [&](store::Tx& tx) {
      return CreateFromIncident(tx, id_or_ref, "carol", now);
    });
  }

  PostmortemView View(int64_t id, int64_t now) {
    auto v = store::ReadResult<PostmortemView>(
        db_.store(), [&](store::Tx& tx) { return LoadView(tx, id, now); });
    EXPECT_TRUE(v) << v.error().ToString();
    return v ? *v : PostmortemView{};
  }

  int64_t Recovered(const std::string& title, const std::string& severity, int64_t at,
                    int64_t ack_min, int64_t recover_min, std::vector<std::string> services) {
    return MakeIncident(
        db_.store(), title, severity, std::move(services), at,
        {{incidents::kAcknowledged, ack_min}, {incidents::kRecovered, recover_min}});
  }

  testing::TestStore db_;
};

TEST_P(PostmortemStoreTest, CreatedFromARecoveredIncidentByRefOrNumber) {
  const int64_t id = Recovered("Jira unreachable", "P1", kT0, 4, 260, {"jira"});
  ASSERT_GT(id, 0);
  auto p = Create("INC-2026-0001", kT0 + 300 * kMinute);
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->status, kDraft);
  EXPECT_EQ(p->incident_ref, "INC-2026-0001");
  EXPECT_EQ(p->impacted_services, std::vector<std::string>{"jira"});
  // The timeline snapshot: declared + two status changes.
  EXPECT_GE(p->timeline.size(), 3u);

  PostmortemView v = View(p->id, kT0 + 300 * kMinute);
  EXPECT_EQ(v.incident.id, id);
  ASSERT_TRUE(v.severity);
  EXPECT_EQ(v.severity->ack_target_ms, 5 * kMinute);
  ASSERT_EQ(v.measures.size(), 5u);
  EXPECT_EQ(v.measures[0].result, kMet);     // acknowledged in 4 of 5 minutes
  EXPECT_EQ(v.measures[2].result, kMissed);  // recovered in 4h20m, target 4h
  EXPECT_EQ(*v.measures[2].delta_ms, 20 * kMinute);
  EXPECT_EQ(*ImpactDurationMs(v.incident), 260 * kMinute);

  // One per incident, whichever way it is named.
  auto again = Create(std::to_string(id), kT0 + 301 * kMinute);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);

  // The incident's timeline notes the postmortem.
  auto events = store::ReadResult<std::vector<incidents::TimelineEvent>>(
      db_.store(), [&](store::Tx& tx) { return incidents::LoadTimeline(tx, id); });
  ASSERT_TRUE(events);
  EXPECT_EQ(events->back().kind, "postmortem");
}

TEST_P(PostmortemStoreTest, RefusesOpenAndUnknownIncidents) {
  MakeIncident(db_.store(), "still burning", "P2", {"erp"}, kT0, {{incidents::kAcknowledged, 1}});
  auto open = Create("INC-2026-0001", kT0 + kDay);
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().code(), ErrorCode::kConflict);
  EXPECT_NE(open.error().message().find("acknowledged"), std::string::npos);
  auto missing = Create("INC-2026-0999", kT0 + kDay);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().field(), "incident");
}

TEST_P(PostmortemStoreTest, PatchRoundTripsAndRefreshPullsNewEvents) {
  const int64_t id = Recovered("Jira unreachable", "P1", kT0, 4, 260, {"jira"});
  auto p = Create("INC-2026-0001", kT0 + 300 * kMinute);
  ASSERT_TRUE(p);
  const size_t before = p->timeline.size();
  Status st = db_.store().Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(auto found, FindPostmortem(tx, p->id));
    auto body = json::ParseObject(R"({"summary":"云服务商网络故障","users_affected":"约 300 人",
      "root_causes":[{"category":"vendor","whys":["Jira 不可用","云网络中断","只有一个云"]}],
      "went_badly":["没有第二个云"],"extra_revisions":["每月演练"]})");
    FS_RETURN_STATUS_IF_ERROR(ApplyPatch(*found, *body, "carol", kT0 + 301 * kMinute));
    return UpdatePostmortem(tx, *found);
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_TRUE(db_.store()
                  .Write([&](store::Tx& tx) {
                    return incidents::AppendTimeline(tx, id, kT0 + 302 * kMinute, "bob", "note",
                                                     "vendor confirmed the fix");
                  })
                  .ok());
  st = db_.store().Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(auto found, FindPostmortem(tx, p->id));
    return RefreshTimeline(tx, *found, kT0 + 303 * kMinute);
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  PostmortemView v = View(p->id, kT0 + 303 * kMinute);
  EXPECT_EQ(v.postmortem.summary, "云服务商网络故障");
  EXPECT_EQ(v.postmortem.users_affected, "约 300 人");
  ASSERT_EQ(v.postmortem.root_causes.size(), 1u);
  EXPECT_EQ(v.postmortem.root_causes[0].whys[2], "只有一个云");
  // The "postmortem started" note (added after the snapshot) and the new note.
  EXPECT_EQ(v.postmortem.timeline.size(), before + 2);
  EXPECT_EQ(v.postmortem.timeline.back().text, "vendor confirmed the fix");
  EXPECT_EQ(v.postmortem.timeline_refreshed_at, kT0 + 303 * kMinute);
  ASSERT_EQ(v.revisions.size(), 1u);
  EXPECT_EQ(v.revisions[0].text, "每月演练");
}

TEST_P(PostmortemStoreTest, ActionsTrackedAndOverdueListed) {
  Recovered("Jira unreachable", "P1", kT0, 4, 260, {"jira"});
  auto p = Create("INC-2026-0001", kT0 + 300 * kMinute);
  ASSERT_TRUE(p);
  auto add = [&](const std::string& title, const std::string& due, std::string_view status) {
    ActionItem a;
    a.postmortem_id = p->id;
    a.title = title;
    a.owner = "bob";
    a.due_date = due;
    a.status = std::string(status);
    a.created_by = "carol";
    auto id = store::WriteResult<int64_t>(db_.store(),
                                          [&](store::Tx& tx) { return InsertAction(tx, a); });
    EXPECT_TRUE(id);
    return id ? *id : 0;
  };
  const int64_t late = add("Second cloud", "2026-05-01", kActionOpen);
  add("Monthly drill", "2026-12-01", kActionOpen);
  add("Done already", "2026-04-01", kActionDone);
  const int64_t in_progress = add("Runbook", "2026-05-20", kActionInProgress);

  ActionQuery q;
  q.overdue_on = "2026-05-28";
  auto overdue = store::ReadResult<std::vector<ActionItem>>(
      db_.store(), [&](store::Tx& tx) { return ListActions(tx, q); });
  ASSERT_TRUE(overdue);
  ASSERT_EQ(overdue->size(), 2u);
  EXPECT_EQ((*overdue)[0].id, late);
  EXPECT_EQ((*overdue)[0].incident_ref, "INC-2026-0001");
  EXPECT_EQ((*overdue)[1].id, in_progress);

  // Done: no longer overdue.
  ASSERT_TRUE(db_.store()
                  .Write([&](store::Tx& tx) -> Status {
                    FS_ASSIGN_OR_RETURN_STATUS(auto a, FindAction(tx, p->id, late));
                    a->status = std::string(kActionDone);
                    a->done_at = kT0;
                    return UpdateAction(tx, *a);
                  })
                  .ok());
  overdue = store::ReadResult<std::vector<ActionItem>>(
      db_.store(), [&](store::Tx& tx) { return ListActions(tx, q); });
  ASSERT_TRUE(overdue);
  EXPECT_EQ(overdue->size(), 1u);
  // An action of another postmortem is not found through this one.
  auto other = store::ReadResult<std::optional<ActionItem>>(
      db_.store(), [&](store::Tx& tx) { return FindAction(tx, p->id + 1, late); });
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
}

TEST_P(PostmortemStoreTest, ReportOverAPeriod) {
  // In May 2026: a P1 on jira met ack (4m) and missed resolve (260m > 240m); a P2 on jira+erp
  // missed ack (20m > 15m) and met resolve; a P3 still open. One in April is outside.
  const int64_t may1 = *DayStartMillis("2026-05-01");
  Recovered("Jira unreachable", "P1", may1 + kDay, 4, 260, {"jira"});
  Recovered("ERP slow", "P2", may1 + 2 * kDay, 20, 60, {"erp", "jira"});
  MakeIncident(db_.store(), "Typo", "P3", {"erp"}, may1 + 3 * kDay, {});
  Recovered("April", "P1", may1 - 5 * kDay, 1, 10, {"jira"});
  ASSERT_TRUE(Create("INC-2026-0001", may1 + 10 * kDay));

  auto period = ParsePeriod(std::string("2026-05-01"), std::string("2026-05-31"), 0);
  ASSERT_TRUE(period);
  auto r = store::ReadResult<Report>(db_.store(), [&](store::Tx& tx) {
    return BuildReport(tx, *period, may1 + 3 * kDay + 30 * kMinute);
  });
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->total, 3);
  ASSERT_GE(r->by_severity.size(), 4u);
  EXPECT_EQ(r->by_severity[0].level, "P1");
  EXPECT_EQ(r->by_severity[0].count, 1);
  EXPECT_EQ(r->by_severity[1].count, 1);
  EXPECT_EQ(r->by_severity[2].count, 1);
  EXPECT_EQ(r->by_severity[3].count, 0);
  EXPECT_EQ(r->by_service.at("jira"), 2);
  EXPECT_EQ(r->by_service.at("erp"), 2);
  EXPECT_EQ(*r->mtta_ms, 12 * kMinute);   // (4 + 20) / 2
  EXPECT_EQ(*r->mttr_ms, 160 * kMinute);  // (260 + 60) / 2
  // Ack: P1 met, P2 missed, P3 (30 min unacknowledged, target 60) pending.
  EXPECT_EQ(r->ack.met, 1);
  EXPECT_EQ(r->ack.missed, 1);
  EXPECT_DOUBLE_EQ(*r->ack.share(), 0.5);
  EXPECT_EQ(r->resolve.met, 1);
  EXPECT_EQ(r->resolve.missed, 1);
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].postmortem_status, "draft");

  const std::string csv = ReportCsv(*r, Lang::kZh);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF编号,标题,级别", 0), 0u);
  EXPECT_NE(csv.find("INC-2026-0002,ERP slow,P2,recovered,erp; jira,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\n"), std::string::npos);

  auto json = ReportJson(*r);
  EXPECT_EQ(json.at("total").as_int64(), 3);
  EXPECT_EQ(json.at("ack_target").at("share").as_double(), 0.5);
}

TEST(ReportPeriod, ParsesDaysAndTimesAndNamesBadFields) {
  auto p = ParsePeriod(std::string("2026-01-01"), std::string("2026-01-31"), 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->to_ms - p->from_ms, 31 * kDay);
  auto t = ParsePeriod(std::string("2026-01-01T08:00:00Z"), std::string("2026-01-01T09:00:00Z"), 0);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->to_ms - t->from_ms, 60 * kMinute);
  auto d = ParsePeriod(std::nullopt, std::nullopt, kT0);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_ms, kT0);
  EXPECT_EQ(d->from_ms, kT0 - 30 * kDay);
  EXPECT_EQ(ParsePeriod(std::string("2026-02-30"), std::nullopt, kT0).error().field(), "from");
  EXPECT_EQ(ParsePeriod(std::nullopt, std::string("yesterday"), kT0).error().field(), "to");
  EXPECT_EQ(ParsePeriod(std::string("2026-02-01"), std::string("2026-01-01"), kT0).error().field(),
            "from");
}

TEST(Days, UtcDayAndBack) {
  EXPECT_EQ(UtcDay(0), "1970-01-01");
  EXPECT_EQ(UtcDay(*DayStartMillis("2028-02-29") + kDay - 1), "2028-02-29");
  EXPECT_FALSE(IsIsoDate("2026-13-01"));
  EXPECT_FALSE(IsIsoDate("2027-02-29"));
  EXPECT_FALSE(IsIsoDate("2026-1-01"));
  EXPECT_TRUE(IsIsoDate("2026-12-01"));
}

INSTANTIATE_TEST_SUITE_P(Engines, PostmortemStoreTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace failsafe::postmortems
