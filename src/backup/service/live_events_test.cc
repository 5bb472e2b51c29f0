// The live events' data and the per-job throttle of progress events.
#include "backup/service/live_events.h"

#include <gtest/gtest.h>

namespace failsafe::backup::service {
namespace {

namespace bj = boost::json;
using std::chrono::milliseconds;

TEST(ProgressThrottle, FirstOfEachJobPassesThenOnePerInterval) {
  ProgressThrottle t(milliseconds(500));
  const ProgressThrottle::TimePoint t0{std::chrono::seconds(100)};
  EXPECT_TRUE(t.Admit(t0));
  EXPECT_FALSE(t.Admit(t0 + milliseconds(1)));
  EXPECT_FALSE(t.Admit(t0 + milliseconds(499)));
  EXPECT_TRUE(t.Admit(t0 + milliseconds(500)));
  EXPECT_FALSE(t.Admit(t0 + milliseconds(900)));  // measured from the last one sent
  EXPECT_TRUE(t.Admit(t0 + milliseconds(1000)));
  EXPECT_EQ(t.NextAllowed(), t0 + milliseconds(1500));
  t.NewJob();
  EXPECT_EQ(t.NextAllowed(), ProgressThrottle::TimePoint::min());
  EXPECT_TRUE(t.Admit(t0 + milliseconds(1001)));  // a new job is announced at once
}

TEST(LiveEvents, ProgressCarriesPhaseDestinationAndEstimate) {
  RunningJob job;
  job.policy = "erp-db";
  job.service = "erp";
  job.kind = "backup";
  job.phase = "saving";
  job.destination = "/backup/erp";
  job.destination_index = 2;
  job.destinations = 3;
  job.trigger = "manual";
  job.started_at = 1'767'225'600'000;
  bj::object o = bj::parse(ProgressEventData(job)).as_object();
  EXPECT_EQ(o.at("phase").as_string(), "saving");
  EXPECT_EQ(o.at("destination_index").as_int64(), 2);
  EXPECT_EQ(o.at("destinations").as_int64(), 3);
  EXPECT_TRUE(o.at("progress").is_null());  // before the destination reports anything

  job.has_progress = true;
  job.progress.bytes_done = 250;
  job.progress.bytes_total = 1000;
  job.progress.files_done = 1;
  job.progress.files_total = 4;
  job.progress.totals_final = true;
  job.progress.elapsed_seconds = 1;
  o = bj::parse(ProgressEventData(job)).as_object();
  const bj::object& p = o.at("progress").as_object();
  EXPECT_DOUBLE_EQ(p.at("fraction").to_number<double>(), 0.25);
  EXPECT_DOUBLE_EQ(p.at("bytes_per_second").to_number<double>(), 250);
  EXPECT_DOUBLE_EQ(p.at("eta_seconds").to_number<double>(), 3);
  EXPECT_EQ(p.at("files_total").to_number<int64_t>(), 4);
}

TEST(LiveEvents, ABackupJobIsAsGoodAsItsWorstDestination) {
  RunRecord ok, incomplete, failed;
  ok.status = kRunOk;
  incomplete.status = kRunIncomplete;
  failed.status = kRunFailed;
  auto status = [](const std::vector<RunRecord>& runs) {
    return std::string(
        bj::parse(RunFinishedEventData("p", "s", runs)).as_object().at("status").as_string());
  };
  EXPECT_EQ(status({ok, ok}), kRunOk);
  EXPECT_EQ(status({ok, incomplete}), kRunIncomplete);
  EXPECT_EQ(status({failed, incomplete, ok}), kRunFailed);
  EXPECT_EQ(status({}), kRunFailed);
  bj::object o = bj::parse(RunFinishedEventData("erp-db", "erp", {ok, failed})).as_object();
  EXPECT_EQ(o.at("policy").as_string(), "erp-db");
  EXPECT_EQ(o.at("kind").as_string(), "backup");
  EXPECT_EQ(o.at("runs").as_array().size(), 2u);
}

TEST(LiveEvents, DrillOutcomeIsTheDrillRecordWithItsKind) {
  DrillRecord d;
  d.id = 7;
  d.policy_name = "erp-db";
  d.status = kDrillPass;
  d.rto_ms = 4 * 3600'000;
  d.projected_ms = 3600'000;
  d.margin_ms = 3 * 3600'000;
  bj::object o = bj::parse(DrillFinishedEventData(d)).as_object();
  EXPECT_EQ(o.at("kind").as_string(), "drill");
  EXPECT_EQ(o.at("id").as_int64(), 7);
  EXPECT_EQ(o.at("margin_ms").as_int64(), 3 * 3600'000);
  d.margin_ms.reset();
  EXPECT_TRUE(bj::parse(DrillFinishedEventData(d)).as_object().at("margin_ms").is_null());
}

}  // namespace
}  // namespace failsafe::backup::service
