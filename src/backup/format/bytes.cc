#include "backup/format/bytes.h"

#include <cstring>

#include "backup/format/varint.h"

namespace failsafe::backup {

void PutVarint(std::string* out, uint64_t v) {
  PutVarint(*out, v);
}

void PutU32Le(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

uint32_t GetU32Le(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(p[i]);
  return v;
}

bool ByteReader::Fail(std::string_view field, std::string_view message) {
  if (status_.ok())
    status_ = Status(ErrorCode::kDataLoss,
                     what_ + ": " + std::string(field) + " at byte " + std::to_string(pos_) + ": " +
                         std::string(message),
                     std::string(field));
  return false;
}

bool ByteReader::U8(uint8_t* v, std::string_view field) {
  if (!ok()) return false;
  if (remaining() < 1) return Fail(field, "input ends early");
  *v = static_cast<uint8_t>(data_[pos_++]);
  return true;
}

bool ByteReader::Varint(uint64_t* v, std::string_view field) {
  if (!ok()) return false;
  switch (DecodeVarint(data_, &pos_, v)) {
    case VarintError::kNone: return true;
    case VarintError::kTruncated: return Fail(field, "input ends inside a number");
    case VarintError::kTooBig: return Fail(field, "number does not fit in 64 bits");
    case VarintError::kTooLong: return Fail(field, "number is longer than 10 bytes");
    case VarintError::kNotMinimal: return Fail(field, "number is not minimally encoded");
  }
  return Fail(field, "unreadable number");
}

bool ByteReader::Varint32(uint32_t* v, std::string_view field) {
  uint64_t wide = 0;
  if (!Varint(&wide, field)) return false;
  if (wide > UINT32_MAX) return Fail(field, std::to_string(wide) + " does not fit in 32 bits");
  *v = static_cast<uint32_t>(wide);
  return true;
}

bool ByteReader::ReadId(Id* id, std::string_view field) {
  std::string_view raw;
  if (!Bytes(id->bytes.size(), &raw, field)) return false;
  std::memcpy(id->bytes.data(), raw.data(), raw.size());
  return true;
}

bool ByteReader::Bytes(size_t n, std::string_view* out, std::string_view field) {
  if (!ok()) return false;
  if (remaining() < n)
    return Fail(field,
                "needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
  *out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool ByteReader::Expect(std::string_view literal, std::string_view field) {
  std::string_view got;
  if (!Bytes(literal.size(), &got, field)) return false;
  if (got != literal) {
    pos_ -= literal.size();
    return Fail(field, "expected \"" + std::string(literal) + "\"");
  }
  return true;
}

bool ByteReader::Count(uint64_t* v, uint64_t max, size_t min_item_size, std::string_view field) {
  if (!Varint(v, field)) return false;
  if (*v > max)
    return Fail(field, std::to_string(*v) + " is more than the limit " + std::to_string(max));
  if (min_item_size > 0 && *v > remaining() / min_item_size)
    return Fail(field, std::to_string(*v) + " items cannot fit in the " +
                           std::to_string(remaining()) + " bytes left");
  return true;
}

}  // namespace failsafe::backup
