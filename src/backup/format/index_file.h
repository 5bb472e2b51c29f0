#pragma once
// Index files (docs/backup-format.md, "Index"): which blob is in which pack, where.
// The plaintext is binary so that loading the index (on the path of every command) is a
// linear scan; ScanIndex calls back per entry without allocating.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/format/pack.h"

namespace failsafe::backup {

struct IndexPack {
  Id id;
  std::vector<PackBlob> blobs;  // offsets explicit here
  friend bool operator==(const IndexPack&, const IndexPack&) = default;
};

struct IndexFile {
  std::vector<Id> supersedes;  // index files this one replaces (written by prune)
  std::vector<IndexPack> packs;
  friend bool operator==(const IndexFile&, const IndexFile&) = default;
};

// Limits for decoding: far above what a real index holds, low enough that a damaged count
// fails before it allocates.
inline constexpr uint64_t kMaxIndexSupersedes = 1u << 20;
inline constexpr uint64_t kMaxIndexPacks = 1u << 24;

std::string EncodeIndex(const IndexFile& index);

struct IndexScanner {
  std::function<void(const Id&)> superseded;  // optional
  std::function<void(const Id& pack, uint64_t blob_count)> pack;
  std::function<void(const Id& pack, const PackBlob&)> blob;
};
// Decodes `plain` (the decrypted index file named `name`), calling back in file order. On
// error the callbacks may have seen part of the file; the caller discards it.
Status ScanIndex(std::string_view plain, std::string_view name, const IndexScanner& scanner);
Result<IndexFile> DecodeIndex(std::string_view plain, std::string_view name);

}  // namespace failsafe::backup
