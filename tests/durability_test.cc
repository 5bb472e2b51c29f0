// Acknowledged writes survive kill -9 of the server, on SQLite and on PostgreSQL: writers
// create API tokens as fast as they can, the server is SIGKILLed mid-load, and after a
// restart every token whose creation was acknowledged (201) must be there.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "store/testing/pg_test_server.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace failsafe::testing {
namespace {

constexpr const char* kPassword = "Correct-Horse-Battery-42";

std::string AdminToken(const std::string& address) {
  HttpClient c(address);
  if (c.Login("admin", kPassword).status != 200) return "";
  return c.CreateToken("durability-admin", "admin");
}

std::set<int64_t> ListAllTokenIds(const std::string& address, const std::string& token) {
  HttpClient c(address);
  c.SetBearer(token);
  std::set<int64_t> ids;
  std::string cursor;
  for (int page = 0; page < 10'000; ++page) {
    std::string target = "/api/v1/tokens?all=true&limit=500";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto r = c.Get(target);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) break;
    auto v = r.Json();
    for (auto& item : v.at("items").as_array()) ids.insert(item.at("id").to_number<int64_t>());
    if (v.at("next_cursor").is_null()) break;
    cursor = std::string(v.at("next_cursor").as_string());
  }
  return ids;
}

void KillUnderLoadAndCheck(ServerProcess& server, int rounds) {
  ASSERT_TRUE(server.Start()) << server.log();
  std::string token = AdminToken(server.address());
  ASSERT_FALSE(token.empty()) << server.log();
  std::set<int64_t> acknowledged;
  for (int round = 0; round < rounds; ++round) {
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::atomic<int> acks{0};
    std::atomic<int> writers_alive{4};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        struct Leave {
          std::atomic<int>& alive;
          ~Leave() { --alive; }
        } leave{writers_alive};
        HttpClient c(server.address());
        c.SetBearer(token);
        for (int i = 0; !stop; ++i) {
          boost::json::object body{{"name", "load-" + std::to_string(round) + "-" +
                                                std::to_string(w) + "-" + std::to_string(i)},
                                   {"role", "viewer"}};
          auto r = c.Post("/api/v1/tokens", boost::json::serialize(body));
          if (r.status == 201) {
            std::lock_guard lock(mu);
            acknowledged.insert(r.Json().at("id").to_number<int64_t>());
            ++acks;
          } else if (r.status == 0) {
            return;  // server gone
          }
        }
      });
    }
    // Let some writes through, then kill at a moment that varies per round.
    // Bounded: a server that stops acknowledging must fail the test, not hang CI.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (acks < 50 + round * 37 && writers_alive > 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const bool reached = acks >= 50 + round * 37;
    server.Kill9();
    stop = true;
    for (auto& t : writers) t.join();
    ASSERT_TRUE(reached) << "writers stalled before the kill:\n" << server.log();
    ASSERT_TRUE(server.Start()) << "restart after kill -9 failed:\n" << server.log();
    auto present = ListAllTokenIds(server.address(), token);
    for (int64_t id : acknowledged) {
      EXPECT_TRUE(present.count(id)) << "acknowledged token " << id << " lost after kill -9";
    }
  }
  server.Terminate();
}

TEST(Durability, AcknowledgedWritesSurviveKill9OnSqlite) {
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path() + "/data"));
  KillUnderLoadAndCheck(server, 3);
}

TEST(Durability, AcknowledgedWritesSurviveKill9OnPostgres) {
  auto pg = store::testing::PgTestServer::Start();
  ASSERT_TRUE(pg) << pg.error().ToString();
  auto url = (*pg)->CreateDatabase("durability");
  ASSERT_TRUE(url) << url.error().ToString();
  TempDir dir;
  ServerProcess server([&] {
    auto o = OptionsFor(dir.path() + "/data");
    o.db_url = *url;
    return o;
  }());
  KillUnderLoadAndCheck(server, 2);
}

}  // namespace
}  // namespace failsafe::testing
