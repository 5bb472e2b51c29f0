#pragma once
// Repository: an opened backup repository (docs/backup-format.md). It holds the master key,
// the config and the in-memory index, turns plaintext blobs into encrypted packs and back,
// and reads and writes snapshots. The archiver, restorer, checker and pruner work through it.
//
// Thread safety: SaveBlob, RepackBlob, HasBlob, Lookup, ForEachBlob, BlobCount and the
// Load/Decrypt functions may be called from many threads at once (the backup pipeline's
// workers do); LoadIndex and Flush from one thread while no SaveBlob runs; the snapshot, key,
// lock, pack and index-file functions from one thread at a time (they go to the backend).
//
// Errors name what is damaged: DataLoss "pack <id> header: authentication failed ...",
// "index <id>: content does not match its name", "data blob <id>: content does not match
// its id"; a wrong password is Unauthenticated; a missing file NotFound.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/backend/backend.h"
#include "backup/format/config.h"
#include "backup/format/ids.h"
#include "backup/format/index_file.h"
#include "backup/format/lock_info.h"
#include "base/clock.h"
#include "base/result.h"

namespace failsafe::backup {

// How the user proves they may open the repository.
struct Credentials {
  std::optional<std::string> password;  // FAILSAFE_BACKUP_PASSWORD or --password-file
  std::optional<std::string> key_file;  // --key-file: a path to a key written by `key add`
};

// RepoConfig and ChunkerParams live in backup/format/config.h (they are encoded there).

// How this process works with the repository; none of it is stored. Tests shorten the
// lock times and inject a clock.
struct RepoOptions {
  const Clock* clock = nullptr;  // SystemClock when null
  std::string hostname;          // gethostname() when empty: locks and key files name it
  std::string username;          // $USER when empty
  size_t pack_writers = 1;       // background threads saving full packs
  size_t max_pending_packs = 1;  // full packs waiting to be saved before SaveBlob blocks
                                 // (each is 16 MiB of peak memory)
  size_t index_every_packs = 64;
  // Packs are closed at this size instead of the config's pack_size when not 0. Only the
  // synthetic repository generator (bench/backup/synth_repo.cc) sets it: it writes packs of
  // a few tiny blobs so that millions of blobs are spread over as many packs as a real
  // repository of that many 1 MiB chunks has.
  uint64_t pack_size_override = 0;
  std::chrono::milliseconds lock_refresh = std::chrono::minutes(5);
  std::chrono::milliseconds lock_stale_after = std::chrono::minutes(30);
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
  bool compressed = false;     // zstd inside the encryption
};

struct SaveBlobResult {
  bool added = false;         // false: the repository already had it
  uint64_t stored_bytes = 0;  // encrypted size when added
};

// A key that `key add` creates: a password, or a new key file written at a path (mode 0600).
struct NewKey {
  std::optional<std::string> password;
  std::optional<std::string> new_key_file;  // path; the file must not exist yet
  uint64_t argon2_opslimit = 3;
  uint64_t argon2_memlimit = 64ull << 20;
};

struct KeyEntry {
  Id id;             // the key file's name
  std::string kind;  // "password" or "keyfile"
  std::string created, host, user;
  bool current = false;  // the key this repository was opened with
};

// A lock as `backup unlock` and conflict messages show it.
struct LockStatus {
  Id id;
  LockInfo info;
  bool stale = false;
  std::string reason;   // why it is stale: "not refreshed for 3h", "the process is gone"
  int64_t idle_ms = 0;  // since the last refresh, by the reader's clock
  // "exclusive lock held by pid 4242 on db-01 (user root) since 2026-11-22T02:00:00.000Z,
  // refreshed 2m ago" or "..., stale: not refreshed for 3h"
  std::string Describe() const;
};

struct PackProblem {
  std::optional<BlobId> blob;  // nullopt: the pack as a whole
  BlobType type = BlobType::kData;
  std::string message;  // the full error, naming the pack and the blob
};

// A held lock. Refreshed in the background every RepoOptions::lock_refresh; released (its
// file removed) by Release() or the destructor.
class RepoLock {
 public:
  virtual ~RepoLock() = default;
  virtual Status Release() = 0;
  // The first refresh failure, if any: a lock that could not be refreshed may be considered
  // stale by others, so long operations check this between steps.
  virtual Status health() const = 0;
  virtual Id id() const = 0;  // the current lock file (changes on refresh)
};

class Repository {
 public:
  virtual ~Repository() = default;

  // Creates a repository: key file first, then config (see "Crash safety" in the format doc).
  // With `credentials.key_file`, an existing key file's secret is used, and a path that does
  // not exist yet gets a new key file (mode 0600). The password wins if both are given.
  static Result<std::unique_ptr<Repository>> Init(std::unique_ptr<Backend> backend,
                                                  const Credentials& credentials,
                                                  const InitOptions& options,
                                                  const RepoOptions& repo_options = {});
  // Opens it: tries each key file, decrypts the config. Does not load the index.
  // Wrong password: Unauthenticated naming how many keys were tried. A damaged config:
  // DataLoss naming it. A directory without config: NotFound ("not a repository").
  static Result<std::unique_ptr<Repository>> Open(std::unique_ptr<Backend> backend,
                                                  const Credentials& credentials,
                                                  const RepoOptions& repo_options = {});

  virtual Backend& backend() = 0;
  virtual const RepoConfig& config() const = 0;

  // The keyed blob id of `plaintext` (HMAC-SHA256 under the id key).
  virtual BlobId IdOf(std::string_view plaintext) const = 0;
  // The chunker's gear table, derived from the chunker key.
  virtual const std::array<uint64_t, 256>& GearTable() const = 0;

  // Loads every index file; `progress(done, total)` is called as files load.
  // kDataPresence (backups): data blobs without their locations, 32 bytes a blob instead of
  // 44, 112 MB less at ten million blobs. A backup only asks HasBlob of data (it reads
  // trees, never data); Lookup of a data blob is then empty, LoadBlob and DecryptBlob of one
  // fail with FailedPrecondition, and ForEachBlob lists trees only.
  enum class IndexDetail { kLocations, kDataPresence };
  virtual Status LoadIndex(const std::function<void(size_t, size_t)>& progress = {},
                           IndexDetail detail = IndexDetail::kLocations) = 0;

  virtual bool HasBlob(BlobType type, const BlobId& id) const = 0;
  virtual std::optional<BlobLocation> Lookup(BlobType type, const BlobId& id) const = 0;

  // Compresses (unless incompressible), encrypts and adds the blob to the open pack of its
  // type unless the index (or a pack being written) already has it. A full pack is written
  // by a background writer; SaveBlob blocks when too many packs wait, so memory stays bounded.
  // `id` must be IdOf(plaintext): callers computed it to ask HasBlob first.
  virtual Result<SaveBlobResult> SaveBlob(BlobType type, const BlobId& id,
                                          std::string_view plaintext) = 0;

  // Prune: stores the blob in a new pack even though the index has it (its old pack is to be
  // deleted). Once the new pack is saved, Lookup and LoadBlob use the new location; Flush
  // writes the index file naming it. A blob repacked twice in one run is stored once.
  virtual Result<SaveBlobResult> RepackBlob(BlobType type, const BlobId& id,
                                            std::string_view plaintext) = 0;

  // Reads, decrypts, decompresses and verifies one blob (id checked against content).
  virtual Result<std::string> LoadBlob(BlobType type, const BlobId& id) = 0;
  // For readers that fetch a whole pack range at once (restore, check): decrypts and verifies
  // one blob given its stored bytes.
  // The index says whether it is compressed; NotFound when the index does not have it.
  virtual Result<std::string> DecryptBlob(BlobType type, const BlobId& id,
                                          std::string_view stored) const = 0;
  // Same, with the compression flag from a pack header (check --read-data, prune).
  virtual Result<std::string> DecryptBlob(BlobType type, const BlobId& id, std::string_view stored,
                                          bool compressed) const = 0;

  // Writes open packs, waits for the writer, then writes an index file for the packs
  // written since the last one. Backup calls it at the end, before saving the snapshot.
  virtual Status Flush() = 0;

  // Snapshots are stored as the encrypted JSON of the format doc; the codec lives in
  // backup/format/snapshot.h, the repository only seals and names them.
  virtual Result<Id> SaveSnapshotJson(std::string_view json) = 0;
  virtual Result<std::string> LoadSnapshotJson(const Id& id) = 0;
  virtual Result<std::vector<Id>> ListSnapshots() = 0;
  virtual Status RemoveSnapshot(const Id& id) = 0;

  // --- Keys (`key add|list|remove`) ---
  virtual Result<Id> AddKey(const NewKey& key) = 0;
  virtual Result<std::vector<KeyEntry>> ListKeys() = 0;
  // Refuses (FailedPrecondition) the last key and the key this repository was opened with.
  virtual Status RemoveKey(const Id& id) = 0;
  virtual const Id& current_key() const = 0;

  // --- Locks ---
  // Conflict, naming the holder, when a non-stale conflicting lock exists.
  virtual Result<std::unique_ptr<RepoLock>> Lock(bool exclusive) = 0;
  virtual Result<std::vector<LockStatus>> ListLocks() = 0;
  // Removes stale locks (or every lock); returns how many were removed.
  virtual Result<size_t> RemoveLocks(bool all) = 0;

  // --- Packs and index, for check and prune ---
  virtual Result<std::vector<FileInfo>> ListPacks() = 0;
  // The whole pack as stored (check --read-data compares its SHA-256 with its name).
  virtual Result<std::string> LoadPack(const Id& pack) = 0;
  // The same into *out, reusing its buffer (check --read-data reads every pack).
  virtual Status LoadPackInto(const Id& pack, std::string* out) = 0;
  // Reads only the end of the pack: trailer and header.
  virtual Result<std::vector<PackBlob>> LoadPackHeader(const Id& pack) = 0;
  // Decodes the header of a whole pack held in memory.
  virtual Result<std::vector<PackBlob>> DecodePackBytes(const Id& pack,
                                                        std::string_view bytes) const = 0;
  // check --read-data on one pack read whole: its SHA-256 against its name, its header
  // (decrypted) against the index, and every blob decrypted, decompressed to its raw length
  // and hashed to its id. Returns what is wrong, empty when the pack is intact; a problem
  // without a blob id concerns the whole pack (name, trailer or header).
  virtual std::vector<PackProblem> VerifyPack(const Id& pack, std::string_view bytes) const = 0;
  virtual Result<std::vector<FileInfo>> ListIndexFiles() = 0;
  virtual Result<IndexFile> LoadIndexFile(const Id& id) = 0;
  virtual Result<Id> SaveIndexFile(const IndexFile& index) = 0;
  virtual Status RemoveIndexFile(const Id& id) = 0;
  virtual Status RemovePack(const Id& pack) = 0;
  // Every indexed blob (after LoadIndex, and saved blobs of this process).
  virtual void ForEachBlob(
      const std::function<void(BlobType, const BlobId&, const BlobLocation&)>& f) const = 0;
  virtual size_t BlobCount(BlobType type) const = 0;
};

}  // namespace failsafe::backup
