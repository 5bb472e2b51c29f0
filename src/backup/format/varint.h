#pragma once
// The byte-level pieces of the binary encodings (docs/backup-format.md): unsigned LEB128
// varints, zigzag for signed values, and length-prefixed bytes. VarintReader is the decoders'
// cursor: every read checks the remaining input first, so no decoder can run past the end,
// and varints must be minimal (one encoding per value) so a decoded object re-encodes to the
// same bytes and the same id.
#include <cstdint>
#include <string>
#include <string_view>

namespace failsafe::backup {

inline void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(v) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Why a varint could not be read: the one decoding rule both readers (VarintReader here and
// ByteReader in bytes.h) apply, with their own way of reporting.
enum class VarintError { kNone, kTruncated, kTooBig, kTooLong, kNotMinimal };

// Decodes the varint at in[*pos], advancing *pos past it on success.
inline VarintError DecodeVarint(std::string_view in, size_t* pos, uint64_t* v) {
  uint64_t result = 0;
  size_t at = *pos;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= in.size()) return VarintError::kTruncated;
    const auto b = static_cast<uint8_t>(in[at++]);
    if (shift == 63 && b > 1) return VarintError::kTooBig;
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (b == 0 && shift > 0) return VarintError::kNotMinimal;
      *v = result;
      *pos = at;
      return VarintError::kNone;
    }
  }
  return VarintError::kTooLong;
}

inline uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

inline void PutBytes(std::string& out, std::string_view bytes) {
  PutVarint(out, bytes.size());
  out.append(bytes);
}

// Not named ByteReader: bytes.h has a different class of that name in this namespace, and two
// classes of one name with inline members are an ODR violation (the linker kept one
// remaining() for both, and tree decoding read garbage in some binaries).
class VarintReader {
 public:
  explicit VarintReader(std::string_view in) : in_(in) {}

  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }

  bool ReadU8(uint8_t* v) {
    if (remaining() < 1) return false;
    *v = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  // False on truncation, on more than 10 bytes, on a value past 64 bits and on a
  // non-minimal encoding (a trailing zero byte): DecodeVarint.
  bool ReadVarint(uint64_t* v) { return DecodeVarint(in_, &pos_, v) == VarintError::kNone; }
  // Reads `n` raw bytes (a view into the input).
  bool ReadRaw(size_t n, std::string_view* out) {
    if (remaining() < n) return false;
    *out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // A varint length and that many bytes.
  bool ReadBytes(std::string_view* out) {
    uint64_t n;
    return ReadVarint(&n) && n <= remaining() && ReadRaw(static_cast<size_t>(n), out);
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace failsafe::backup
