// The scheduler against real repositories in temp directories and a real SQLite store, with a
// FakeClock: scheduled runs, missed runs after downtime, a failing destination's alert and its
// resolution, retention, restore drills timed against the RTO, and the live events consoles get.
#include "backup/service/scheduler.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "backup/service/policy_store.h"
#include "backup/service/test_support.h"
#include "store/testing/temp_dir.h"
#include "store/tx_result.h"

namespace failsafe::backup::service {
namespace {

constexpr int64_t kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::MigratedStore>(store::Engine::kSqlite, "backupsched",
                                                          testing::Schema());
    ASSERT_TRUE(db_->status().ok()) << db_->status().ToString();
    ASSERT_TRUE(testing::AddService(db_->store(), "erp", "critical", 4 * 3600'000, 3600'000).ok());
    std::filesystem::create_directories(dir_.Join("data/sub"));
    std::ofstream(dir_.Join("data/a.txt")) << "alpha\n";
    std::ofstream(dir_.Join("data/sub/b.bin")) << std::string(200'000, 'b');
    MakeScheduler(std::chrono::milliseconds(500));
  }

  // A scheduler whose live events land in events_ (progress at most once per `interval`).
  void MakeScheduler(std::chrono::milliseconds interval) {
    scheduler_.reset();
    SchedulerSettings s;
    s.runner.work_dir = dir_.Join("work");
    s.runner.argon2_opslimit = 1;
    s.runner.argon2_memlimit = 8 << 10 << 10;
    s.progress_interval = interval;
    s.events = [this](const std::string& event, const std::string& data) {
      std::lock_guard lock(events_mu_);
      events_.push_back(
          {event, boost::json::parse(data).as_object(), std::chrono::steady_clock::now()});
    };
    scheduler_ = std::make_unique<Scheduler>(db_->store(), box_, clock_, s,
                                             [this](std::vector<BackupAlert> a) {
                                               for (auto& x : a) alerts_.push_back(std::move(x));
                                             });
  }

  struct Event {
    std::string name;
    boost::json::object data;
    std::chrono::steady_clock::time_point at;
  };
  std::vector<Event> TakeEvents() {
    std::lock_guard lock(events_mu_);
    return std::exchange(events_, {});
  }

  std::string PolicyText(const std::string& extra_destination = "") {
    return "name: erp-files\nservice: erp\nschedule: '0 * * * *'\ndrill_schedule: '30 * * * *'\n"
           "sources: [{kind: paths, paths: [" +
           dir_.Join("data") +
           "]}]\nretention: {keep_last: 2}\ndestinations:\n"
           "  - {url: " +
           dir_.Join("repo") + ", media: disk, init: true, password: pw}\n" + extra_destination;
  }

  Policy Apply(const std::string& text) {
    auto p = ParsePolicy(text);
    EXPECT_TRUE(p) << p.error().ToString();
    auto r = store::WriteResult<std::pair<Policy, bool>>(db_->store(), [&](store::Tx& tx) {
      return UpsertPolicy(tx, box_, *p, clock_.NowMillis());
    });
    EXPECT_TRUE(r) << r.error().ToString();
    return r->first;
  }

  std::vector<RunRecord> Runs() {
    auto r = store::ReadResult<std::vector<RunRecord>>(
        db_->store(), [](store::Tx& tx) { return ListRuns(tx, 0, 100); });
    EXPECT_TRUE(r);
    return r ? *r : std::vector<RunRecord>{};
  }
  std::vector<DrillRecord> Drills() {
    auto r = store::ReadResult<std::vector<DrillRecord>>(
        db_->store(), [](store::Tx& tx) { return ListDrills(tx, 0, 100); });
    EXPECT_TRUE(r);
    return r ? *r : std::vector<DrillRecord>{};
  }
  const BackupAlert* LastAlert(const std::string& name) {
    for (auto it = alerts_.rbegin(); it != alerts_.rend(); ++it) {
      if (it->labels[0].second == name) return &*it;
    }
    return nullptr;
  }

  store::testing::TempDir dir_{"backupsched"};
  std::unique_ptr<store::testing::MigratedStore> db_;
  auth::SecretBox box_ = testing::TestBox();
  FakeClock clock_{kStart + 10 * 60'000};
  std::vector<BackupAlert> alerts_;
  std::mutex events_mu_;
  std::vector<Event> events_;
  std::unique_ptr<Scheduler> scheduler_;
};

std::string Str(const boost::json::object& o, const char* key) {
  return std::string(o.at(key).as_string());
}

TEST_F(SchedulerTest, RunsWhenDueAndRecordsTheSnapshot) {
  Apply(PolicyText());
  ASSERT_TRUE(scheduler_->Tick().ok());
  EXPECT_TRUE(scheduler_->Queued().empty());  // 00:10: nothing due yet
  clock_.SetMillis(kStart + 3600'000 + 5'000);
  ASSERT_TRUE(scheduler_->Tick().ok());
  auto queued = scheduler_->Queued();
  ASSERT_EQ(queued.size(), 2u);  // the backup of 01:00 and the drill of 00:30
  EXPECT_EQ(queued[0].kind, JobKind::kBackup);
  EXPECT_EQ(queued[1].trigger, "catch-up");
  scheduler_->Drain();
  auto runs = Runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, kRunOk) << runs[0].errors;
  EXPECT_EQ(runs[0].trigger, "schedule");
  EXPECT_EQ(runs[0].snapshot_id.size(), 64u);
  EXPECT_EQ(runs[0].files, 2);
  EXPECT_GE(runs[0].bytes_read, 200'006);
  EXPECT_GT(runs[0].data_added, 0);
  EXPECT_NE(runs[0].retention.find("kept 1"), std::string::npos) << runs[0].retention;
  // The same hour again is not due twice.
  ASSERT_TRUE(scheduler_->Tick().ok());
  EXPECT_TRUE(scheduler_->Queued().empty());
}

TEST_F(SchedulerTest, DowntimeIsReportedAsMissedThenCaughtUpAndResolved) {
  Apply(PolicyText());
  ASSERT_TRUE(scheduler_->Tick().ok());
  clock_.SetMillis(kStart + 3 * 3600'000 + 20 * 60'000);  // down over 01:00, 02:00, 03:00
  ASSERT_TRUE(scheduler_->Tick().ok());
  auto runs = Runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, kRunMissed);
  EXPECT_EQ(runs[0].scheduled_for, kStart + 3600'000);
  EXPECT_EQ(runs[0].error_count, 3);
  const BackupAlert* missed = LastAlert("BackupMissed");
  ASSERT_NE(missed, nullptr);
  EXPECT_TRUE(missed->firing);
  ASSERT_EQ(scheduler_->Queued().size(), 2u);  // the catch-up run and the drill
  scheduler_->Drain();
  runs = Runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].status, kRunOk) << runs[0].errors;
  EXPECT_EQ(runs[0].trigger, "catch-up");
  missed = LastAlert("BackupMissed");
  ASSERT_NE(missed, nullptr);
  EXPECT_FALSE(missed->firing);  // resolved by the good run
}

TEST_F(SchedulerTest, FailingDestinationRaisesAnAlertUntilItWorks) {
  const std::string bad = dir_.Join("missing-repo");
  Policy p = Apply(PolicyText("  - {url: " + bad + ", media: nas, offsite: true, password: pw}\n"));
  scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0});
  scheduler_->Drain();
  auto runs = Runs();
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& r : runs) {
    if (r.destination == bad) {
      EXPECT_EQ(r.status, kRunFailed);
      EXPECT_NE(r.errors.find("not a failsafe repository"), std::string::npos) << r.errors;
    } else {
      EXPECT_EQ(r.status, kRunOk) << r.errors;
    }
  }
  const BackupAlert* failed = LastAlert("BackupFailed");
  ASSERT_NE(failed, nullptr);
  EXPECT_TRUE(failed->firing);
  bool p1 = false;
  for (const auto& [n, v] : failed->labels) p1 |= n == "severity" && v == "P1";
  EXPECT_TRUE(p1);

  // The destination is fixed (created): the next run resolves the alert.
  Apply(PolicyText("  - {url: " + bad + ", media: nas, offsite: true, init: true}\n"));
  scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0});
  scheduler_->Drain();
  runs = Runs();
  ASSERT_EQ(runs.size(), 4u);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(runs[i].status, kRunOk) << runs[i].errors;
  failed = nullptr;
  for (auto it = alerts_.rbegin(); it != alerts_.rend(); ++it) {
    if (it->labels[0].second == "BackupFailed" && it->Key().find(bad) != std::string::npos) {
      failed = &*it;
      break;
    }
  }
  ASSERT_NE(failed, nullptr);
  EXPECT_FALSE(failed->firing);
}

TEST_F(SchedulerTest, DrillRestoresVerifiesAndComparesWithTheRto) {
  Policy p = Apply(PolicyText());
  // No snapshot yet: the drill fails and says why.
  scheduler_->Enqueue({p.id, p.name, JobKind::kDrill, false, "manual", 0});
  scheduler_->Drain();
  auto drills = Drills();
  ASSERT_EQ(drills.size(), 1u);
  EXPECT_EQ(drills[0].status, kDrillFail);
  EXPECT_NE(drills[0].detail.find("no snapshot"), std::string::npos) << drills[0].detail;
  ASSERT_NE(LastAlert("RestoreDrillFailed"), nullptr);
  EXPECT_TRUE(LastAlert("RestoreDrillFailed")->firing);

  scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0});
  scheduler_->Enqueue({p.id, p.name, JobKind::kDrill, false, "manual", 0});
  scheduler_->Drain();
  drills = Drills();
  ASSERT_EQ(drills.size(), 2u);
  const DrillRecord& d = drills[0];
  EXPECT_EQ(d.status, kDrillPass) << d.detail;
  EXPECT_EQ(d.restored_bytes, 200'006);
  EXPECT_EQ(d.verified_bytes, 200'006);
  EXPECT_EQ(d.snapshot_bytes, 200'006);
  EXPECT_EQ(d.rto_ms, 4 * 3600'000);
  ASSERT_TRUE(d.margin_ms.has_value());
  EXPECT_EQ(*d.margin_ms, d.rto_ms - d.projected_ms);
  EXPECT_FALSE(LastAlert("RestoreDrillFailed")->firing);
  // The scratch directory is gone.
  EXPECT_TRUE(std::filesystem::is_empty(dir_.Join("work/drills")));
}

TEST_F(SchedulerTest, DisablingAPolicyResolvesItsAlerts) {
  const std::string bad = dir_.Join("missing-repo");
  Policy p = Apply(PolicyText("  - {url: " + bad + ", media: nas, password: pw}\n"));
  scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0});
  scheduler_->Drain();
  ASSERT_NE(LastAlert("BackupFailed"), nullptr);
  EXPECT_TRUE(LastAlert("BackupFailed")->firing);
  Apply(PolicyText("  - {url: " + bad + ", media: nas, password: pw}\n") + "enabled: false\n");
  ASSERT_TRUE(scheduler_->PostAlerts().ok());
  EXPECT_FALSE(LastAlert("BackupFailed")->firing);
}

TEST_F(SchedulerTest, OneJobPerPolicyAndKindAtATime) {
  Policy p = Apply(PolicyText());
  EXPECT_TRUE(scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0}));
  EXPECT_FALSE(scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, true, "manual", 0}));
  EXPECT_TRUE(scheduler_->Enqueue({p.id, p.name, JobKind::kDrill, false, "manual", 0}));
  auto queued = scheduler_->Queued();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_TRUE(queued[0].full);  // the full request was folded into the queued run
}

TEST_F(SchedulerTest, LiveEventsFollowEachPhaseThenTheOutcome) {
  MakeScheduler(std::chrono::milliseconds(0));  // no throttle: every phase change is sent
  Policy p = Apply(PolicyText());
  scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0});
  scheduler_->Drain();
  auto events = TakeEvents();
  ASSERT_EQ(events.size(), 4u);
  std::vector<std::string> phases;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].name, kProgressEvent);
    EXPECT_EQ(Str(events[i].data, "policy"), "erp-files");
    EXPECT_EQ(Str(events[i].data, "service"), "erp");
    EXPECT_EQ(Str(events[i].data, "kind"), "backup");
    EXPECT_EQ(events[i].data.at("destinations").as_int64(), 1);
    phases.push_back(Str(events[i].data, "phase"));
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"staging", "saving", "finishing"}));
  EXPECT_TRUE(events[0].data.at("progress").is_null());
  const auto& saving = events[1].data.at("progress").as_object();
  EXPECT_EQ(events[1].data.at("destination_index").as_int64(), 1);
  EXPECT_TRUE(saving.contains("bytes_total") && saving.contains("eta_seconds"));

  // The outcome comes after the record is stored, with its id, so a console can refetch.
  EXPECT_EQ(events[3].name, kRunFinishedEvent);
  EXPECT_EQ(Str(events[3].data, "status"), kRunOk);
  const auto& runs = events[3].data.at("runs").as_array();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].at("id").as_int64(), Runs().at(0).id);
  EXPECT_EQ(runs[0].at("bytes_read").as_int64(), Runs().at(0).bytes_read);

  scheduler_->Enqueue({p.id, p.name, JobKind::kDrill, false, "manual", 0});
  scheduler_->Drain();
  events = TakeEvents();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(Str(events[0].data, "phase"), "opening");
  EXPECT_EQ(Str(events[1].data, "phase"), "restoring");
  EXPECT_EQ(Str(events[0].data, "kind"), "drill");
  EXPECT_EQ(events[3].name, kDrillFinishedEvent);
  EXPECT_EQ(Str(events[3].data, "status"), kDrillPass);
  EXPECT_EQ(events[3].data.at("id").as_int64(), Drills().at(0).id);
  EXPECT_EQ(events[3].data.at("margin_ms").as_int64(), *Drills().at(0).margin_ms);
}

TEST_F(SchedulerTest, ProgressIsThrottledPerJobButEachJobIsAnnounced) {
  MakeScheduler(std::chrono::hours(1));
  Policy p = Apply(PolicyText());
  for (int i = 0; i < 2; ++i) {
    scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0});
    scheduler_->Drain();
    auto events = TakeEvents();
    // Within the hour only the start passes; the outcome is never held back.
    ASSERT_EQ(events.size(), 2u) << i;
    EXPECT_EQ(Str(events[0].data, "phase"), "staging");
    EXPECT_EQ(events[1].name, kRunFinishedEvent);
  }
  EXPECT_FALSE(scheduler_->PublishProgress());  // nothing runs
}

TEST_F(SchedulerTest, TheReporterSamplesARunningJobAtMostOncePerInterval) {
  // Enough data that the save takes several intervals.
  std::ofstream big(dir_.Join("data/big.bin"), std::ios::binary);
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < (24 << 20) / 8; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // incompressible, not deduplicated
    big.write(reinterpret_cast<const char*>(&x), 8);
  }
  big.close();
  constexpr auto kInterval = std::chrono::milliseconds(40);
  MakeScheduler(kInterval);
  Policy p = Apply(PolicyText());
  scheduler_->Start();
  const auto start = std::chrono::steady_clock::now();
  scheduler_->Enqueue({p.id, p.name, JobKind::kBackup, false, "manual", 0});
  scheduler_->WaitIdle();  // the worker takes a job off the queue and marks it running at once
  const auto elapsed = std::chrono::steady_clock::now() - start;
  scheduler_->Stop();
  auto events = TakeEvents();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.back().name, kRunFinishedEvent);
  EXPECT_EQ(Str(events.back().data, "status"), kRunOk);
  size_t progress = 0, sampled = 0;
  for (const auto& e : events) {
    if (e.name != kProgressEvent) continue;
    ++progress;
    if (Str(e.data, "phase") == "saving" &&
        e.data.at("progress").at("bytes_done").to_number<uint64_t>() > 0) {
      ++sampled;
    }
  }
  EXPECT_LE(progress, 1 + static_cast<size_t>(elapsed / kInterval)) << events.size();
  EXPECT_GE(sampled, 1u) << "the save took " << (elapsed / std::chrono::milliseconds(1)) << " ms";
}

}  // namespace
}  // namespace failsafe::backup::service
