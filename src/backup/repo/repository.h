#pragma once
// Repository: an opened backup repository (docs/backup-format.md). It holds the master key,
// the config and the in-memory index, turns plaintext blobs into encrypted packs and back,
// and reads and writes snapshots. The archiver, restorer, checker and pruner work through it.
//
// Thread safety: SaveBlob, HasBlob, Lookup and the Load/Decrypt functions may be called from
// many threads at once (the backup pipeline's workers do); Flush and the snapshot functions
// from one thread at a time.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/backend/backend.h"
#include "backup/format/ids.h"
#include "base/result.h"

namespace failsafe::backup {

// How the user proves they may open the repository.
struct Credentials {
  std::optional<std::string> password;  // FAILSAFE_BACKUP_PASSWORD or --password-file
  std::optional<std::string> key_file;  // --key-file: a path to a key written by `key add`
};

struct ChunkerParams {
  uint32_t min_size = 512 * 1024;
  uint32_t avg_size = 1024 * 1024;
  uint32_t max_size = 8 * 1024 * 1024;
};

struct RepoConfig {
  int version = 1;
  Id id;  // random, identifies the repository
  ChunkerParams chunker;
  uint32_t pack_size = 16 * 1024 * 1024;
  int compression_level = 3;  // 0: off
};

struct InitOptions {
  RepoConfig config;                       // id is filled in by Init
  const class Repository* from = nullptr;  // `init --from-repo`: share id and chunker keys
  // Argon2id cost; tests lower it (the format stores what was used).
  uint64_t argon2_opslimit = 3;
  uint64_t argon2_memlimit = 64ull << 20;
};

// Where a blob is stored: what a reader needs to fetch and decrypt it.
struct BlobLocation {
  Id pack;
  uint32_t offset = 0;
  uint32_t stored_length = 0;  // encrypted length in the pack
};

struct SaveBlobResult {
  bool added = false;         // false: the repository already had it
  uint64_t stored_bytes = 0;  // encrypted size when added
};

class Repository {
 public:
  virtual ~Repository() = default;

  // Creates a repository: key file first, then config (see "Crash safety" in the format doc).
  static Result<std::unique_ptr<Repository>> Init(std::unique_ptr<Backend> backend,
                                                  const Credentials& credentials,
                                                  const InitOptions& options);
  // Opens it: tries each key file, decrypts the config. Does not load the index.
  static Result<std::unique_ptr<Repository>> Open(std::unique_ptr<Backend> backend,
                                                  const Credentials& credentials);

  virtual Backend& backend() = 0;
  virtual const RepoConfig& config() const = 0;

  // The keyed blob id of `plaintext` (HMAC-SHA256 under the id key).
  virtual BlobId IdOf(std::string_view plaintext) const = 0;
  // The chunker's gear table, derived from the chunker key.
  virtual const std::array<uint64_t, 256>& GearTable() const = 0;

  // Loads every index file; `progress(done, total)` is called as files load.
  virtual Status LoadIndex(const std::function<void(size_t, size_t)>& progress = {}) = 0;

  virtual bool HasBlob(BlobType type, const BlobId& id) const = 0;
  virtual std::optional<BlobLocation> Lookup(BlobType type, const BlobId& id) const = 0;

  // Compresses (unless incompressible), encrypts and adds the blob to the open pack of its
  // type unless the index (or a pack being written) already has it. A full pack is written
  // by a background writer; SaveBlob blocks when too many packs wait, so memory stays bounded.
  // `id` must be IdOf(plaintext): callers computed it to ask HasBlob first.
  virtual Result<SaveBlobResult> SaveBlob(BlobType type, const BlobId& id,
                                          std::string_view plaintext) = 0;

  // Reads, decrypts, decompresses and verifies one blob (id checked against content).
  virtual Result<std::string> LoadBlob(BlobType type, const BlobId& id) = 0;
  // For readers that fetch a whole pack range at once (restore, check): decrypts and verifies
  // one blob given its stored bytes.
  virtual Result<std::string> DecryptBlob(BlobType type, const BlobId& id,
                                          std::string_view stored) const = 0;

  // Writes open packs, waits for the writer, then writes an index file for the packs
  // written since the last one. Backup calls it at the end, before saving the snapshot.
  virtual Status Flush() = 0;

  // Snapshots are stored as the encrypted JSON of the format doc; the codec lives in
  // backup/format/snapshot.h, the repository only seals and names them.
  virtual Result<Id> SaveSnapshotJson(std::string_view json) = 0;
  virtual Result<std::string> LoadSnapshotJson(const Id& id) = 0;
  virtual Result<std::vector<Id>> ListSnapshots() = 0;
  virtual Status RemoveSnapshot(const Id& id) = 0;
};

}  // namespace failsafe::backup
