// The outbox on SQLite and PostgreSQL: enqueue and matching, the state machine, folding, and
// the worker against the real robot receiver (tests/support/robot_receiver.py).
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "auth/audit_log.h"
#include "base/metrics.h"
#include "notify/channel.h"
#include "notify/notify_module.h"
#include "notify/outbox_store.h"
#include "notify/outbox_worker.h"
#include "store/migrations.h"
#include "store/testing/migrated_store.h"
#include "store/tx_result.h"
#include "tests/support/receivers.h"

namespace failsafe::notify {
namespace {

class OutboxTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::MigratedStore>(GetParam(), "notify", Migrations());
    if (!db_->status().ok() && GetParam() == store::Engine::kPostgres) {
      GTEST_SKIP() << db_->status().ToString();
    }
    ASSERT_TRUE(db_->status().ok()) << db_->status().ToString();
    store_ = &db_->store();
    clock_.SetMillis(SystemClock::Instance().NowMillis());  // signatures need a real time
    services_ = std::make_unique<auth::ModuleServices>(
        auth::ModuleServices{*store_, clock_, audit_, box_, registry_, "https://failsafe.example"});
  }

  int64_t AddChannel(const std::string& name, const std::string& type, const std::string& url,
                     const std::string& secret = "", std::optional<int> per_minute = {},
                     std::vector<std::string> severities = {},
                     std::vector<std::string> audiences = {}) {
    ChannelInput in;
    in.name = name;
    in.type = type;
    in.url = url;
    if (!secret.empty()) in.secret = secret;
    in.rate_per_minute = per_minute;
    if (!severities.empty()) in.severities = severities;
    if (!audiences.empty()) in.audiences = audiences;
    Channel ch;
    EXPECT_TRUE(ApplyChannelInput(in, box_, ch).ok());
    ch.created_at = ch.updated_at = clock_.NowMillis();
    auto id =
        store::WriteResult<int64_t>(*store_, [&](store::Tx& tx) { return InsertChannel(tx, ch); });
    EXPECT_TRUE(id) << id.error().message();
    return id ? *id : 0;
  }

  std::vector<int64_t> Enqueue(const Notification& n) {
    auto ids = store::WriteResult<std::vector<int64_t>>(
        *store_, [&](store::Tx& tx) { return notify::Enqueue(tx, n, clock_.NowMillis()); });
    EXPECT_TRUE(ids) << ids.error().message();
    return ids ? *ids : std::vector<int64_t>{};
  }

  OutboxRow Row(int64_t id) {
    auto r = store::ReadResult<std::optional<OutboxRow>>(
        *store_, [&](store::Tx& tx) { return LoadOutboxRow(tx, id); });
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : OutboxRow{};
  }

  static Notification Page(const std::string& key, const std::string& title = "P1 Jira down") {
    Notification n;
    n.idempotency_key = key;
    n.kind = "page";
    n.incident_id = 7;
    n.severity = "P1";
    n.service_keys = {"jira"};
    n.message.title = title;
    n.message.markdown = "Jira is down";
    return n;
  }

  std::unique_ptr<store::testing::MigratedStore> db_;
  store::Store* store_ = nullptr;
  FakeClock clock_;
  auth::AuditLog audit_{"audit-key", clock_};
  auth::SecretBox box_ = *auth::SecretBox::Create(std::string(32, 'k'));
  metrics::Registry registry_;
  std::unique_ptr<auth::ModuleServices> services_;
  std::mutex events_mu_;
  std::vector<DeliveryEvent> events_;
  DeliveryListener listener_ = [this](store::Tx&, const DeliveryEvent& e) {
    std::lock_guard lock(events_mu_);  // channels are sent from their own threads
    events_.push_back(e);
    return Status::Ok();
  };
};

TEST_P(OutboxTest, EnqueueMatchesAudienceAndScopeAndIsIdempotent) {
  const int64_t all = AddChannel("all", "webhook", "http://127.0.0.1:1/a");
  const int64_t p2 = AddChannel("p2-only", "webhook", "http://127.0.0.1:1/b", "", {}, {"P2"});
  const int64_t cust =
      AddChannel("customers", "webhook", "http://127.0.0.1:1/c", "", {}, {}, {"customers"});
  (void)p2;
  auto ids = Enqueue(Page("inc-7-page"));
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(Row(ids[0]).channel_id, all);
  EXPECT_EQ(Row(ids[0]).state, "pending");
  // The same key again: no new row, the same id.
  EXPECT_EQ(Enqueue(Page("inc-7-page")), ids);
  Notification c = Page("inc-7-customers");
  c.audience = "customers";
  auto cid = Enqueue(c);
  ASSERT_EQ(cid.size(), 1u);
  EXPECT_EQ(Row(cid[0]).channel_id, cust);
  // Explicit channels override matching.
  Notification e = Page("explicit");
  e.channel_ids = {p2, cust};
  EXPECT_EQ(Enqueue(e).size(), 2u);
  Notification bad = Page("");
  auto r = store::WriteResult<std::vector<int64_t>>(
      *store_, [&](store::Tx& tx) { return notify::Enqueue(tx, bad, 0); });
  EXPECT_FALSE(r);
}

TEST_P(OutboxTest, StateMachineClaimRecordRetryFail) {
  AddChannel("hook", "webhook", "http://127.0.0.1:1/a");
  const int64_t id = Enqueue(Page("k"))[0];
  const int64_t now = clock_.NowMillis();
  auto due = store::ReadResult<std::vector<OutboxRow>>(
      *store_, [&](store::Tx& tx) { return DueRows(tx, now, 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  OutboxRow row = (*due)[0];
  auto claimed = store::WriteResult<bool>(
      *store_, [&](store::Tx& tx) { return Claim(tx, row, now, now + 1000); });
  ASSERT_TRUE(claimed && *claimed);
  // A second claim of the same snapshot loses.
  auto again = store::WriteResult<bool>(
      *store_, [&](store::Tx& tx) { return Claim(tx, row, now, now + 1000); });
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(Row(id).state, "sending");
  ASSERT_TRUE(store_
                  ->Write([&](store::Tx& tx) {
                    return RecordOutcome(tx, row, false, "HTTP 500", 2, now, now + 5000, listener_);
                  })
                  .ok());
  EXPECT_EQ(Row(id).state, "pending");
  EXPECT_EQ(Row(id).attempts, 1);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].state, "retrying");
  EXPECT_EQ(events_[0].incident_id, 7);
  // Not due before its retry time; due after.
  auto none = store::ReadResult<std::vector<OutboxRow>>(
      *store_, [&](store::Tx& tx) { return DueRows(tx, now + 4999, 10); });
  EXPECT_TRUE(none && none->empty());
  row = Row(id);
  ASSERT_TRUE(store::WriteResult<bool>(*store_, [&](store::Tx& tx) {
                return Claim(tx, row, now + 5000, now + 6000);
              }).value_or(false));
  ASSERT_TRUE(store_
                  ->Write([&](store::Tx& tx) {
                    return RecordOutcome(tx, row, false, "HTTP 500", 2, now + 5000, 0, listener_);
                  })
                  .ok());
  EXPECT_EQ(Row(id).state, "failed");
  EXPECT_EQ(Row(id).last_error, "HTTP 500");
  EXPECT_EQ(events_.back().state, "failed");
  // Retry by API: pending again, attempts reset.
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return RetryRow(tx, id, now + 7000); }).ok());
  EXPECT_EQ(Row(id).state, "pending");
  EXPECT_EQ(Row(id).attempts, 0);
}

TEST_P(OutboxTest, ExpiredLeaseMakesASendingRowDueAgainWithItsKey) {
  AddChannel("hook", "webhook", "http://127.0.0.1:1/a");
  const int64_t id = Enqueue(Page("crash-key"))[0];
  const int64_t now = clock_.NowMillis();
  OutboxRow row = Row(id);
  ASSERT_TRUE(store::WriteResult<bool>(*store_, [&](store::Tx& tx) {
                return Claim(tx, row, now, now + 1000);
              }).value_or(false));
  auto due = store::ReadResult<std::vector<OutboxRow>>(
      *store_, [&](store::Tx& tx) { return DueRows(tx, now + 1000, 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].idempotency_key, "crash-key");
  EXPECT_EQ((*due)[0].state, "sending");
}

TEST_P(OutboxTest, FoldingPointsRowsAtTheDigest) {
  const int64_t ch =
      AddChannel("robot", "dingtalk", "http://127.0.0.1:1/dingtalk/x?access_token=t");
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(Enqueue(Page("k" + std::to_string(i), "alert " + std::to_string(i)))[0]);
  std::vector<OutboxRow> rows;
  for (int64_t id : ids) rows.push_back(Row(id));
  auto digest = store::WriteResult<OutboxRow>(*store_, [&](store::Tx& tx) {
    return FoldIntoDigest(tx, rows, clock_.NowMillis(), listener_);
  });
  ASSERT_TRUE(digest) << digest.error().message();
  EXPECT_EQ(digest->channel_id, ch);
  EXPECT_EQ(digest->message.title, "5 more notifications");
  for (int i = 0; i < 5; ++i) {
    EXPECT_NE(digest->message.markdown.find("- alert " + std::to_string(i)), std::string::npos);
    EXPECT_EQ(Row(ids[static_cast<size_t>(i)]).state, "folded");
    EXPECT_EQ(Row(ids[static_cast<size_t>(i)]).digest_id, digest->id);
  }
  EXPECT_EQ(Row(digest->id).state, "pending");
  EXPECT_EQ(events_.size(), 5u);
}

TEST_P(OutboxTest, WorkerRetriesUntilTheReceiverAccepts) {
  testing::RobotReceiver receiver(std::map<std::string, std::string>{{"/dingtalk/ops", "SEC-ops"}});
  ASSERT_TRUE(receiver.Start()) << receiver.log();
  ASSERT_TRUE(receiver.Control(R"({"fail":2})"));
  AddChannel("ops", "dingtalk", receiver.Url("/dingtalk/ops?access_token=tok"), "SEC-ops");
  NotifySettings settings;
  settings.retry_initial = std::chrono::milliseconds(1000);
  settings.send_timeout = std::chrono::milliseconds(3000);
  OutboxWorker worker(*services_, settings, listener_);
  const int64_t id = Enqueue(Page("retry-me"))[0];
  for (int i = 0; i < 3; ++i) {
    worker.RunOnce(clock_.NowMillis());
    clock_.Advance(std::chrono::milliseconds(5000));  // past any backoff (<= 4 s with jitter)
  }
  EXPECT_EQ(Row(id).state, "delivered");
  EXPECT_EQ(Row(id).attempts, 3);
  auto got = receiver.Received("/dingtalk/ops");
  ASSERT_EQ(got.size(), 1u);  // signature verified by the receiver
  EXPECT_EQ(got[0].at("idempotency_key").as_string(),
            "retry-me:" + std::to_string(Row(id).channel_id));
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(events_[0].state, "retrying");
  EXPECT_NE(events_[0].error.find("errcode"), std::string::npos);
  EXPECT_EQ(events_[2].state, "delivered");
}

TEST_P(OutboxTest, WorkerFoldsAStormIntoADigestWithinTheLimit) {
  testing::RobotReceiver receiver;
  ASSERT_TRUE(receiver.Start()) << receiver.log();
  AddChannel("storm", "dingtalk", receiver.Url("/dingtalk/storm?access_token=tok"), "", 5);
  OutboxWorker worker(*services_, NotifySettings{}, listener_);
  for (int i = 0; i < 12; ++i) Enqueue(Page("s" + std::to_string(i), "alert " + std::to_string(i)));
  worker.RunOnce(clock_.NowMillis());  // 4 sent; the rest wait for the storm to settle
  clock_.Advance(std::chrono::milliseconds(1500));
  worker.RunOnce(clock_.NowMillis());  // the last message of the window is the digest
  auto got = receiver.Received("/dingtalk/storm");
  ASSERT_EQ(got.size(), 5u);
  const std::string last(got[4].at("body").at("markdown").at("text").as_string());
  EXPECT_NE(last.find("8 more notifications"), std::string::npos);
  for (int i = 4; i < 12; ++i)
    EXPECT_NE(last.find("alert " + std::to_string(i)), std::string::npos);
  auto folded = store::ReadResult<std::vector<OutboxRow>>(*store_, [&](store::Tx& tx) {
    OutboxFilter f;
    f.state = "folded";
    f.limit = 100;
    return ListOutbox(tx, f);
  });
  ASSERT_TRUE(folded);
  EXPECT_EQ(folded->size(), 8u);
  // Nothing more can go this minute: a new message waits, it is not dropped.
  Enqueue(Page("late", "late alert"));
  auto next = worker.RunOnce(clock_.NowMillis());
  EXPECT_EQ(receiver.Received("/dingtalk/storm").size(), 5u);
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(*next, clock_.NowMillis() + 50'000);
}

TEST_P(OutboxTest, AHangingChannelDoesNotHoldUpAnother) {
  testing::RobotReceiver slow, fast;
  ASSERT_TRUE(slow.Start()) << slow.log();
  ASSERT_TRUE(fast.Start()) << fast.log();
  ASSERT_TRUE(slow.Control(R"({"hang_ms":3000})"));
  Notification n = Page("both");
  n.channel_ids = {AddChannel("slow", "webhook", slow.Url("/webhook/slow")),
                   AddChannel("fast", "webhook", fast.Url("/webhook/fast"))};
  Enqueue(n);
  NotifySettings settings;
  settings.send_timeout = std::chrono::milliseconds(5000);
  OutboxWorker worker(*services_, settings, listener_);
  worker.RunOnce(clock_.NowMillis(), /*wait=*/false);
  EXPECT_TRUE(fast.WaitForCount(1, std::chrono::milliseconds(2000)));
  EXPECT_TRUE(slow.Received().empty());  // still hanging
}

std::string EngineParamName(const ::testing::TestParamInfo<store::Engine>& p) {
  return std::string(store::EngineName(p.param));
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         EngineParamName);

}  // namespace
}  // namespace failsafe::notify
