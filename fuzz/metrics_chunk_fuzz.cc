// Fuzzes the sample compression (xor_chunk.h) for exact round trips: any sequence of
// timestamps and values, decimal-looking or not, NaN payloads included, must decode to the
// same bits, and reading on from any decode point must give what a full decode gives. Not
// outside input, but the decimal/XOR switching is easy to get subtly wrong.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "watch/metrics/xor_chunk.h"

using namespace failsafe::watch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Each 10 bytes: a 2-byte timestamp step and 8 bytes that are either a raw double or,
  // when the top byte is small, a decimal built from an integer and a digit count.
  std::vector<Sample> in;
  int64_t t = 1'700'000'000'000;
  for (size_t i = 0; i + 10 <= size; i += 10) {
    uint16_t step;
    uint64_t bits;
    std::memcpy(&step, data + i, 2);
    std::memcpy(&bits, data + i + 2, 8);
    t += 1 + step;
    double v = std::bit_cast<double>(bits);
    if ((bits >> 56) < 0x40) {
      static constexpr double kPow10[] = {1, 10, 100, 1000, 10000, 100000};
      const int64_t mantissa = static_cast<int32_t>(bits & 0xffffffff);
      v = static_cast<double>(mantissa) / kPow10[(bits >> 32) % 6];
    }
    in.push_back({t, v});
  }
  XorChunk chunk;
  std::vector<DecodePoint> points;
  for (const Sample& s : in) {
    chunk.Append(s);
    DecodePoint p;
    if (chunk.PointAtNewest(&p)) points.push_back(p);
  }
  std::vector<Sample> out;
  const SealedChunk sealed = chunk.Seal();
  sealed.Read(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), &out);
  if (out.size() != in.size()) __builtin_trap();
  for (size_t i = 0; i < in.size(); ++i) {
    if (out[i].t_ms != in[i].t_ms ||
        std::bit_cast<uint64_t>(out[i].value) != std::bit_cast<uint64_t>(in[i].value)) {
      __builtin_trap();
    }
  }
  // Some 16 points spread over the chunk: every one would make a run quadratic in its size.
  for (size_t k = 0; k < points.size(); k += points.size() / 16 + 1) {
    const DecodePoint& p = points[k];
    std::vector<Sample> from_point;
    sealed.Read(p.t(sealed.min_t), std::numeric_limits<int64_t>::max(), &from_point, &p);
    if (from_point.size() != in.size() - p.index) __builtin_trap();
    for (size_t i = 0; i < from_point.size(); ++i) {
      const Sample& want = in[p.index + i];
      if (from_point[i].t_ms != want.t_ms ||
          std::bit_cast<uint64_t>(from_point[i].value) != std::bit_cast<uint64_t>(want.value)) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
