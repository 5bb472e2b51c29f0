#include "watch/metrics/series_chunks.h"

#include <gtest/gtest.h>

#include <bit>
#include <limits>
#include <string>

#include "watch/metrics/test_samples.h"

namespace failsafe::watch {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::min();

// The samples of `all` in [start, end].
std::vector<Sample> Window(const std::vector<Sample>& all, int64_t start, int64_t end) {
  std::vector<Sample> out;
  for (const Sample& s : all) {
    if (s.t_ms >= start && s.t_ms <= end) out.push_back(s);
  }
  return out;
}

void ExpectSame(const std::vector<Sample>& got, const std::vector<Sample>& want,
                const std::string& where) {
  ASSERT_EQ(got.size(), want.size()) << where;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].t_ms, want[i].t_ms) << where << " sample " << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(got[i].value), std::bit_cast<uint64_t>(want[i].value))
        << where << " sample " << i;
  }
}

// After every append, windows of 1 to 140 samples (around the point spacing of 32) ending at
// the newest sample or a few before it: as the head fills and seals, windows end in the head, start
// in the newest sealed chunk (where only its points help) or span several chunks, across every
// chunk boundary.
void CheckTailWindows(int samples_per_chunk) {
  const std::vector<Sample> all = MixedSamples(300, static_cast<uint64_t>(samples_per_chunk));
  SeriesChunks chunks;
  for (size_t n = 0; n < all.size(); ++n) {
    chunks.Append(all[n], samples_per_chunk, kNever);
    ASSERT_EQ(chunks.newest_t(), all[n].t_ms);
    for (size_t back : {size_t{0}, size_t{3}}) {
      if (back > n) continue;
      const int64_t end = all[n - back].t_ms;
      for (size_t len : {1, 2, 19, 20, 21, 31, 32, 33, 34, 40, 63, 64, 65, 66, 97, 121, 140}) {
        if (len > n - back + 1) break;
        const int64_t start = all[n - back - len + 1].t_ms - (len % 2);  // on a sample or before
        std::vector<Sample> got;
        chunks.Read(start, end, false, &got);
        const std::string where = "chunk " + std::to_string(samples_per_chunk) + ", after " +
                                  std::to_string(n + 1) + " samples, window of " +
                                  std::to_string(len) + " ending " + std::to_string(back) + " back";
        ExpectSame(got, Window(all, start, end), where);
        std::vector<Sample> newest;
        chunks.Read(start, end, true, &newest);
        ExpectSame(newest, {all[n - back]}, where + ", newest only");
      }
    }
  }
}

TEST(SeriesChunks, TailWindowsReadLikeAFullDecodeAtEveryChunkBoundary) {
  CheckTailWindows(120);  // the store's default: points at 32, 64 and 96
  CheckTailWindows(33);   // one point per chunk: the ring spans three chunks
  CheckTailWindows(10);   // chunks too small for points
}

TEST(SeriesChunks, NewestOnlyFindsTheNewestSampleInAPastWindow) {
  const std::vector<Sample> all = MixedSamples(300, 9);
  SeriesChunks chunks;
  for (const Sample& s : all) chunks.Append(s, 120, kNever);
  std::vector<Sample> got;
  chunks.Read(all[150].t_ms - 1, all[200].t_ms + 1, true, &got);  // ends before the head's newest
  ExpectSame(got, {all[200]}, "past window");
  got.clear();
  chunks.Read(all.back().t_ms + 1, all.back().t_ms + 100'000, true, &got);
  EXPECT_TRUE(got.empty());
  chunks.Read(all[10].t_ms + 1, all[11].t_ms - 1, true, &got);  // between two samples
  EXPECT_TRUE(got.empty());
}

TEST(SeriesChunks, RetentionDropsWholeChunksAndReadsStayRight) {
  const std::vector<Sample> all = MixedSamples(1000, 4);
  SeriesChunks chunks;
  const int64_t retention = 3600'000;
  for (const Sample& s : all) chunks.Append(s, 40, s.t_ms - retention);
  // 1 h is 240 samples, 6 chunks of 40; one more may be kept until the next seal.
  EXPECT_GE(chunks.chunk_count(), 6u);
  EXPECT_LE(chunks.chunk_count(), 8u);
  const int64_t newest = all.back().t_ms;
  std::vector<Sample> got;
  chunks.Read(newest - retention, newest, false, &got);
  ExpectSame(got, Window(all, newest - retention, newest), "last hour");
  chunks.DropChunksBefore(newest - 600'000);
  got.clear();
  chunks.Read(newest - 300'000, newest, false, &got);
  ExpectSame(got, Window(all, newest - 300'000, newest), "last 5 minutes after a trim");
}

}  // namespace
}  // namespace failsafe::watch
