#include "watch/metrics/xor_chunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace failsafe::watch {
namespace {

// NaN != NaN, so compare the bits: the chunk must give back exactly what went in.
void ExpectSameSamples(const std::vector<Sample>& got, const std::vector<Sample>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].t_ms, want[i].t_ms) << i;
    EXPECT_EQ(std::bit_cast<uint64_t>(got[i].value), std::bit_cast<uint64_t>(want[i].value)) << i;
  }
}

TEST(BitStream, RoundTripsMixedWidths) {
  BitWriter w;
  w.Write(0b101, 3);
  w.Write(0xdeadbeefcafef00dull, 64);
  w.Write(1, 1);
  w.Write(0x3ff, 10);
  BitReader r(w.bytes().data(), w.bytes().size());
  uint64_t v = 0;
  ASSERT_TRUE(r.Read(3, &v));
  EXPECT_EQ(v, 0b101u);
  ASSERT_TRUE(r.Read(64, &v));
  EXPECT_EQ(v, 0xdeadbeefcafef00dull);
  ASSERT_TRUE(r.Read(1, &v));
  EXPECT_EQ(v, 1u);
  ASSERT_TRUE(r.Read(10, &v));
  EXPECT_EQ(v, 0x3ffu);
  ASSERT_TRUE(r.Read(2, &v));  // 78 bits written: 2 bits of padding in the last byte
  EXPECT_FALSE(r.Read(1, &v));
}

TEST(XorChunk, RoundTripsAwkwardValuesAndIntervals) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Sample> in = {
      {1'700'000'000'000, 1.0},      {1'700'000'015'000, 1.0},
      {1'700'000'030'003, 2.5},      {1'700'000'044'990, -0.0},
      {1'700'000'045'000, NAN},      {1'700'000'060'000, inf},
      {1'700'000'075'000, -inf},     {1'700'000'090'000, 1e-300},
      {1'700'003'690'000, 1e300},    {1'700'003'690'001, 0.1},
      {1'800'000'000'000, 12345.67}, {1'800'000'000'100, std::numeric_limits<double>::denorm_min()},
  };
  XorChunk c;
  for (const Sample& s : in) c.Append(s);
  EXPECT_EQ(c.count(), static_cast<int>(in.size()));
  std::vector<Sample> out;
  c.Read(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), &out);
  ExpectSameSamples(out, in);

  SealedChunk sealed = c.Seal();
  EXPECT_EQ(c.count(), 0);
  out.clear();
  sealed.Read(0, std::numeric_limits<int64_t>::max(), &out);
  ExpectSameSamples(out, in);
}

TEST(XorChunk, RandomWalkRoundTripAndRangeRead) {
  std::mt19937_64 rng(42);
  std::vector<Sample> in;
  int64_t t = 1'700'000'000'000;
  double v = 100;
  XorChunk c;
  for (int i = 0; i < 1000; ++i) {
    t += 15'000 + static_cast<int64_t>(rng() % 41) - 20;
    v += static_cast<double>(rng() % 1000) / 100.0;
    in.push_back({t, v});
    c.Append(in.back());
  }
  std::vector<Sample> out;
  c.Read(in[100].t_ms, in[199].t_ms, &out);
  ExpectSameSamples(out, std::vector<Sample>(in.begin() + 100, in.begin() + 200));
  out.clear();
  c.Read(in.back().t_ms + 1, in.back().t_ms + 100, &out);
  EXPECT_TRUE(out.empty());
}

TEST(XorChunk, RegularScrapesOfSteadyValuesCostAboutTwoBitsPerSample) {
  XorChunk c;
  for (int i = 0; i < 120; ++i) c.Append({1'700'000'000'000 + i * 15'000LL, 42.0});
  SealedChunk s = c.Seal();
  // 8 bytes for the first value, a delta bucket for the second timestamp, then 2 bits each.
  EXPECT_LE(s.size, 8u + 4u + 120u * 2u / 8u + 1u);
}

}  // namespace
}  // namespace failsafe::watch
