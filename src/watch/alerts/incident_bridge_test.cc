// From alert groups to incidents on a real store with the real incidents module: a firing
// group declares one incident with its route's plan settings, a storm folds into it, every
// alert event lands on the timeline as kind "alert", resolution moves it to recovered (never
// closed), silenced alerts raise nothing, and the group -> incident decision is stored.
#include "watch/alerts/incident_bridge.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/audit_log.h"
#include "auth/auth_module.h"
#include "auth/secret_box.h"
#include "base/clock.h"
#include "base/json.h"
#include "catalog/catalog_module.h"
#include "incidents/incident.h"
#include "notify/notify_module.h"
#include "plans/plans_module.h"
#include "store/testing/migrated_store.h"
#include "watch/alerts/alerts_module.h"

namespace failsafe::watch::alerts {
namespace {

std::vector<store::Migration> Schema() {
  std::vector<store::Migration> all;
  for (auto list : {auth::Migrations(), catalog::Migrations(), plans::Migrations(),
                    notify::Migrations(), incidents::Migrations(), Migrations()}) {
    for (auto& m : list) all.push_back(std::move(m));
  }
  std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.version < b.version; });
  return all;
}

class BridgeTest : public ::testing::Test {
 protected:
  BridgeTest()
      : db_(store::Engine::kSqlite, "alerts", Schema()),
        audit_(std::string(32, 'a'), clock_),
        box_(*auth::SecretBox::Create(std::string(32, 's'))),
        services_{db_.store(), clock_, audit_, box_, registry_, "http://failsafe.test"},
        notify_(services_),
        incidents_(services_, notify_),
        bridge_(db_.store(), incidents_) {}

  void SetUp() override {
    ASSERT_TRUE(db_.status().ok()) << db_.status().ToString();
    ASSERT_TRUE(audit_.InitHead(db_.store()).ok());
    Status st = db_.store().Write([&](store::Tx& tx) -> Status {
      return StatusOf(
          tx.Exec("INSERT INTO catalog_services (key, name, tier, created_at, updated_at) "
                  "VALUES ('jira', 'Jira', 'critical', 0, 0)"));
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    route_.group_by = {"service"};
  }

  uint64_t Fire(Labels labels, int64_t ends = 1'000'000) {
    Alert a;
    a.labels = SortedLabels(std::move(labels));
    a.fingerprint = AlertFingerprint(a.labels);
    a.starts_at = now();
    a.ends_at = now() + ends;
    live_.Upsert(a, now());
    groups_.Touch(route_, a.labels, a.fingerprint, now());
    return a.fingerprint;
  }
  void Resolve(uint64_t fp) {
    Alert a = *live_.Get(fp);
    a.ends_at = now();
    a.ends_at_given = true;
    live_.Upsert(a, now());
    groups_.Touch(route_, a.labels, fp, now());
  }
  std::vector<FlushResult> FlushAll() {
    std::vector<FlushResult> out;
    Inhibitor inhibitor(rules_, live_, now());
    Muters muters{silences_, maintenance_, inhibitor};
    for (const auto& g : groups_.TakeDue(now())) {
      auto r = bridge_.Flush(g, live_, muters, now());
      EXPECT_TRUE(r) << r.error().ToString();
      if (!r) continue;
      groups_.Reported(g.key, r->reported, now());
      out.push_back(*r);
    }
    return out;
  }
  int64_t now() const { return clock_.NowMillis(); }
  std::vector<incidents::Incident> Incidents() {
    std::vector<incidents::Incident> out;
    Status st = db_.store().Read([&](store::Tx& tx) -> Status {
      FS_ASSIGN_OR_RETURN_STATUS(out, incidents::ListIncidents(tx, {}));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok());
    return out;
  }
  std::vector<incidents::TimelineEvent> AlertEvents(int64_t id) {
    std::vector<incidents::TimelineEvent> all;
    Status st = db_.store().Read([&](store::Tx& tx) -> Status {
      FS_ASSIGN_OR_RETURN_STATUS(all, incidents::LoadTimeline(tx, id));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok());
    std::erase_if(all, [](const auto& e) { return e.kind != "alert"; });
    return all;
  }

  store::testing::MigratedStore db_;
  FakeClock clock_;
  auth::AuditLog audit_;
  auth::SecretBox box_;
  metrics::Registry registry_;
  auth::ModuleServices services_;
  notify::NotifyModule notify_;
  incidents::IncidentsModule incidents_;
  IncidentBridge bridge_;
  Route route_;
  std::vector<InhibitRule> rules_;
  LiveAlerts live_;
  Groups groups_;
  Silences silences_;
  MaintenanceWindows maintenance_;
};

TEST_F(BridgeTest, AStormFoldsIntoOneIncidentThatRecoversWhenAllResolve) {
  route_.group_wait_ms = 0;
  route_.group_interval_ms = 1000;
  std::vector<uint64_t> fps;
  for (int i = 0; i < 50; ++i) {
    fps.push_back(Fire({{"alertname", "Down" + std::to_string(i)},
                        {"service", "jira"},
                        {"severity", i == 7 ? "critical" : "warning"}}));
  }
  auto flushed = FlushAll();
  ASSERT_EQ(flushed.size(), 1u);
  EXPECT_TRUE(flushed[0].declared);
  auto list = Incidents();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].severity, "P2");  // the worst alert's severity
  EXPECT_EQ(list[0].services, std::vector<std::string>{"jira"});
  EXPECT_EQ(list[0].declared_by, "alerts");
  auto events = AlertEvents(list[0].id);
  ASSERT_EQ(events.size(), 1u);
  auto detail = json::ParseObject(events[0].detail);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->at("event").as_string(), "firing");
  EXPECT_EQ(detail->at("count").as_int64(), 50);
  EXPECT_EQ(detail->at("more").as_int64(), 30);

  // Another group of the same service (another route) attaches instead of declaring.
  Route other = route_;
  other.name = "other";
  other.group_by = {"alertname", "service"};
  Alert extra;
  extra.labels = SortedLabels({{"alertname", "Slow"}, {"service", "jira"}});
  extra.fingerprint = AlertFingerprint(extra.labels);
  extra.starts_at = now();
  extra.ends_at = now() + 100'000;
  live_.Upsert(extra, now());
  groups_.Touch(other, extra.labels, extra.fingerprint, now());
  clock_.Advance(std::chrono::milliseconds(1000));
  flushed = FlushAll();
  ASSERT_EQ(flushed.size(), 1u);
  EXPECT_FALSE(flushed[0].declared);
  EXPECT_EQ(flushed[0].incident_id, list[0].id);
  EXPECT_EQ(Incidents().size(), 1u);

  // All of the first group resolve: recovered, never closed.
  clock_.Advance(std::chrono::milliseconds(1000));
  for (auto fp : fps) Resolve(fp);
  clock_.Advance(std::chrono::milliseconds(1000));
  FlushAll();
  list = Incidents();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].status, "recovered");
  events = AlertEvents(list[0].id);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_NE(events.back().detail.find("\"event\":\"resolved\""), std::string::npos);
}

TEST_F(BridgeTest, SilencedAlertsDeclareNothingAndTheDecisionIsStored) {
  route_.group_wait_ms = 0;
  Silence s;
  s.id = NewUuid();
  s.matchers = *ParseMatchers({R"(service="jira")"}, "m");
  s.starts_at = now() - 1;
  s.ends_at = now() + 60'000;
  silences_.Remember(s);
  Fire({{"alertname", "Down"}, {"service", "jira"}});
  FlushAll();
  EXPECT_TRUE(Incidents().empty());

  // The silence expires: the group (looked at again) declares.
  s.ends_at = now();
  silences_.Remember(s);
  groups_.TouchAll(now());
  clock_.Advance(std::chrono::milliseconds(1));
  FlushAll();
  ASSERT_EQ(Incidents().size(), 1u);
  int64_t stored = 0;
  Status st = db_.store().Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(auto row,
                               tx.QueryOne("SELECT incident_id FROM alert_group_incidents"));
    if (row) stored = row->Int(0);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(stored, Incidents()[0].id);
}

TEST_F(BridgeTest, InhibitedAndMaintenanceMutedAlertsDeclareNothing) {
  route_.group_wait_ms = 0;
  route_.group_by = {"alertname", "service"};
  rules_.resize(1);
  rules_[0].source = *ParseMatchers({R"(severity="P1")"}, "s");
  rules_[0].target = *ParseMatchers({R"(severity="P3")"}, "t");
  rules_[0].equal = {"service"};
  // A P1 on erp (muted by erp's maintenance window) still mutes erp's P3 (inhibition).
  maintenance_.Remember({1, "erp", now() - 1, now() + 60'000, "patching", "bob", now()});
  Fire({{"alertname", "Down"}, {"service", "erp"}, {"severity", "P1"}});
  Fire({{"alertname", "Slow"}, {"service", "erp"}, {"severity", "P3"}});
  FlushAll();
  EXPECT_TRUE(Incidents().empty());
  // A P3 on another service is not inhibited and raises its incident.
  Fire({{"alertname", "Slow"}, {"service", "jira"}, {"severity", "P3"}});
  FlushAll();
  auto list = Incidents();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].services, std::vector<std::string>{"jira"});
}

TEST_F(BridgeTest, UnknownServiceAndUnapprovedPlanStillDeclareAndSaySo) {
  route_.group_wait_ms = 0;
  route_.plan = "no-such-plan";
  Fire({{"alertname", "Down"}, {"service", "nowhere"}, {"severity", "P1"}});
  FlushAll();
  auto list = Incidents();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].severity, "P1");
  EXPECT_TRUE(list[0].services.empty());
  EXPECT_NE(list[0].summary.find("'nowhere' is not in the catalog"), std::string::npos);
  EXPECT_NE(list[0].summary.find("Plan 'no-such-plan'"), std::string::npos) << list[0].summary;
  EXPECT_TRUE(list[0].plan_key.empty());
}

}  // namespace
}  // namespace failsafe::watch::alerts
