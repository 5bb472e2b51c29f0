#include "backup/archive/walk_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>

namespace failsafe::backup::archive {
namespace {

// Posts a complete tree of tasks `fanout` wide and `depth` deep; each task counts itself.
void PostTree(WalkPool& pool, std::atomic<int>& ran, int fanout, int depth) {
  ran.fetch_add(1);
  if (depth == 0) return;
  for (int i = 0; i < fanout; ++i)
    pool.Post([&pool, &ran, fanout, depth] { PostTree(pool, ran, fanout, depth - 1); });
}

TEST(WalkPool, WaitReturnsAfterEveryNestedTask) {
  for (int threads : {1, 2, 8}) {
    WalkPool pool(threads, 64);
    std::atomic<int> ran{0};
    pool.Post([&] { PostTree(pool, ran, 4, 4); });
    pool.Wait();
    EXPECT_EQ(ran.load(), 1 + 4 + 16 + 64 + 256) << threads << " threads";
  }
}

TEST(WalkPool, AFullQueueRunsTasksInThePostingThread) {
  WalkPool pool(2, 3);
  std::atomic<int> ran{0};
  pool.Post([&] { PostTree(pool, ran, 10, 3); });
  pool.Wait();
  EXPECT_EQ(ran.load(), 1 + 10 + 100 + 1000);
  EXPECT_LE(pool.max_queued_seen(), 3u);
  EXPECT_GE(pool.max_queued_seen(), 1u);
}

TEST(WalkPool, TasksRunAtTheSameTime) {
  // Four tasks that each wait until all four have started: only finishes if four threads
  // run them at once (a bounded wait, so a failure is a failed test, not a hang).
  WalkPool pool(4, 16);
  std::atomic<int> started{0};
  std::atomic<int> met{0};
  for (int i = 0; i < 4; ++i)
    pool.Post([&] {
      started.fetch_add(1);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (started.load() < 4 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
      if (started.load() == 4) met.fetch_add(1);
    });
  pool.Wait();
  EXPECT_EQ(met.load(), 4);
}

TEST(WalkPool, DestructorWaitsForPostedTasks) {
  std::atomic<int> ran{0};
  {
    WalkPool pool(3, 8);
    for (int i = 0; i < 8; ++i)
      pool.Post([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ran.fetch_add(1);
      });
  }
  EXPECT_EQ(ran.load(), 8);
}

}  // namespace
}  // namespace failsafe::backup::archive
