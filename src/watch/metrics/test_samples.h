#pragma once
// Sample sequences for the chunk tests: values over every encoding path of xor_chunk.h
// (repeats, decimal deltas of every width, XOR with a reused and a fresh window, arbitrary
// bit patterns), 15 s apart with a few milliseconds of jitter.
#include <bit>
#include <cmath>
#include <random>
#include <vector>

#include "watch/metrics/series.h"

namespace failsafe::watch {

inline std::vector<Sample> MixedSamples(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Sample> out;
  int64_t t = 1'700'000'000'000;
  double v = 12345.67;
  for (int i = 0; i < n; ++i) {
    t += 15'000 + static_cast<int64_t>(rng() % 7) - 3;
    switch (rng() % 6) {
      case 0: break;  // the same value
      case 1: v = std::round((v + static_cast<double>(rng() % 1500) / 100) * 100) / 100; break;
      case 2: v += static_cast<double>(rng() % 100'000'000); break;
      case 3: v = std::bit_cast<double>(rng()); break;
      case 4: v = v * 1.0000001; break;
      default: v = static_cast<double>(rng() % 1000) / 8; break;
    }
    out.push_back({t, v});
  }
  return out;
}

}  // namespace failsafe::watch
