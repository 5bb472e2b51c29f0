#pragma once
// Content-defined chunking with a gear rolling hash, FastCDC style (docs/backup-format.md,
// "Chunking"): no cut before `min`, a harder condition until `avg` and an easier one after
// it (normalised chunking, so sizes cluster around the average), a forced cut at `max`.
// The gear table is per repository, so the same content cuts at the same places in one
// repository but boundaries reveal nothing across repositories.
#include <array>
#include <cstddef>
#include <cstdint>

namespace failsafe::backup {

struct ChunkSizes {
  uint32_t min = 512 * 1024;
  uint32_t avg = 1024 * 1024;  // a power of two
  uint32_t max = 8 * 1024 * 1024;
};

using GearTable = std::array<uint64_t, 256>;

class GearChunker {
 public:
  GearChunker(const GearTable& gear, ChunkSizes sizes);

  // The length of the chunk that starts at `data`. `len` is what is available: at least
  // `max` bytes unless the input ends within them, in which case the rest is one chunk if
  // no cut is found.
  size_t NextCut(const uint8_t* data, size_t len) const;

  const ChunkSizes& sizes() const { return sizes_; }

 private:
  const GearTable& gear_;
  ChunkSizes sizes_;
  uint64_t mask_strict_;  // before the average: cut less often
  uint64_t mask_loose_;   // after it: cut more often
};

}  // namespace failsafe::backup
