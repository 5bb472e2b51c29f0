// Gorilla-style sample compression (xor_chunk.h).
#include "watch/metrics/xor_chunk.h"

#include <bit>
#include <cmath>
#include <cstdint>
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

// Value deltas of decimal values (see DecimalState), after the value's "10" tag.
constexpr Bucket kValueBuckets[] = {{1, 0b0, 7}, {2, 0b10, 14}, {3, 0b110, 24}, {3, 0b111, 40}};

// Reads a bucket's prefix after its leading 1 (timestamps) or from its start (values): both
// tables are selected by the position of the first 0 among up to three bits.
const Bucket* ReadBucket(BitReader& r, const Bucket (&table)[4]) {
  uint64_t bit = 0;
  for (int b = 0; b < 3; ++b) {
    if (!r.Read(1, &bit)) return nullptr;
    if (bit == 0) return &table[b];
  }
  return &table[3];
}

constexpr double kPow10[] = {1, 10, 100, 1000, 10000};
constexpr double kTwo53 = 9007199254740992.0;

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

bool DecimalState::ScaleWith(double v, int d, int64_t* out) {
  const double x = v * kPow10[d];
  if (!(std::fabs(x) < kTwo53)) return false;  // also refuses NaN and infinities
  // Rounds half away from zero like llround, without the libm call (|x| < 2^53 here).
  const int64_t i = static_cast<int64_t>(x < 0 ? x - 0.5 : x + 0.5);
  // The decoder divides; the value must come back bit for bit (so -0.0 and 0.1+0.2 do not).
  if (DoubleBits(static_cast<double>(i) / kPow10[d]) != DoubleBits(v)) return false;
  *out = i;
  return true;
}

bool DecimalState::Scale(double v, int64_t* out) const {
  return valid && ScaleWith(v, digits, out);
}

double DecimalState::ValueOf(int64_t scaled_value) const {
  return static_cast<double>(scaled_value) / kPow10[digits];
}

namespace {

// False when `v` surely has more than four decimal digits: then v * 10^4 is not within
// rounding error of an integer. If v = i / 10^d rounded (d <= 4), v * 10^4 is within
// |v * 10^4| * 2^-52 of i * 10^(4-d); 2^-50 leaves room. One multiplication, where trying
// every digit count costs five multiplications and five divisions (decoding measured it).
bool MayBeDecimal(double v) {
  const double x = v * kPow10[DecimalState::kMaxDigits - 1];
  if (!(std::fabs(x) < kTwo53)) return true;  // too big to tell here (or NaN): let Scale see
  const double nearest = static_cast<double>(static_cast<int64_t>(x < 0 ? x - 0.5 : x + 0.5));
  return std::fabs(x - nearest) <= std::fabs(x) * 0x1p-50;
}

}  // namespace

void DecimalState::Update(double v) {
  // Digits only grow within a chunk: a counter at 12.5 then 12.55 keeps two digits, so a
  // later 12.6 is still a small delta rather than a full XOR.
  if (!MayBeDecimal(v)) {
    valid = false;
    digits = 0;
    return;
  }
  for (int d = valid ? digits : 0; d < kMaxDigits; ++d) {
    if (ScaleWith(v, d, &scaled)) {
      digits = static_cast<uint8_t>(d);
      valid = true;
      return;
    }
  }
  valid = false;
  digits = 0;
}

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

void XorChunk::Append(Sample s) {
  if (count_ == 0) {
    min_t_ = last_t_ = s.t_ms;
    last_value_bits_ = DoubleBits(s.value);
    decimal_.Update(s.value);
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
  int64_t scaled = 0;
  if (decimal_.Scale(v, &scaled)) {
    const int64_t delta = scaled - decimal_.scaled;
    for (const Bucket& b : kValueBuckets) {
      if (FitsSigned(delta, b.payload_bits)) {
        bits_.Write(0b10, 2);
        bits_.Write(b.prefix, b.prefix_bits);
        bits_.Write(static_cast<uint64_t>(delta), b.payload_bits);
        decimal_.scaled = scaled;  // what Update(v) would find: same digits, this integer
        return;
      }
    }
  }
  decimal_.Update(v);
  bits_.Write(0b11, 2);
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
  if (sealed.size > 0) std::memcpy(sealed.data.get(), bits_.bytes().data(), sealed.size);
  *this = XorChunk();
  return sealed;
}

bool XorChunk::PointAtNewest(DecodePoint* out) const {
  const int64_t t_offset = last_t_ - min_t_;
  const size_t bits = bits_.bit_count();
  if (count_ < 2 || t_offset > UINT32_MAX || last_delta_ > INT32_MAX || last_delta_ < INT32_MIN ||
      bits > UINT32_MAX) {
    return false;
  }
  out->value_bits = last_value_bits_;
  out->t_offset = static_cast<uint32_t>(t_offset);
  out->delta = static_cast<int32_t>(last_delta_);
  out->bit_offset = static_cast<uint32_t>(bits);
  out->index = static_cast<uint16_t>(count_ - 1);
  // The decoder starts with an empty XOR window where the encoder marks none (0xff); both
  // then read or write a fresh window, so either is the same state.
  out->leading = leading_ == 0xff ? 0 : leading_;
  out->trailing = trailing_;
  out->decimal_digits = decimal_.digits;
  out->decimal_valid = decimal_.valid;
  return true;
}

Sample XorChunk::Newest() const {
  return {last_t_, std::bit_cast<double>(last_value_bits_)};
}

void XorChunk::Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out,
                    const DecodePoint* from) const {
  if (count_ == 0 || last_t_ < start_ms || min_t_ > end_ms) return;
  DecodeXor(bits_.bytes().data(), bits_.bytes().size(), count_, min_t_, start_ms, end_ms, out,
            from);
}

void SealedChunk::Read(int64_t start_ms, int64_t end_ms, std::vector<Sample>* out,
                       const DecodePoint* from) const {
  if (count == 0 || max_t < start_ms || min_t > end_ms) return;
  DecodeXor(data.get(), size, count, min_t, start_ms, end_ms, out, from);
}

namespace {

// The decoder's state, advanced one sample at a time.
struct XorDecoder {
  explicit XorDecoder(BitReader reader) : r(reader) {}

  BitReader r;
  int64_t t = 0;
  int64_t delta = 0;
  uint64_t value_bits = 0;
  int leading = 0;
  int trailing = 0;
  DecimalState decimal;

  // Takes the state a point saved; false when it does not fit this chunk.
  bool ResumeAt(const DecodePoint& p, const uint8_t* data, size_t size, int count, int64_t min_t) {
    if (p.index == 0 || p.index >= count || p.bit_offset / 8 > size) return false;
    const size_t byte = p.bit_offset / 8;
    r = BitReader(data + byte, size - byte);
    uint64_t skipped = 0;
    if (!r.Read(static_cast<int>(p.bit_offset % 8), &skipped)) return false;
    t = p.t(min_t);
    delta = p.delta;
    value_bits = p.value_bits;
    leading = p.leading;
    trailing = p.trailing;
    decimal.valid = p.decimal_valid;
    decimal.digits = p.decimal_digits;
    // The encoder's scaled value is the value scaled by its digits: Update and the decimal
    // path both keep it so, and Scale is exact for it. Never fails, but a point that did
    // would only mean decoding from the chunk's start.
    return !decimal.valid || decimal.Scale(std::bit_cast<double>(value_bits), &decimal.scaled);
  }

  // Decodes the next sample into t and value_bits; false when the data runs out.
  bool Next() {
    uint64_t bit = 0;
    if (!r.Read(1, &bit)) return false;
    if (bit == 1) {
      const Bucket* chosen = ReadBucket(r, kBuckets);
      uint64_t payload = 0;
      if (chosen == nullptr || !r.Read(chosen->payload_bits, &payload)) return false;
      delta += SignExtend(payload, chosen->payload_bits);
    }
    t += delta;
    if (!r.Read(1, &bit)) return false;
    if (bit == 0) return true;  // the same value
    if (!r.Read(1, &bit)) return false;
    if (bit == 0) {
      const Bucket* chosen = ReadBucket(r, kValueBuckets);
      uint64_t payload = 0;
      if (chosen == nullptr || !r.Read(chosen->payload_bits, &payload)) return false;
      decimal.scaled += SignExtend(payload, chosen->payload_bits);
      value_bits = std::bit_cast<uint64_t>(decimal.ValueOf(decimal.scaled));
      return true;
    }
    if (!r.Read(1, &bit)) return false;
    if (bit == 1) {
      uint64_t lead = 0, sig = 0;
      if (!r.Read(5, &lead) || !r.Read(6, &sig)) return false;
      if (sig == 0) sig = 64;
      leading = static_cast<int>(lead);
      trailing = 64 - leading - static_cast<int>(sig);
    }
    uint64_t meaningful = 0;
    if (!r.Read(64 - leading - trailing, &meaningful)) return false;
    value_bits ^= meaningful << trailing;
    decimal.Update(std::bit_cast<double>(value_bits));
    return true;
  }
};

}  // namespace

void DecodeXor(const uint8_t* data, size_t size, int count, int64_t min_t, int64_t start_ms,
               int64_t end_ms, std::vector<Sample>* out, const DecodePoint* from) {
  int index = 0;
  XorDecoder d(BitReader(data, size));
  if (from == nullptr || !d.ResumeAt(*from, data, size, count, min_t)) {
    d = XorDecoder(BitReader(data, size));
    if (!d.r.Read(64, &d.value_bits)) return;
    d.decimal.Update(std::bit_cast<double>(d.value_bits));
    d.t = min_t;
  } else {
    index = from->index;
  }
  for (;;) {
    if (d.t > end_ms) return;
    if (d.t >= start_ms) out->push_back({d.t, std::bit_cast<double>(d.value_bits)});
    if (++index >= count || !d.Next()) return;
  }
}

}  // namespace failsafe::watch
