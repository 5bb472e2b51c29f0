#include "backup/format/index_file.h"

#include "backup/format/bytes.h"

namespace failsafe::backup {
namespace {

constexpr std::string_view kMagic = "FSIX";
constexpr uint8_t kVersion = 1;
// Per blob: type, flags, id, and three varints of at least one byte.
constexpr size_t kMinBlobEntry = 1 + 1 + 32 + 3;
constexpr size_t kMinPackEntry = 32 + 1;

}  // namespace

std::string EncodeIndex(const IndexFile& index) {
  std::string out(kMagic);
  PutU8(&out, kVersion);
  PutVarint(&out, index.supersedes.size());
  for (const Id& id : index.supersedes) PutId(&out, id);
  PutVarint(&out, index.packs.size());
  for (const IndexPack& pack : index.packs) {
    PutId(&out, pack.id);
    PutVarint(&out, pack.blobs.size());
    for (const PackBlob& b : pack.blobs) {
      PutU8(&out, static_cast<uint8_t>(b.type));
      PutU8(&out, b.flags);
      PutId(&out, b.id);
      PutVarint(&out, b.offset);
      PutVarint(&out, b.stored_length);
      PutVarint(&out, b.raw_length);
    }
  }
  return out;
}

Status ScanIndex(std::string_view plain, std::string_view name, const IndexScanner& scanner) {
  ByteReader r(plain, "index " + std::string(name));
  uint8_t version = 0;
  r.Expect(kMagic, "magic");
  if (r.U8(&version, "version") && version != kVersion)
    r.Fail("version", "version " + std::to_string(version) + " is not supported (1)");
  uint64_t supersedes = 0;
  r.Count(&supersedes, kMaxIndexSupersedes, 32, "supersedes count");
  for (uint64_t i = 0; i < supersedes && r.ok(); ++i) {
    Id id;
    if (r.ReadId(&id, "superseded index id") && scanner.superseded) scanner.superseded(id);
  }
  uint64_t packs = 0;
  r.Count(&packs, kMaxIndexPacks, kMinPackEntry, "pack count");
  for (uint64_t p = 0; p < packs && r.ok(); ++p) {
    Id pack;
    uint64_t blobs = 0;
    if (!r.ReadId(&pack, "pack id") ||
        !r.Count(&blobs, kMaxBlobsPerPack, kMinBlobEntry, "blob count"))
      break;
    if (scanner.pack) scanner.pack(pack, blobs);
    for (uint64_t b = 0; b < blobs; ++b) {
      PackBlob blob;
      if (!ReadBlobEntry(r, &blob, true)) break;
      if (uint64_t{blob.offset} + blob.stored_length > UINT32_MAX) {
        r.Fail("blob offset", "blob ends past 4 GiB");
        break;
      }
      if (scanner.blob) scanner.blob(pack, blob);
    }
  }
  if (r.ok() && r.remaining() != 0)
    r.Fail("end", std::to_string(r.remaining()) + " bytes after the last pack");
  return r.status();
}

Result<IndexFile> DecodeIndex(std::string_view plain, std::string_view name) {
  IndexFile index;
  IndexScanner scanner;
  scanner.superseded = [&](const Id& id) { index.supersedes.push_back(id); };
  scanner.pack = [&](const Id& pack, uint64_t count) {
    index.packs.push_back({pack, {}});
    index.packs.back().blobs.reserve(count);
  };
  scanner.blob = [&](const Id&, const PackBlob& blob) { index.packs.back().blobs.push_back(blob); };
  FS_RETURN_IF_ERROR(ScanIndex(plain, name, scanner));
  return index;
}

}  // namespace failsafe::backup
