#include "backup/ops/chunk_ring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace failsafe::backup {
namespace {

using namespace std::chrono_literals;

TEST(ChunkRing, SpansAreDisjointAndReusedOnceGivenBackInOrder) {
  ChunkRing ring(100);
  auto a = ring.Take(40);
  auto b = ring.Take(40);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->data, a->data + 40);
  EXPECT_EQ(ring.in_use(), 80u);
  // b given back first: nothing is reclaimed while a, taken before it, is still out.
  ring.Give(*b);
  EXPECT_EQ(ring.in_use(), 80u);
  ring.Give(*a);
  EXPECT_EQ(ring.in_use(), 0u);
  auto c = ring.Take(100);  // the whole ring, from its start again
  ASSERT_TRUE(c);
  EXPECT_EQ(c->data, a->data);
  ring.Give(*c);
}

TEST(ChunkRing, WrapsToTheStartWhenTheEndIsTooShort) {
  ChunkRing ring(100);
  auto a = ring.Take(30);
  auto b = ring.Take(50);
  ASSERT_TRUE(a && b);
  ring.Give(*a);  // [0, 30) free, [80, 100) free: 25 bytes only fit at the start
  auto c = ring.Take(25);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->data, a->data);
  // Wrapped: the free space is [25, 30) now, plus nothing at the end until b is back.
  EXPECT_EQ(ring.in_use(), 100u - 30u + 25u);
  ring.Give(*b);
  ring.Give(*c);
  EXPECT_EQ(ring.in_use(), 0u);
}

TEST(ChunkRing, ATakeWaitsUntilEnoughIsGivenBack) {
  ChunkRing ring(100);
  auto a = ring.Take(60);
  ASSERT_TRUE(a);
  std::atomic<bool> taken{false};
  std::thread t([&] {
    auto b = ring.Take(60);
    ASSERT_TRUE(b);
    taken = true;
    ring.Give(*b);
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(taken.load());
  ring.Give(*a);
  t.join();
  EXPECT_TRUE(taken.load());
}

TEST(ChunkRing, ShrinkFreesTheTailOfTheNewestSpan) {
  ChunkRing ring(100);
  auto a = ring.Take(90);
  ASSERT_TRUE(a);
  ring.Shrink(*a, 10);
  EXPECT_EQ(a->size, 10u);
  auto b = ring.Take(90);  // fits right after the shrunk span, without waiting
  ASSERT_TRUE(b);
  EXPECT_EQ(b->data, a->data + 10);
  ring.Give(*a);
  ring.Give(*b);
}

TEST(ChunkRing, EmptySpansAndOversizedRequests) {
  ChunkRing ring(100);
  auto empty = ring.Take(0);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size, 0u);
  ring.Give(*empty);
  EXPECT_EQ(ring.in_use(), 0u);
  EXPECT_FALSE(ring.Take(101));  // can never fit: refused rather than waiting forever
}

TEST(ChunkRing, CloseWakesAWaitingTake) {
  ChunkRing ring(10);
  auto a = ring.Take(10);
  ASSERT_TRUE(a);
  std::thread t([&] { EXPECT_FALSE(ring.Take(5)); });
  std::this_thread::sleep_for(20ms);
  ring.Close();
  t.join();
}

// Several takers and givers at once, spans given back out of order: no two spans that are
// out at the same time overlap (each is filled with its ticket and checked before it is
// given back), and everything is reclaimed at the end.
TEST(ChunkRing, ConcurrentTakersAndGiversNeverOverlap) {
  ChunkRing ring(1 << 16);
  std::mutex mu;
  std::vector<ChunkRing::Span> out;
  std::atomic<int> producers{3};
  std::vector<std::thread> threads;
  for (int p = 0; p < 3; ++p) {
    threads.emplace_back([&, p] {
      std::mt19937 rng(static_cast<unsigned>(p));
      for (int i = 0; i < 3000; ++i) {
        auto span = ring.Take(rng() % 9000);
        ASSERT_TRUE(span);
        std::memset(span->data, static_cast<int>(span->ticket & 0xff), span->size);
        std::lock_guard lock(mu);
        out.push_back(*span);
      }
      --producers;
    });
  }
  for (int c = 0; c < 2; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937 rng(static_cast<unsigned>(100 + c));
      for (;;) {
        ChunkRing::Span span;
        {
          std::lock_guard lock(mu);
          if (out.empty() && producers.load() == 0) return;
        }
        {
          std::unique_lock lock(mu);
          if (out.empty()) {
            lock.unlock();
            std::this_thread::yield();
            continue;
          }
          const size_t pick = rng() % out.size();  // out of order
          span = out[pick];
          out.erase(out.begin() + static_cast<std::ptrdiff_t>(pick));
        }
        for (size_t i = 0; i < span.size; ++i)
          ASSERT_EQ(static_cast<unsigned char>(span.data[i]), span.ticket & 0xff)
              << "span " << span.ticket << " was overwritten at byte " << i;
        ring.Give(span);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ring.in_use(), 0u);
}

}  // namespace
}  // namespace failsafe::backup
