#pragma once
// Ids in a backup repository (docs/backup-format.md): blob ids are HMAC-SHA256 under the
// repository's id key; file names are the SHA-256 of the stored bytes. Both are 32 bytes,
// written as 64 lower-case hex digits.
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace failsafe::backup {

struct Id {
  std::array<uint8_t, 32> bytes{};

  std::string Hex() const;
  // Parses exactly 64 hex digits (either case); nullopt otherwise.
  static std::optional<Id> FromHex(std::string_view hex);
  static Id FromBytes(const uint8_t* data) {
    Id id;
    std::memcpy(id.bytes.data(), data, id.bytes.size());
    return id;
  }
  bool IsZero() const;

  friend bool operator==(const Id&, const Id&) = default;
  friend auto operator<=>(const Id&, const Id&) = default;
};

// Ids are uniformly distributed, so their first 8 bytes are already a good hash.
struct IdHash {
  size_t operator()(const Id& id) const {
    uint64_t h;
    std::memcpy(&h, id.bytes.data(), sizeof h);
    return static_cast<size_t>(h);
  }
};

using BlobId = Id;

enum class BlobType : uint8_t { kData = 0, kTree = 1 };
std::string_view NameOf(BlobType type);

}  // namespace failsafe::backup
