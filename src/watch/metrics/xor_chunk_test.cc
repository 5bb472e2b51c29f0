#include "watch/metrics/xor_chunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "watch/metrics/test_samples.h"

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

TEST(XorChunk, AnEmptyChunkSealsToNothing) {
  XorChunk c;
  SealedChunk s = c.Seal();  // found by fuzz/metrics_chunk_fuzz.cc: memcpy from null
  std::vector<Sample> out;
  s.Read(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), &out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(s.size, 0u);
}

TEST(XorChunk, DecimalValuesCostAFewBitsAndRoundTripExactly) {
  // CPU seconds with two decimals: XOR would keep ~50 bits of mantissa noise per value.
  std::mt19937_64 rng(3);
  std::vector<Sample> in;
  double v = 12345.67;
  XorChunk c;
  for (int i = 0; i < 120; ++i) {
    v = std::round((v + static_cast<double>(rng() % 1500) / 100) * 100) / 100;
    in.push_back({1'700'000'000'000 + i * 15'000LL, v});
    c.Append(in.back());
  }
  SealedChunk s = c.Seal();
  EXPECT_LE(s.size, 8u + 4u + 120u * 20u / 8u);  // <= 20 bits a sample
  std::vector<Sample> out;
  s.Read(0, std::numeric_limits<int64_t>::max(), &out);
  ExpectSameSamples(out, in);
}

TEST(XorChunk, MixedDecimalAndBinaryValuesRoundTrip) {
  // Switches between the decimal and XOR paths in every order, including values that look
  // decimal but are not (0.1 + 0.2), -0.0, huge and tiny numbers, NaN payloads.
  std::mt19937_64 rng(11);
  const double specials[] = {
      0.1 + 0.2, -0.0,  0.0, 1e15,     9007199254740993.0, 1e-5,   12.5,
      12.55,     -3.25, NAN, INFINITY, 4503599627370496.5, 0.0001, 123456789.1234};
  std::vector<Sample> in;
  XorChunk c;
  for (int i = 0; i < 2000; ++i) {
    double v;
    switch (rng() % 4) {
      case 0: v = specials[rng() % std::size(specials)]; break;
      case 1:
        v = static_cast<double>(static_cast<int64_t>(rng() % 2000000) - 1000000) / 1000;
        break;
      case 2: v = std::bit_cast<double>(rng()); break;
      default: v = in.empty() ? 1.0 : in.back().value; break;
    }
    in.push_back({1'700'000'000'000 + i * 1000LL, v});
    c.Append(in.back());
  }
  std::vector<Sample> out;
  c.Read(0, std::numeric_limits<int64_t>::max(), &out);
  ExpectSameSamples(out, in);
}

TEST(XorChunk, ReadingFromAnyDecodePointGivesWhatAFullDecodeGives) {
  const std::vector<Sample> in = MixedSamples(120, 5);
  XorChunk c;
  std::vector<DecodePoint> points;
  for (const Sample& s : in) {
    c.Append(s);
    DecodePoint p;
    if (c.PointAtNewest(&p)) {
      EXPECT_EQ(p.index, c.count() - 1);
      EXPECT_EQ(p.t(in.front().t_ms), s.t_ms);
      points.push_back(p);
    }
  }
  ASSERT_EQ(points.size(), in.size() - 1);  // every sample but the first gives one
  const SealedChunk sealed = XorChunk(c).Seal();
  const int64_t last = in.back().t_ms;
  for (const DecodePoint& p : points) {
    const int64_t at = p.t(in.front().t_ms);
    // Windows starting at the point's own sample, just after it, later on, and ending early.
    for (auto [start, end] :
         {std::pair{at, last}, {at + 1, last}, {at + 20'000, last}, {at, at + 45'000}, {at, at}}) {
      std::vector<Sample> want, from_head, from_sealed;
      c.Read(start, end, &want);
      c.Read(start, end, &from_head, &p);
      sealed.Read(start, end, &from_sealed, &p);
      ExpectSameSamples(from_head, want);
      ExpectSameSamples(from_sealed, want);
    }
  }
}

TEST(XorChunk, DecodePointsAreRefusedWhereTheyDoNotFit) {
  XorChunk c;
  DecodePoint p;
  c.Append({1'700'000'000'000, 1});
  EXPECT_FALSE(c.PointAtNewest(&p));  // the first sample needs none
  c.Append({1'700'000'015'000, 2});
  EXPECT_TRUE(c.PointAtNewest(&p));
  c.Append({1'700'000'015'000 + 30LL * 86'400'000, 3});  // a 30-day gap: delta past int32
  EXPECT_FALSE(c.PointAtNewest(&p));
  c.Append({1'700'000'015'000 + 60LL * 86'400'000, 4});  // 60 days since the first sample
  EXPECT_FALSE(c.PointAtNewest(&p));
  EXPECT_EQ(c.Newest(), (Sample{1'700'000'015'000 + 60LL * 86'400'000, 4}));
}

TEST(DecimalState, EveryDecimalOfUpToFourDigitsIsRecognised) {
  // Update rejects most binary fractions with one multiplication; it must never reject a
  // real decimal, or decimal series would silently cost XOR bits.
  std::mt19937_64 rng(17);
  const double pow10[] = {1, 10, 100, 1000, 10000};
  for (int i = 0; i < 200'000; ++i) {
    const int digits = static_cast<int>(rng() % 5);
    const int64_t magnitude = int64_t{1} << (rng() % 50);
    const int64_t scaled =
        static_cast<int64_t>(rng() % static_cast<uint64_t>(magnitude)) * (rng() % 2 == 0 ? 1 : -1);
    const double v = static_cast<double>(scaled) / pow10[digits];
    DecimalState st;
    st.Update(v);
    ASSERT_TRUE(st.valid) << v << " with " << digits << " digits";
    EXPECT_LE(st.digits, digits) << v;
  }
  DecimalState st;
  for (double v : {0.1 + 0.2, 1.0 / 3, 1e-300, 123.456789, std::nan("")}) {
    st.Update(v);
    EXPECT_FALSE(st.valid) << v;
  }
}

}  // namespace
}  // namespace failsafe::watch
