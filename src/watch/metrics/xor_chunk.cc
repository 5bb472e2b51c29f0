// Gorilla-style sample compression (xor_chunk.h).
#include "watch/metrics/xor_chunk.h"

#include <bit>
#include <cstring>

namespace failsafe::watch {
namespace {

// Delta-of-delta buckets: a prefix of 1s ended by a 0 selects the payload width. Millisecond
// scrape jitter mostly fits 7 bits; a changed interval fits 14 or 20; anything else 64.
struct Bucket {
  int prefix_bits;
  uint64_t prefix;
  int payload_bits;
};
constexpr Bucket kBuckets[] = {{2, 0b10, 7}, {3, 0b110, 14}, {4, 0b1110, 20}, {4, 0b1111, 64}};

bool FitsSigned(int64_t v, int bits) {
  if (bits == 64) return true;
  const int64_t lo = -(int64_t{1} << (bits - 1));
  const int64_t hi = (int64_t{1} << (bits - 1)) - 1;
  return v >= lo && v <= hi;
}

int64_t SignExtend(uint64_t v, int bits) {
  if (bits == 64) return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

uint64_t DoubleBits(double v) {
  return std::bit_cast<uint64_t>(v);
}

}  // namespace

void BitWriter::Write(uint64_t bits, int count) {
  if (count < 64) bits &= (uint64_t{1} << count) - 1;
  while (count > 0) {
    if (free_bits_ == 0) {
      bytes_.push_back(0);
      free_bits_ = 8;
    }
    const int take = count < free_bits_ ? count : free_bits_;
    const uint64_t chunk = (bits >> (count - take)) & ((uint64_t{1} << take) - 1);
    bytes_.back() |= static_cast<uint8_t>(chunk << (free_bits_ - take));
    free_bits_ -= take;
    count -= take;
  }
}

bool BitReader::Read(int count, uint64_t* out) {
  if (size_bits_ - pos_ < static_cast<size_t>(count)) return false;
  uint64_t v = 0;
  while (count > 0) {
    const size_t byte = pos_ / 8;
    const int bit_in_byte = static_cast<int>(pos_ % 8);
    const int avail = 8 - bit_in_byte;
    const int take = count < avail ? count : avail;
    const uint64_t bits = (data_[byte] >> (avail - take)) & ((1u << take) - 1);
    v = (v << take) | bits;
    pos_ += take;
    count -= take;
  }
  *out = v;
  return true;
}

void XorChunk::Append(Sample s) {
  if (count_ == 0) {
    min_t_ = last_t_ = s.t_ms;
    last_value_bits_ = DoubleBits(s.value);
    bits_.bytes().reserve(32);
    bits_.Write(last_value_bits_, 64);
    count_ = 1;
    return;
  }
  const int64_t delta = s.t_ms - last_t_;
  const int64_t dod = delta - last_delta_;
  if (dod == 0) {
    bits_.WriteBit(false);
  } else {
    for (const Bucket& b : kBuckets) {
      if (FitsSigned(dod, b.payload_bits)) {
        bits_.Write(b.prefix, b.prefix_bits);
        bits_.Write(static_cast<uint64_t>(dod), b.payload_bits);
        break;
      }
    }
  }
  last_delta_ = delta;
  last_t_ = s.t_ms;
  AppendValue(s.value);
  ++count_;
}

void XorChunk::AppendValue(double v) {
  const uint64_t bits = DoubleBits(v);
  const uint64_t x = bits ^ last_value_bits_;
  last_value_bits_ = bits;
  if (x == 0) {
    bits_.WriteBit(false);
    return;
  }
  bits_.WriteBit(true);
  int leading = std::countl_zero(x);
  const int trailing = std::countr_zero(x);
  if (leading > 31) leading = 31;  // 5 bits hold the count
  if (leading_ != 0xff && leading >= leading_ && trailing >= trailing_) {
    // The meaningful bits fit the previous window: reuse it.
    bits_.WriteBit(false);
    bits_.Write(x >> trailing_, 64 - leading_ - trailing_);
    return;
  }
  leading_ = static_cast<uint8_t>(leading);
  trailing_ = static_cast<uint8_t>(trailing);
  const int significant = 64 - leading - trailing;
  bits_.WriteBit(true);
  bits_.Write(static_cast<uint64_t>(leading), 5);
  bits_.Write(static_cast<uint64_t>(significant == 64 ? 0 : significant), 6);
  bits_.Write(x >> trailing, significant);
}

SealedChunk XorChunk::Seal() {
  SealedChunk sealed;
  sealed.min_t = min_t_;
  sealed.max_t = last_t_;
  sealed.count = count_;
  sealed.size = static_cast<uint32_t>(bits_.bytes().size());
  sealed.data = std::make_unique_for_overwrite<uint8_t[]>(sealed.size);
  std::memcpy(sealed.data.get(), bits_.bytes().data(), sealed.size);
  *this = XorChunk();
  return sealed;
}

void XorChunk::Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out) const {
  if (count_ == 0 || last_t_ < start_ms || min_t_ > end_ms) return;
  DecodeXor(bits_.bytes().data(), bits_.bytes().size(), count_, min_t_, start_ms, end_ms, out);
}

void SealedChunk::Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out) const {
  if (count == 0 || max_t < start_ms || min_t > end_ms) return;
  DecodeXor(data.get(), size, count, min_t, start_ms, end_ms, out);
}

void DecodeXor(const uint8_t* data, size_t size, int count, int64_t min_t, int64_t start_ms,
               int64_t end_ms, std::vector<Sample>* out) {
  BitReader r(data, size);
  uint64_t value_bits = 0;
  if (!r.Read(64, &value_bits)) return;
  int64_t t = min_t;
  int64_t delta = 0;
  int leading = 0;
  int trailing = 0;
  auto emit = [&] {
    if (t >= start_ms && t <= end_ms) out->push_back({t, std::bit_cast<double>(value_bits)});
  };
  emit();
  for (int i = 1; i < count; ++i) {
    uint64_t bit = 0;
    if (!r.Read(1, &bit)) return;
    int64_t dod = 0;
    if (bit == 1) {
      const Bucket* chosen = &kBuckets[3];
      for (int b = 0; b < 3; ++b) {
        if (!r.Read(1, &bit)) return;
        if (bit == 0) {
          chosen = &kBuckets[b];
          break;
        }
      }
      uint64_t payload = 0;
      if (!r.Read(chosen->payload_bits, &payload)) return;
      dod = SignExtend(payload, chosen->payload_bits);
    }
    delta += dod;
    t += delta;
    if (!r.Read(1, &bit)) return;
    if (bit == 1) {
      if (!r.Read(1, &bit)) return;
      if (bit == 1) {
        uint64_t lead = 0, sig = 0;
        if (!r.Read(5, &lead) || !r.Read(6, &sig)) return;
        if (sig == 0) sig = 64;
        leading = static_cast<int>(lead);
        trailing = 64 - leading - static_cast<int>(sig);
      }
      uint64_t meaningful = 0;
      if (!r.Read(64 - leading - trailing, &meaningful)) return;
      value_bits ^= meaningful << trailing;
    }
    if (t > end_ms) return;
    emit();
  }
}

}  // namespace failsafe::watch
