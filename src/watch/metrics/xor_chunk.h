#pragma once
// A compressed run of samples of one series (Gorilla, Pelkonen et al. VLDB 2015):
// timestamps as delta-of-delta in variable-width buckets, values XORed with the previous
// value keeping only the meaningful bits, except decimal values, which are stored as scaled
// integer deltas (DecimalState; measured in bench/metrics/README.md).
// Per value after the first: "0" same value, "10"+bucket decimal delta, "11"+Gorilla XOR. Regular
// 15 s scrapes cost about one bit per timestamp; constant or slowly changing values one or a few
// bits per value. Not thread-safe: the store guards each chunk with its shard's lock.
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
  size_t bit_count() const { return bytes_.size() * 8 - static_cast<size_t>(free_bits_); }

 private:
  std::vector<uint8_t> bytes_;
  int free_bits_ = 0;  // unused low bits of bytes_.back()
};

class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size) : next_(data), end_(data + size) {}
  // False when fewer than `count` bits remain (0 <= count <= 64).
  bool Read(int count, uint64_t* out) {
    if (count > 32) {  // the buffer always holds 57+ bits after a refill: split wide reads
      uint64_t high = 0, low = 0;
      if (!Read(count - 32, &high) || !Read(32, &low)) return false;
      *out = (high << 32) | low;
      return true;
    }
    if (count == 0) {
      *out = 0;
      return true;
    }
    if (avail_ < count) {
      while (avail_ <= 56 && next_ != end_) {
        buffer_ |= uint64_t{*next_++} << (56 - avail_);
        avail_ += 8;
      }
      if (avail_ < count) return false;
    }
    *out = buffer_ >> (64 - count);
    buffer_ <<= count;
    avail_ -= count;
    return true;
  }

 private:
  const uint8_t* next_;
  const uint8_t* end_;
  uint64_t buffer_ = 0;  // the next bits, most significant first
  int avail_ = 0;        // how many bits of buffer_ are loaded
};

// Values that are decimals with up to four fractional digits (CPU seconds like 12345.67,
// byte counts, load averages) are stored as the difference of value * 10^digits from the
// previous one: a few bits where XOR would keep the whole noisy mantissa. Encoder and
// decoder both derive this state from the values themselves, so it costs no bits.
struct DecimalState {
  static constexpr int kMaxDigits = 5;  // 0..4 fractional digits
  bool valid = false;
  uint8_t digits = 0;
  int64_t scaled = 0;  // the last value * 10^digits, exactly

  // The value * 10^digits when that is an integer below 2^53 that divides back to `v`.
  bool Scale(double v, int64_t* out) const;
  double ValueOf(int64_t scaled_value) const;
  void Update(double v);

 private:
  static bool ScaleWith(double v, int d, int64_t* out);
};

// Where decoding can resume inside a chunk: the decoder's state just after the sample at
// `index` (whose timestamp is the chunk's min_t + t_offset). Reading the last minutes of a
// chunk from a point decodes about those minutes instead of the whole chunk (a 5 m window is
// 20 of a chunk's 120 samples). The memory store keeps a few per series; 32 bytes each (the
// decimal state's scaled value is worked out again from the value).
struct DecodePoint {
  uint64_t value_bits = 0;
  uint32_t t_offset = 0;
  int32_t delta = 0;  // the timestamp delta that led to the sample
  uint32_t bit_offset = 0;
  uint16_t index = 0;  // 0: no point (sample 0 needs none)
  uint8_t leading = 0;
  uint8_t trailing = 0;
  uint8_t decimal_digits = 0;
  bool decimal_valid = false;

  int64_t t(int64_t chunk_min_t) const { return chunk_min_t + t_offset; }
};

// Decodes the samples with start_ms <= t <= end_ms of an encoded chunk onto `out`, starting at
// `from` when given (a point of this same chunk at or before start_ms), else at the start.
void DecodeXor(const uint8_t* data, size_t size, int count, int64_t min_t, int64_t start_ms,
               int64_t end_ms, std::vector<Sample>* out, const DecodePoint* from = nullptr);

// A chunk that takes no more samples: just its bytes and bounds, 32 bytes plus the data.
struct SealedChunk {
  int64_t min_t = 0;
  int64_t max_t = 0;
  std::unique_ptr<uint8_t[]> data;
  uint32_t size = 0;
  uint16_t count = 0;

  void Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out,
            const DecodePoint* from = nullptr) const;
  size_t MemoryBytes() const { return sizeof(*this) + size; }
};

// The chunk samples are appended to.
class XorChunk {
 public:
  // Appends a sample; its timestamp must be greater than the previous one's.
  void Append(Sample s);
  // Decodes all samples with start_ms <= t <= end_ms onto `out` (from `from`: DecodeXor).
  void Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out,
            const DecodePoint* from = nullptr) const;
  // The point just after the newest sample, or false when it does not fit a DecodePoint (the
  // first sample, chunks spanning more than 49 days, a 24-day gap): points are optional.
  bool PointAtNewest(DecodePoint* out) const;
  // The newest sample, without decoding; count() must be > 0.
  Sample Newest() const;

  void Prefetch() const { __builtin_prefetch(bits_.bytes().data()); }

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
  DecimalState decimal_;
  uint8_t leading_ = 0xff;  // 0xff: no XOR window yet
  uint8_t trailing_ = 0;
};

}  // namespace failsafe::watch
