#include "backup/format/pack.h"

#include "backup/crypto/aead.h"
#include "backup/format/aad.h"
#include "backup/format/bytes.h"

namespace failsafe::backup {
namespace {

constexpr std::string_view kHeaderMagic = "FSPH";
constexpr std::string_view kTrailerMagic = "FSPK";
constexpr uint8_t kVersion = 1;
// type, flags, id and three one-byte varints at least.
constexpr size_t kMinEntrySize = 1 + 1 + 32 + 1 + 1;

}  // namespace

bool ReadBlobEntry(ByteReader& r, PackBlob* blob, bool with_offset) {
  uint8_t type = 0;
  if (!r.U8(&type, "blob type")) return false;
  if (type > static_cast<uint8_t>(BlobType::kTree))
    return r.Fail("blob type", "unknown blob type " + std::to_string(type));
  blob->type = static_cast<BlobType>(type);
  if (!r.U8(&blob->flags, "blob flags")) return false;
  if ((blob->flags & ~kBlobFlagZstd) != 0)
    return r.Fail("blob flags", "unknown flags " + std::to_string(blob->flags));
  if (!r.ReadId(&blob->id, "blob id")) return false;
  if (with_offset && !r.Varint32(&blob->offset, "blob offset")) return false;
  if (!r.Varint32(&blob->stored_length, "blob stored length") ||
      !r.Varint32(&blob->raw_length, "blob raw length"))
    return false;
  if (blob->stored_length < kBlobOverhead || blob->stored_length > kMaxBlobSize + kBlobOverhead)
    return r.Fail("blob stored length",
                  std::to_string(blob->stored_length) + " is outside 28..64 MiB+28");
  if (blob->raw_length > kMaxBlobSize)
    return r.Fail("blob raw length", std::to_string(blob->raw_length) + " is over 64 MiB");
  if (!blob->compressed() && blob->raw_length + kBlobOverhead != blob->stored_length)
    return r.Fail("blob raw length",
                  "an uncompressed blob's raw length must be its stored "
                  "length less 28");
  return true;
}

std::string EncodePackHeader(const std::vector<PackBlob>& blobs) {
  std::string out(kHeaderMagic);
  PutU8(&out, kVersion);
  PutVarint(&out, blobs.size());
  for (const PackBlob& b : blobs) {
    PutU8(&out, static_cast<uint8_t>(b.type));
    PutU8(&out, b.flags);
    PutId(&out, b.id);
    PutVarint(&out, b.stored_length);
    PutVarint(&out, b.raw_length);
  }
  return out;
}

Result<std::vector<PackBlob>> DecodePackHeader(std::string_view plain, const Id& pack,
                                               uint64_t blobs_size) {
  ByteReader r(plain, "pack " + pack.Hex() + " header");
  uint8_t version = 0;
  uint64_t count = 0;
  r.Expect(kHeaderMagic, "magic");
  if (r.U8(&version, "version") && version != kVersion)
    r.Fail("version", "version " + std::to_string(version) + " is not supported (1)");
  r.Count(&count, kMaxBlobsPerPack, kMinEntrySize, "blob count");
  if (!r.ok()) return Err(r.status());
  std::vector<PackBlob> blobs(count);
  uint64_t offset = 0;
  for (PackBlob& b : blobs) {
    if (!ReadBlobEntry(r, &b, false)) return Err(r.status());
    b.offset = static_cast<uint32_t>(offset);
    offset += b.stored_length;
    if (offset > blobs_size) {
      r.Fail("blob stored length", "blobs extend past the header, at " + std::to_string(offset) +
                                       " of " + std::to_string(blobs_size) + " bytes");
      return Err(r.status());
    }
  }
  if (r.remaining() != 0)
    r.Fail("end", std::to_string(r.remaining()) + " bytes after the last blob");
  else if (offset != blobs_size)
    r.Fail("blob count", "blobs cover " + std::to_string(offset) + " of the " +
                             std::to_string(blobs_size) + " bytes before the header");
  if (!r.ok()) return Err(r.status());
  return blobs;
}

std::string EncodePackTrailer(uint32_t header_length) {
  std::string out;
  PutU32Le(&out, header_length);
  out += kTrailerMagic;
  PutU8(&out, kVersion);
  out.append(3, '\0');
  return out;
}

Result<uint32_t> DecodePackTrailer(std::string_view trailer, const Id& pack, uint64_t pack_size) {
  const std::string what = "pack " + pack.Hex();
  if (trailer.size() != kPackTrailerSize || pack_size < kPackTrailerSize)
    return Err(DataLoss(what + ": " + std::to_string(pack_size) +
                        " bytes is too short to be a failsafe pack"));
  if (trailer.substr(4, 4) != kTrailerMagic)
    return Err(DataLoss(what + ": not a failsafe pack (no FSPK trailer)"));
  if (static_cast<uint8_t>(trailer[8]) != kVersion)
    return Err(DataLoss(what + ": pack version " +
                        std::to_string(static_cast<uint8_t>(trailer[8])) +
                        " is not supported (1)"));
  if (trailer.substr(9) != std::string_view("\0\0\0", 3))
    return Err(DataLoss(what + ": trailer's reserved bytes are not zero"));
  const uint32_t header_length = GetU32Le(trailer.data());
  if (header_length < crypto::kSealOverhead + kHeaderMagic.size() + 2 ||
      header_length > pack_size - kPackTrailerSize)
    return Err(DataLoss(what + ": header length " + std::to_string(header_length) +
                        " does not fit the pack's " + std::to_string(pack_size) + " bytes"));
  return header_length;
}

Result<std::vector<PackBlob>> DecodePackTail(const crypto::SecretKey& data_key,
                                             std::string_view tail, const Id& pack,
                                             uint64_t pack_size) {
  if (tail.size() < kPackTrailerSize || tail.size() > pack_size)
    return Err(DataLoss("pack " + pack.Hex() + ": " + std::to_string(pack_size) +
                        " bytes is too short to be a failsafe pack"));
  FS_ASSIGN_OR_RETURN(
      uint32_t header_length,
      DecodePackTrailer(tail.substr(tail.size() - kPackTrailerSize), pack, pack_size));
  if (header_length > tail.size() - kPackTrailerSize)
    return Err(Internal("pack " + pack.Hex() + ": tail read too short for its header"));
  std::string_view sealed =
      tail.substr(tail.size() - kPackTrailerSize - header_length, header_length);
  std::string plain;
  FS_RETURN_IF_ERROR(
      crypto::Open(data_key, sealed, aad::kPackHeader, &plain, "pack " + pack.Hex() + " header"));
  return DecodePackHeader(plain, pack, pack_size - kPackTrailerSize - header_length);
}

Result<std::vector<PackBlob>> DecodePack(const crypto::SecretKey& data_key,
                                         std::string_view pack_bytes, const Id& pack) {
  return DecodePackTail(data_key, pack_bytes, pack, pack_bytes.size());
}

}  // namespace failsafe::backup
