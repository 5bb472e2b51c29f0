#pragma once
// Associated data for every encrypted object (docs/backup-format.md, "Encryption of
// objects"): it names the object's role, and for blobs its type and id, so an object
// presented in another role or under another id fails authentication.
#include <array>
#include <cstring>
#include <string_view>

#include "backup/format/ids.h"

namespace failsafe::backup::aad {

inline constexpr std::string_view kConfig = "fs/config/1";
inline constexpr std::string_view kPackHeader = "fs/pack-header/1";
inline constexpr std::string_view kIndex = "fs/index/1";
inline constexpr std::string_view kSnapshot = "fs/snapshot/1";
inline constexpr std::string_view kLock = "fs/lock/1";
inline constexpr std::string_view kBlobPrefix = "fs/blob/1";

// "fs/blob/1" || type || id, in a fixed buffer (this is per blob, on the hot path).
class BlobAad {
 public:
  BlobAad(BlobType type, const BlobId& id) {
    std::memcpy(buf_.data(), kBlobPrefix.data(), kBlobPrefix.size());
    buf_[kBlobPrefix.size()] = static_cast<char>(type);
    std::memcpy(buf_.data() + kBlobPrefix.size() + 1, id.bytes.data(), id.bytes.size());
  }
  std::string_view view() const { return {buf_.data(), buf_.size()}; }

 private:
  std::array<char, 9 + 1 + 32> buf_{};
};

}  // namespace failsafe::backup::aad
