#include "backup/ops/progress.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "backup/ops/bounded_queue.h"

namespace failsafe::backup {
namespace {

TEST(Progress, LineShowsBytesFilesRateAndEta) {
  ProgressSample s;
  s.files_done = 9120;
  s.files_total = 20000;
  s.bytes_done = 1ull << 30;
  s.bytes_total = 2ull << 30;
  s.totals_final = true;
  s.elapsed_seconds = 10;
  std::string line = FormatProgressLine(s, 120);
  EXPECT_NE(line.find(" 50% 1.0 GiB / 2.0 GiB"), std::string::npos) << line;
  EXPECT_NE(line.find("9120 / 20000 files"), std::string::npos) << line;
  EXPECT_NE(line.find("102.4 MiB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:10"), std::string::npos) << line;
  EXPECT_EQ(line.rfind("[====================>", 0), 0u) << line;
  EXPECT_LE(FormatProgressLine(s, 60).size(), 60u);
}

TEST(Progress, NoEtaWhileTotalsGrowAndErrorsAreShown) {
  ProgressSample s;
  s.bytes_done = 100;
  s.bytes_total = 200;
  s.elapsed_seconds = 5;
  s.errors = 2;
  std::string line = FormatProgressLine(s, 200);
  EXPECT_NE(line.find("200 B+"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA --:--"), std::string::npos) << line;
  EXPECT_NE(line.find("2 errors"), std::string::npos) << line;
}

TEST(Progress, CountersAddUpAcrossThreads) {
  Progress p;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        p.AddBytes(3);
        p.AddFiles(1);
      }
    });
  for (auto& t : threads) t.join();
  auto s = p.Sample();
  EXPECT_EQ(s.bytes_done, 12000u);
  EXPECT_EQ(s.files_done, 4000u);
}

TEST(BoundedQueue, AProducerWaitsWhileTheQueueIsFull) {
  BoundedQueue<int> q(10);
  ASSERT_TRUE(q.Push(1, 6));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    q.Push(2, 6);  // 12 > 10: waits for the first item to leave
    pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(pushed.load());
  EXPECT_EQ(q.Pop(), 1);
  producer.join();
  EXPECT_TRUE(pushed.load());
  EXPECT_EQ(q.Pop(), 2);
}

TEST(BoundedQueue, AnOversizedItemPassesAnEmptyQueueAndCloseDrains) {
  BoundedQueue<int> q(10);
  ASSERT_TRUE(q.Push(7, 100));
  q.Close();
  EXPECT_FALSE(q.Push(8));
  EXPECT_EQ(q.Pop(), 7);
  EXPECT_EQ(q.Pop(), std::nullopt);
}

}  // namespace
}  // namespace failsafe::backup
