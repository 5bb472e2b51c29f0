#pragma once
// Pack files (docs/backup-format.md, "Blobs, compression, packs"):
//   blob 0 || ... || blob n-1 || header (encrypted) || trailer
//   trailer = header length (u32 LE) || "FSPK" || version (1) || 3 zero bytes
// Decoders take input a tamperer may control and fail with DataLoss naming the pack and
// the field.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backup/format/ids.h"
#include "base/result.h"

namespace failsafe::backup {

inline constexpr uint8_t kBlobFlagZstd = 1;
// The largest blob plaintext the format accepts (the chunker's maximum is 8 MiB; trees are
// capped here too), so a damaged length never makes a reader allocate gigabytes.
inline constexpr uint32_t kMaxBlobSize = 64u << 20;
// Per blob the encryption adds a nonce and a tag.
inline constexpr uint32_t kBlobOverhead = 28;
inline constexpr size_t kPackTrailerSize = 12;
// Enough for a 1 GiB pack of the smallest possible blobs; bounds header decoding.
inline constexpr uint64_t kMaxBlobsPerPack = 1u << 22;

// One blob as a pack header and an index file describe it.
struct PackBlob {
  BlobType type = BlobType::kData;
  uint8_t flags = 0;  // kBlobFlagZstd
  BlobId id;
  uint32_t offset = 0;  // implicit in a pack header (sum of the stored lengths before it)
  uint32_t stored_length = 0;
  uint32_t raw_length = 0;

  bool compressed() const { return (flags & kBlobFlagZstd) != 0; }
  friend bool operator==(const PackBlob&, const PackBlob&) = default;
};

// The header's plaintext (before encryption).
std::string EncodePackHeader(const std::vector<PackBlob>& blobs);
// Decodes a header's plaintext, filling in offsets. `blobs_size` is the number of bytes
// before the header: the stored lengths must add up to it exactly.
Result<std::vector<PackBlob>> DecodePackHeader(std::string_view plain, const Id& pack,
                                               uint64_t blobs_size);

std::string EncodePackTrailer(uint32_t header_length);
// Returns the header's length after checking the trailer (the last kPackTrailerSize bytes
// of a pack of `pack_size` bytes). A file without the magic is "not a failsafe pack".
Result<uint32_t> DecodePackTrailer(std::string_view trailer, const Id& pack, uint64_t pack_size);

// Shared checks of one blob entry's fields, used by the pack and index decoders.
class ByteReader;
bool ReadBlobEntry(ByteReader& r, PackBlob* blob, bool with_offset);

}  // namespace failsafe::backup

namespace failsafe::backup::crypto {
class SecretKey;
}

namespace failsafe::backup {

// Checks the trailer, decrypts and decodes the header of a whole pack held in memory
// (check --read-data, prune). Use DecodePackTrailer + DecodePackHeader to read only the tail.
Result<std::vector<PackBlob>> DecodePack(const crypto::SecretKey& data_key,
                                         std::string_view pack_bytes, const Id& pack);
// The header (sealed) and trailer at the end of a pack: decrypts and decodes the header.
// `tail` holds at least the header and trailer; `pack_size` is the whole file's size.
Result<std::vector<PackBlob>> DecodePackTail(const crypto::SecretKey& data_key,
                                             std::string_view tail, const Id& pack,
                                             uint64_t pack_size);

}  // namespace failsafe::backup
