#include "backup/format/ids.h"

namespace failsafe::backup {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string Id::Hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

std::optional<Id> Id::FromHex(std::string_view hex) {
  Id id;
  if (hex.size() != id.bytes.size() * 2) return std::nullopt;
  for (size_t i = 0; i < id.bytes.size(); ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return id;
}

bool Id::IsZero() const {
  for (uint8_t b : bytes)
    if (b != 0) return false;
  return true;
}

std::string_view NameOf(BlobType type) {
  switch (type) {
    case BlobType::kData: return "data";
    case BlobType::kTree: return "tree";
  }
  return "unknown";
}

}  // namespace failsafe::backup
