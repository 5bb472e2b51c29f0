#include "incidents/live_feed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "auth/auth_module.h"
#include "catalog/catalog_module.h"
#include "incidents/incident.h"
#include "incidents/incidents_module.h"
#include "plans/plans_module.h"
#include "store/testing/migrated_store.h"

namespace failsafe::incidents {
namespace {

std::vector<store::Migration> Schema() {
  std::vector<store::Migration> all;
  for (auto list : {auth::Migrations(), catalog::Migrations(), plans::Migrations(), Migrations()}) {
    for (auto& m : list) all.push_back(std::move(m));
  }
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  return all;
}

constexpr int64_t kNow = 1'790'000'000'000;

class LiveFeedTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::MigratedStore>(GetParam(), "livefeed", Schema());
    if (GetParam() == store::Engine::kPostgres && !db_->status().ok()) {
      GTEST_SKIP() << db_->status().message();
    }
    ASSERT_TRUE(db_->status().ok()) << db_->status().message();
  }

  // Declares an incident (InsertIncident writes its "declared" timeline row); returns its ref.
  std::string Declare(const std::string& title) {
    std::string ref;
    Status st = db_->store().Write([&](store::Tx& tx) -> Status {
      NewIncident n{title, "P2", {}, "", "alice"};
      FS_ASSIGN_OR_RETURN_STATUS(auto incident, InsertIncident(tx, n, kNow));
      ref = incident.ref;
      id_of_[ref] = incident.id;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.message();
    return ref;
  }

  void Note(const std::string& ref, const std::string& text) {
    Status st = db_->store().Write([&](store::Tx& tx) {
      return AppendTimeline(tx, id_of_[ref], kNow + 1000, "bob", "note", text);
    });
    ASSERT_TRUE(st.ok()) << st.message();
  }

  static std::string Drain(server::EventStream& s) {
    std::string out;
    s.Take(out);
    return out;
  }

  std::unique_ptr<store::testing::MigratedStore> db_;
  std::map<std::string, int64_t> id_of_;
};

TEST_P(LiveFeedTest, ListenersHearOfChangesMadeAfterTheySubscribed) {
  const std::string before = Declare("Jira down");  // before anyone listens: not sent
  LiveFeed feed(db_->store(), {std::chrono::hours(1), std::chrono::hours(1), 64});
  auto a = feed.Subscribe(std::nullopt);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(Drain(**a), "retry: 2000\n\n");

  const std::string erp = Declare("ERP slow");
  Note(before, "vendor called");
  ASSERT_TRUE(feed.PollOnce().ok());
  const std::string got = Drain(**a);
  EXPECT_NE(got.find("event: incident\ndata: {\"id\":\"" + erp + "\",\"change\":\"created\""),
            std::string::npos)
      << got;
  EXPECT_NE(got.find("{\"id\":\"" + before + "\",\"change\":\"updated\",\"kind\":\"note\""),
            std::string::npos)
      << got;
  // Two blocks of "id / event / data", each ended by a blank line.
  ASSERT_EQ(got.substr(0, 4), "id: ") << got;
  EXPECT_NE(got.find("\"kind\":\"declared\",\"at\":\"" + FormatRfc3339(kNow) + "\"}\n\nid: "),
            std::string::npos)
      << got;
  EXPECT_TRUE(got.ends_with("\"}\n\n")) << got;

  // Nothing new: nothing sent, nothing sent twice.
  ASSERT_TRUE(feed.PollOnce().ok());
  EXPECT_EQ(Drain(**a), "");
}

TEST_P(LiveFeedTest, AReconnectingClientCatchesUpFromLastEventId) {
  LiveFeed feed(db_->store(), {std::chrono::hours(1), std::chrono::hours(1), 64});
  auto first = feed.Subscribe(std::nullopt);
  ASSERT_TRUE(first);
  const std::string ref = Declare("Jira down");
  ASSERT_TRUE(feed.PollOnce().ok());
  const std::string seen = Drain(**first);
  const int64_t last_id = std::stoll(seen.substr(seen.find("id: ") + 4));
  (*first)->Abandon();  // the connection dropped

  Note(ref, "while away 1");
  Note(ref, "while away 2");
  ASSERT_TRUE(feed.PollOnce().ok());  // the poller moved on while the client was away
  auto again = feed.Subscribe(last_id);
  ASSERT_TRUE(again);
  const std::string caught_up = Drain(**again);
  EXPECT_EQ(std::count(caught_up.begin(), caught_up.end(), '{'), 2) << caught_up;
  EXPECT_NE(caught_up.find("id: " + std::to_string(last_id + 1) + "\n"), std::string::npos);
}

TEST_P(LiveFeedTest, ThePollerThreadSendsWithoutBeingAsked) {
  LiveFeed feed(db_->store(), {std::chrono::milliseconds(20), std::chrono::hours(1), 64});
  auto s = feed.Subscribe(std::nullopt);
  ASSERT_TRUE(s);
  int ready = 0;
  (*s)->SetReadyCallback([&ready] { ++ready; });
  const std::string ref = Declare("Jira down");
  std::string got;
  for (int i = 0; i < 200 && got.find(ref) == std::string::npos; ++i) {
    std::string more;
    (*s)->Take(more);
    got += more;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(got.find(ref), std::string::npos) << got;
  EXPECT_GE(ready, 2);  // the retry hint, then the change
}

TEST_P(LiveFeedTest, StopEndsEveryStreamAndRefusesNewOnes) {
  LiveFeed feed(db_->store());
  auto s = feed.Subscribe(std::nullopt);
  ASSERT_TRUE(s);
  feed.Stop();
  std::string out;
  EXPECT_EQ((*s)->Take(out), server::EventStream::Next::kData);  // the retry hint
  EXPECT_EQ((*s)->Take(out), server::EventStream::Next::kEnded);
  EXPECT_FALSE(feed.Subscribe(std::nullopt));
}

TEST_P(LiveFeedTest, PublishedEventsReachOnlyListenersHoldingThePermission) {
  LiveFeed feed(db_->store(), {std::chrono::hours(1), std::chrono::hours(1), 64});
  auto reader =
      feed.Subscribe(std::nullopt, [](std::string_view p) { return p == "backups.read"; });
  auto other = feed.Subscribe(std::nullopt, [](std::string_view) { return false; });
  auto bare = feed.Subscribe(std::nullopt);  // no permits: published events are never sent
  ASSERT_TRUE(reader && other && bare);
  for (auto* s : {&reader, &other, &bare}) Drain(***s);

  feed.Publish("backup.progress", R"({"policy":"erp-db","phase":"saving"})", "backups.read");
  EXPECT_EQ(Drain(**reader),
            "event: backup.progress\ndata: {\"policy\":\"erp-db\",\"phase\":\"saving\"}\n\n");
  EXPECT_EQ(Drain(**other), "");
  EXPECT_EQ(Drain(**bare), "");

  // They carry no id (Last-Event-ID stays the timeline's) and do not disturb incident events.
  const std::string ref = Declare("ERP slow");
  ASSERT_TRUE(feed.PollOnce().ok());
  for (auto* s : {&reader, &other, &bare}) {
    EXPECT_NE(Drain(***s).find("event: incident\ndata: {\"id\":\"" + ref), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, LiveFeedTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         [](const auto& param_info) {
                           return std::string(store::EngineName(param_info.param));
                         });

}  // namespace
}  // namespace failsafe::incidents
