#pragma once
// A compressed run of samples of one series (Gorilla, Pelkonen et al. VLDB 2015):
// timestamps as delta-of-delta in variable-width buckets, values XORed with the previous
// value keeping only the meaningful bits. Regular 15 s scrapes cost about one bit per
// timestamp; constant or slowly changing values one or a few bits per value.
// Not thread-safe: the store guards each chunk with its shard's lock.
#include <cstdint>
#include <memory>
#include <vector>

#include "watch/metrics/series.h"

namespace failsafe::watch {

// Bits appended most significant first to a byte vector.
class BitWriter {
 public:
  void Write(uint64_t bits, int count);  // the low `count` bits of `bits`, 0 < count <= 64
  void WriteBit(bool bit) { Write(bit ? 1 : 0, 1); }
  std::vector<uint8_t>& bytes() { return bytes_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
  int free_bits_ = 0;  // unused low bits of bytes_.back()
};

class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size) : data_(data), size_bits_(size * 8) {}
  // False when fewer than `count` bits remain.
  bool Read(int count, uint64_t* out);

 private:
  const uint8_t* data_;
  size_t size_bits_;
  size_t pos_ = 0;
};

// Decodes the samples with start_ms <= t <= end_ms of an encoded chunk onto `out`.
void DecodeXor(const uint8_t* data, size_t size, int count, int64_t min_t, int64_t start_ms,
               int64_t end_ms, std::vector<Sample>* out);

// A chunk that takes no more samples: just its bytes and bounds, 32 bytes plus the data.
struct SealedChunk {
  int64_t min_t = 0;
  int64_t max_t = 0;
  std::unique_ptr<uint8_t[]> data;
  uint32_t size = 0;
  uint16_t count = 0;

  void Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out) const;
  size_t MemoryBytes() const { return sizeof(*this) + size; }
};

// The chunk samples are appended to.
class XorChunk {
 public:
  // Appends a sample; its timestamp must be greater than the previous one's.
  void Append(Sample s);
  // Decodes all samples with start_ms <= t <= end_ms onto `out`.
  void Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out) const;

  int count() const { return count_; }
  int64_t min_t() const { return min_t_; }
  int64_t max_t() const { return last_t_; }
  // Hands the bytes over to a SealedChunk, leaving this chunk empty for the next samples.
  SealedChunk Seal();
  size_t MemoryBytes() const { return sizeof(*this) + bits_.bytes().capacity(); }

 private:
  void AppendValue(double v);

  BitWriter bits_;
  int64_t min_t_ = 0;
  int64_t last_t_ = 0;
  int64_t last_delta_ = 0;
  uint64_t last_value_bits_ = 0;
  uint16_t count_ = 0;
  uint8_t leading_ = 0xff;  // 0xff: no XOR window yet
  uint8_t trailing_ = 0;
};

}  // namespace failsafe::watch
