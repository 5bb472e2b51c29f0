#include "backup/chunker/chunker.h"

#include <algorithm>
#include <bit>

namespace failsafe::backup {
namespace {

// A mask of `bits` bits taken from the top of the hash: with h = (h << 1) + gear[byte] the top
// bits mix the most bytes (up to the last 64), the bottom ones only the newest.
uint64_t TopBits(int bits) {
  return bits <= 0 ? 0 : ~uint64_t{0} << (64 - bits);
}

}  // namespace

GearChunker::GearChunker(const GearTable& gear, ChunkSizes sizes) : gear_(gear), sizes_(sizes) {
  // Normalisation level 2 (FastCDC): two bits harder before the average, two easier after.
  int bits = std::countr_zero(std::bit_ceil(sizes.avg));
  mask_strict_ = TopBits(bits + 2);
  mask_loose_ = TopBits(bits - 2);
}

size_t GearChunker::NextCut(const uint8_t* data, size_t len) const {
  if (len <= sizes_.min) return len;
  const size_t avg_end = std::min<size_t>(len, sizes_.avg);
  const size_t max_end = std::min<size_t>(len, sizes_.max);
  uint64_t h = 0;
  size_t i = sizes_.min;
  for (; i < avg_end; ++i) {
    h = (h << 1) + gear_[data[i]];
    if ((h & mask_strict_) == 0) return i + 1;
  }
  for (; i < max_end; ++i) {
    h = (h << 1) + gear_[data[i]];
    if ((h & mask_loose_) == 0) return i + 1;
  }
  return max_end;
}

}  // namespace failsafe::backup
