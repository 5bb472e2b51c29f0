// The Repository implementation: keys and config at open, the in-memory index, SaveBlob's
// compress-encrypt-append path with a background PackSaver, reads that verify ids, snapshots,
// keys, locks and the pack/index access check and prune need.
#include "backup/repo/repository.h"

#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "backup/crypto/aead.h"
#include "backup/crypto/hash.h"
#include "backup/format/aad.h"
#include "backup/format/pack_writer.h"
#include "backup/repo/blob_codec.h"
#include "backup/repo/keys.h"
#include "backup/repo/locks.h"
#include "backup/repo/memory_index.h"
#include "backup/repo/pack_saver.h"
#include "backup/repo/release_memory.h"
#include "base/random.h"

namespace failsafe::backup {
namespace {

constexpr std::string_view kConfigName = "config";
// The last bytes of a pack read to find its header: most headers fit, one more read if not.
constexpr uint64_t kPackTailGuess = 32 * 1024;

std::string DefaultHost() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

std::string DefaultUser() {
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "";
}

Id HashName(std::string_view bytes) {
  return Id::FromBytes(crypto::Sha256(bytes).data());
}

// Loads a file named by the SHA-256 of its bytes and checks that it still is.
Result<std::string> LoadVerified(Backend& backend, FileType type, const Id& id,
                                 std::string_view what) {
  auto bytes = backend.Load(type, id.Hex());
  if (!bytes) return Err(bytes.error().WithContext(std::string(what) + " " + id.Hex()));
  if (HashName(*bytes) != id)
    return Err(DataLoss(std::string(what) + " " + id.Hex() +
                        ": content does not match its name (damaged or replaced)"));
  return bytes;
}

Result<std::vector<Id>> ListIds(Backend& backend, FileType type) {
  FS_ASSIGN_OR_RETURN(auto files, backend.List(type));
  std::vector<Id> ids;
  for (const FileInfo& f : files)
    if (auto id = Id::FromHex(f.name)) ids.push_back(*id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

class RepositoryImpl final : public Repository {
 public:
  RepositoryImpl(std::unique_ptr<Backend> backend, crypto::MasterKey master, Id key_id,
                 RepoConfig config, const RepoOptions& options)
      : backend_(std::move(backend)),
        master_(std::move(master)),
        key_id_(key_id),
        config_(config),
        options_(options) {
    if (options_.clock == nullptr) options_.clock = &SystemClock::Instance();
    if (options_.hostname.empty()) options_.hostname = DefaultHost();
    if (options_.username.empty()) options_.username = DefaultUser();
    for (BlobType type : {BlobType::kData, BlobType::kTree})
      open_[static_cast<size_t>(type)].writer = NewPackWriter(type);
    for (int i = 0; i < 256; ++i) {
      const char byte = static_cast<char>(i);
      crypto::Digest d = crypto::HmacSha256(master_.chunker_key, {"fs/gear/1", {&byte, 1}});
      uint64_t v = 0;
      for (int b = 7; b >= 0; --b) v = v << 8 | d[static_cast<size_t>(b)];
      gear_[static_cast<size_t>(i)] = v;
    }
  }

  ~RepositoryImpl() override { saver_.reset(); }

  const crypto::MasterKey& master() const { return master_; }

  Backend& backend() override { return *backend_; }
  const RepoConfig& config() const override { return config_; }

  BlobId IdOf(std::string_view plaintext) const override {
    return Id::FromBytes(crypto::HmacSha256(master_.id_key, plaintext).data());
  }
  const std::array<uint64_t, 256>& GearTable() const override { return gear_; }

  Status LoadIndex(const std::function<void(size_t, size_t)>& progress,
                   IndexDetail detail) override;

  bool HasBlob(BlobType type, const BlobId& id) const override {
    std::shared_lock lock(index_mu_);
    return index_.Contains(type, id);
  }

  std::optional<BlobLocation> Lookup(BlobType type, const BlobId& id) const override {
    std::shared_lock lock(index_mu_);
    auto loc = index_.Find(type, id);
    if (!loc) return std::nullopt;
    return BlobLocation{index_.PackId(loc->pack), loc->offset, loc->stored_length, loc->compressed};
  }

  Result<SaveBlobResult> SaveBlob(BlobType type, const BlobId& id,
                                  std::string_view plaintext) override;
  Result<SaveBlobResult> RepackBlob(BlobType type, const BlobId& id,
                                    std::string_view plaintext) override;

  Result<std::string> LoadBlob(BlobType type, const BlobId& id) override {
    auto loc = Lookup(type, id);
    if (!loc) return Err(NotLocated(type, id));
    auto stored = backend_->Load(FileType::kPack, loc->pack.Hex(), loc->offset, loc->stored_length);
    if (!stored)
      return Err(stored.error().WithContext("reading " + std::string(NameOf(type)) + " blob " +
                                            id.Hex() + " from pack " + loc->pack.Hex()));
    auto plain = DecryptBlob(type, id, *stored, loc->compressed);
    if (!plain) return Err(plain.error().WithContext("pack " + loc->pack.Hex()));
    return plain;
  }

  Result<std::string> DecryptBlob(BlobType type, const BlobId& id,
                                  std::string_view stored) const override {
    auto loc = Lookup(type, id);
    if (!loc) return Err(NotLocated(type, id));
    return DecryptBlob(type, id, stored, loc->compressed);
  }

  Result<std::string> DecryptBlob(BlobType type, const BlobId& id, std::string_view stored,
                                  bool compressed) const override;

  Status Flush() override;

  Result<Id> SaveSnapshotJson(std::string_view json) override {
    return SaveSealed(FileType::kSnapshot, json, aad::kSnapshot);
  }
  Result<std::string> LoadSnapshotJson(const Id& id) override {
    return LoadSealed(FileType::kSnapshot, id, aad::kSnapshot, "snapshot");
  }
  Result<std::vector<Id>> ListSnapshots() override {
    return ListIds(*backend_, FileType::kSnapshot);
  }
  Status RemoveSnapshot(const Id& id) override {
    return backend_->Remove(FileType::kSnapshot, id.Hex());
  }

  Result<Id> AddKey(const NewKey& key) override {
    return SaveNewKey(*backend_, master_, key, Meta());
  }
  Result<std::vector<KeyEntry>> ListKeys() override { return ListKeyEntries(*backend_, key_id_); }
  Status RemoveKey(const Id& id) override { return RemoveKeyFile(*backend_, id, key_id_); }
  const Id& current_key() const override { return key_id_; }

  Result<std::unique_ptr<RepoLock>> Lock(bool exclusive) override {
    return AcquireLock(LockCtx(), exclusive);
  }
  Result<std::vector<LockStatus>> ListLocks() override { return ListLockStatuses(LockCtx()); }
  Result<size_t> RemoveLocks(bool all) override { return RemoveLockFiles(LockCtx(), all); }

  Result<std::vector<FileInfo>> ListPacks() override { return backend_->List(FileType::kPack); }
  Result<std::string> LoadPack(const Id& pack) override {
    return backend_->Load(FileType::kPack, pack.Hex());
  }
  Status LoadPackInto(const Id& pack, std::string* out) override {
    return backend_->LoadInto(FileType::kPack, pack.Hex(), out);
  }
  Result<std::vector<PackBlob>> LoadPackHeader(const Id& pack) override;
  Result<std::vector<PackBlob>> DecodePackBytes(const Id& pack,
                                                std::string_view bytes) const override {
    return DecodePack(master_.data_key, bytes, pack);
  }
  std::vector<PackProblem> VerifyPack(const Id& pack, std::string_view bytes) const override;
  Result<std::vector<FileInfo>> ListIndexFiles() override {
    return backend_->List(FileType::kIndex);
  }
  Result<IndexFile> LoadIndexFile(const Id& id) override {
    FS_ASSIGN_OR_RETURN(std::string plain, LoadSealed(FileType::kIndex, id, aad::kIndex, "index"));
    return DecodeIndex(plain, id.Hex());
  }
  Result<Id> SaveIndexFile(const IndexFile& index) override {
    return SaveSealed(FileType::kIndex, EncodeIndex(index), aad::kIndex);
  }
  Status RemoveIndexFile(const Id& id) override {
    return backend_->Remove(FileType::kIndex, id.Hex());
  }
  Status RemovePack(const Id& pack) override {
    return backend_->Remove(FileType::kPack, pack.Hex());
  }

  void ForEachBlob(
      const std::function<void(BlobType, const BlobId&, const BlobLocation&)>& f) const override {
    std::shared_lock lock(index_mu_);
    index_.ForEach([&](BlobType type, const BlobId& id, const IndexLocation& loc) {
      f(type, id, {index_.PackId(loc.pack), loc.offset, loc.stored_length, loc.compressed});
    });
  }
  size_t BlobCount(BlobType type) const override {
    std::shared_lock lock(index_mu_);
    return index_.size(type);
  }

 private:
  // Why Lookup had nothing: the blob is not indexed, or its locations were not loaded.
  Status NotLocated(BlobType type, const BlobId& id) const {
    const std::string what = std::string(NameOf(type)) + " blob " + id.Hex();
    std::shared_lock lock(index_mu_);
    if (!index_.has_locations(type) && index_.Contains(type, id))
      return FailedPrecondition(what +
                                ": the index was loaded without data blob locations "
                                "(for a backup), so it cannot be read");
    return NotFound(what + " is not in the index");
  }
  crypto::KeyMeta Meta() const {
    return {FormatRfc3339(options_.clock->NowMillis()), options_.hostname, options_.username};
  }
  LockContext LockCtx() {
    return {backend_.get(),        &master_.data_key,        options_.clock,
            options_.hostname,     options_.username,        static_cast<int64_t>(getpid()),
            options_.lock_refresh, options_.lock_stale_after};
  }
  Result<Id> SaveSealed(FileType type, std::string_view plain, std::string_view role) {
    std::string sealed = crypto::Seal(master_.data_key, plain, role);
    Id id = HashName(sealed);
    FS_RETURN_IF_ERROR(backend_->Save(type, id.Hex(), sealed));
    return id;
  }
  Result<std::string> LoadSealed(FileType type, const Id& id, std::string_view role,
                                 std::string_view what) {
    FS_ASSIGN_OR_RETURN(std::string sealed, LoadVerified(*backend_, type, id, what));
    std::string plain;
    FS_RETURN_IF_ERROR(
        crypto::Open(master_.data_key, sealed, role, &plain, std::string(what) + " " + id.Hex()));
    return plain;
  }
  uint64_t PackSize() const {
    return options_.pack_size_override != 0 ? options_.pack_size_override : config_.pack_size;
  }
  // Room for a full pack and the chunk that overflows it, so appending never reallocates.
  // A saved pack's buffer is reused when there is one. Called with the type's open-pack lock
  // held: when both of the type's buffers are out (the open pack just finished and one being
  // saved) it waits for the saver to give one back, and the workers that would append to the
  // type wait with it. That is the back-pressure that bounds a backup's pack memory to two
  // packs per type; a third let workers fill a pack while two waited for the disk, which cost
  // 19 MB of peak memory and gained no speed.
  PackWriter NewPackWriter(BlobType type) {
    const size_t reserve = PackSize() + config_.chunker.max_size + kBlobOverhead;
    std::unique_lock lock(spare_mu_);
    size_t& out = buffers_out_[static_cast<size_t>(type)];
    buffer_back_.wait(lock, [&] { return out < kPackBuffersPerType; });
    ++out;
    if (spare_packs_.empty()) return PackWriter(reserve);
    PackBuffer buffer = std::move(spare_packs_.back());
    spare_packs_.pop_back();
    return PackWriter(std::move(buffer), reserve);
  }
  // Takes back a pack's buffer once the saver is done with it (saved or not), for the next
  // pack: its pages are resident already.
  void RecyclePack(PackBuffer bytes, BlobType type) {
    {
      std::lock_guard lock(spare_mu_);
      --buffers_out_[static_cast<size_t>(type)];
      if (spare_packs_.size() < 2) spare_packs_.push_back(std::move(bytes));
    }
    buffer_back_.notify_all();
  }
  // Claims the blob in the index (so no other thread stores it too), then stores it.
  Result<SaveBlobResult> ClaimAndStore(BlobType type, const BlobId& id, std::string_view plaintext,
                                       bool repack);
  // Compresses, encrypts and appends a claimed blob.
  Result<SaveBlobResult> Store(BlobType type, const BlobId& id, std::string_view plaintext);
  PackSaver& Saver();
  void OnPackSaved(const Id& pack, const std::vector<PackBlob>& blobs);
  Status SubmitOpenPack(BlobType type, bool only_if_full);
  // DecryptBlob into caller-owned buffers (the plaintext ends in *plain), so a verifier of
  // every blob reuses two buffers instead of allocating two per blob.
  Status OpenBlobInto(BlobType type, const BlobId& id, std::string_view stored, bool compressed,
                      std::string* plain, std::string* scratch) const;

  std::unique_ptr<Backend> backend_;
  crypto::MasterKey master_;
  Id key_id_;
  RepoConfig config_;
  RepoOptions options_;
  std::array<uint64_t, 256> gear_{};

  mutable std::shared_mutex index_mu_;
  MemoryIndex index_;

  struct OpenPack {
    std::mutex mu;
    PackWriter writer;
  };
  OpenPack open_[2];

  static constexpr size_t kPackBuffersPerType = 2;
  std::mutex spare_mu_;
  std::condition_variable buffer_back_;
  size_t buffers_out_[2] = {0, 0};  // per type: in an open pack, queued or being saved
  std::vector<PackBuffer> spare_packs_;

  std::mutex saver_mu_;
  std::unique_ptr<PackSaver> saver_;
};

PackSaver& RepositoryImpl::Saver() {
  std::lock_guard lock(saver_mu_);
  if (!saver_)
    saver_ = std::make_unique<PackSaver>(
        *backend_, master_.data_key, options_.pack_writers, options_.max_pending_packs,
        options_.index_every_packs,
        [this](const Id& pack, const std::vector<PackBlob>& blobs) { OnPackSaved(pack, blobs); },
        [this](PackBuffer bytes, BlobType type) { RecyclePack(std::move(bytes), type); });
  return *saver_;
}

void RepositoryImpl::OnPackSaved(const Id& pack, const std::vector<PackBlob>& blobs) {
  std::unique_lock lock(index_mu_);
  const uint32_t number = index_.AddPack(pack);
  for (const PackBlob& b : blobs)
    index_.Saved(b.type, b.id, {number, b.offset, b.stored_length, b.compressed()});
}

Result<SaveBlobResult> RepositoryImpl::SaveBlob(BlobType type, const BlobId& id,
                                                std::string_view plaintext) {
  return ClaimAndStore(type, id, plaintext, false);
}

Result<SaveBlobResult> RepositoryImpl::RepackBlob(BlobType type, const BlobId& id,
                                                  std::string_view plaintext) {
  return ClaimAndStore(type, id, plaintext, true);
}

Result<SaveBlobResult> RepositoryImpl::ClaimAndStore(BlobType type, const BlobId& id,
                                                     std::string_view plaintext, bool repack) {
  if (plaintext.size() > kMaxBlobSize)
    return Err(InvalidArgument(std::string(NameOf(type)) + " blob of " +
                               std::to_string(plaintext.size()) + " bytes is over 64 MiB"));
  {
    std::unique_lock lock(index_mu_);
    const bool claimed = repack ? index_.ClaimForRepack(type, id) : index_.Claim(type, id);
    if (!claimed) return SaveBlobResult{false, 0};
  }
  return Store(type, id, plaintext);
}

Result<SaveBlobResult> RepositoryImpl::Store(BlobType type, const BlobId& id,
                                             std::string_view plaintext) {
  // Compression and encryption run in the calling thread, outside every lock: these are the
  // expensive steps and the pipeline's workers do them in parallel.
  thread_local ScratchBuffer sealed_buffer;
  const std::optional<std::string_view> compressed =
      CompressBlob(plaintext, config_.compression_level);
  const std::string_view payload = compressed ? *compressed : plaintext;
  const std::string_view sealed(sealed_buffer.Get(payload.size() + crypto::kSealOverhead),
                                payload.size() + crypto::kSealOverhead);
  crypto::SealTo(master_.data_key, payload, aad::BlobAad(type, id).view(), sealed_buffer.data());
  PackBlob blob;
  blob.type = type;
  blob.flags = compressed ? kBlobFlagZstd : 0;
  blob.id = id;
  blob.raw_length = static_cast<uint32_t>(plaintext.size());
  {
    OpenPack& open = open_[static_cast<size_t>(type)];
    std::lock_guard lock(open.mu);
    open.writer.Add(blob, sealed);
  }
  Status s = SubmitOpenPack(type, true);
  if (!s.ok()) return Err(s);
  return SaveBlobResult{true, sealed.size()};
}

// Hands the open pack of `type` to the saver (when full, or always). The pack is taken under
// the type's lock; the possibly blocking Submit happens outside it.
Status RepositoryImpl::SubmitOpenPack(BlobType type, bool only_if_full) {
  OpenPack& open = open_[static_cast<size_t>(type)];
  PackBuffer bytes;
  std::vector<PackBlob> blobs;
  {
    std::lock_guard lock(open.mu);
    if (open.writer.empty() || (only_if_full && open.writer.size() < PackSize()))
      return Status::Ok();
    blobs = open.writer.blobs();
    bytes = open.writer.Finish(master_.data_key);
    open.writer = NewPackWriter(type);
  }
  return Saver().Submit(std::move(bytes), std::move(blobs));
}

Result<std::string> RepositoryImpl::DecryptBlob(BlobType type, const BlobId& id,
                                                std::string_view stored, bool compressed) const {
  std::string plain, scratch;
  FS_RETURN_IF_ERROR(OpenBlobInto(type, id, stored, compressed, &plain, &scratch));
  return plain;
}

Status RepositoryImpl::OpenBlobInto(BlobType type, const BlobId& id, std::string_view stored,
                                    bool compressed, std::string* plain,
                                    std::string* scratch) const {
  const std::string what = std::string(NameOf(type)) + " blob " + id.Hex();
  FS_RETURN_STATUS_IF_ERROR(
      crypto::Open(master_.data_key, stored, aad::BlobAad(type, id).view(), plain, what));
  if (compressed) {
    FS_RETURN_STATUS_IF_ERROR(DecompressBlob(*plain, kMaxBlobSize, scratch, what));
    plain->swap(*scratch);
  }
  if (IdOf(*plain) != id) return DataLoss(what + ": content does not match its id");
  return Status::Ok();
}

Status RepositoryImpl::Flush() {
  for (BlobType type : {BlobType::kData, BlobType::kTree})
    FS_RETURN_STATUS_IF_ERROR(SubmitOpenPack(type, false));
  {
    std::lock_guard lock(saver_mu_);
    if (!saver_) return Status::Ok();
  }
  FS_RETURN_STATUS_IF_ERROR(saver_->Drain());
  std::unique_lock lock(index_mu_);
  index_.MergeNew();
  return Status::Ok();
}

Status RepositoryImpl::LoadIndex(const std::function<void(size_t, size_t)>& progress,
                                 IndexDetail detail) {
  {
    std::shared_lock lock(index_mu_);
    if (index_.new_count() != 0)
      return FailedPrecondition("LoadIndex after blobs were saved: Flush and reopen first");
  }
  FS_ASSIGN_OR_RETURN_STATUS(auto files, backend_->List(FileType::kIndex));
  uint64_t total_bytes = 0;
  for (const FileInfo& f : files) total_bytes += f.size;
  MemoryIndex fresh;
  if (detail == IndexDetail::kDataPresence) fresh.LoadWithoutLocations(BlobType::kData);
  // Most entries are data; 38 bytes is the smallest encoded entry, so this is an upper bound
  // that avoids regrowing (and copying) the big array while loading. Pages of the reserve
  // that are never filled are never touched, so they cost no resident memory.
  fresh.ReserveLoaded(BlobType::kData, total_bytes / 38);
  std::vector<uint32_t> file_of_pack;  // per pack number: which file listed it
  std::vector<Id> file_ids;
  std::unordered_set<Id, IdHash> superseded;
  size_t done = 0;
  for (const FileInfo& f : files) {
    auto id = Id::FromHex(f.name);
    if (!id) continue;
    FS_ASSIGN_OR_RETURN_STATUS(std::string plain,
                               LoadSealed(FileType::kIndex, *id, aad::kIndex, "index"));
    uint32_t current = 0;
    IndexScanner scanner;
    scanner.superseded = [&](const Id& s) { superseded.insert(s); };
    scanner.pack = [&](const Id& pack, uint64_t) {
      current = fresh.AddPack(pack);  // Finalize merges a pack listed by several files
      file_of_pack.push_back(static_cast<uint32_t>(file_ids.size()));
    };
    scanner.blob = [&](const Id&, const PackBlob& b) {
      fresh.AddLoaded(b.type, b.id, {current, b.offset, b.stored_length, b.compressed()});
    };
    FS_RETURN_STATUS_IF_ERROR(ScanIndex(plain, f.name, scanner));
    file_ids.push_back(*id);
    if (progress) progress(++done, files.size());
  }
  // A pack is live when an index file that nobody supersedes names it (prune crash safety).
  std::vector<bool> live(fresh.pack_count(), false);
  for (size_t p = 0; p < file_of_pack.size(); ++p)
    live[p] = superseded.count(file_ids[file_of_pack[p]]) == 0;
  file_of_pack = {};
  fresh.Finalize(live);
  {
    std::unique_lock lock(index_mu_);
    index_ = std::move(fresh);
  }
  ReleaseFreedMemory();
  return Status::Ok();
}

std::vector<PackProblem> RepositoryImpl::VerifyPack(const Id& pack, std::string_view bytes) const {
  std::vector<PackProblem> problems;
  const std::string what = "pack " + pack.Hex();
  if (HashName(bytes) != pack)
    problems.push_back({std::nullopt, BlobType::kData,
                        what + ": content does not match its name (damaged or replaced)"});
  auto header = DecodePack(master_.data_key, bytes, pack);
  if (!header) {
    problems.push_back({std::nullopt, BlobType::kData, header.error().message()});
    return problems;
  }
  for (const PackBlob& b : *header) {
    const std::string blob_what = what + ": " + std::string(NameOf(b.type)) + " blob " + b.id.Hex();
    if (auto loc = Lookup(b.type, b.id);
        loc && loc->pack == pack &&
        (loc->offset != b.offset || loc->stored_length != b.stored_length ||
         loc->compressed != b.compressed()))
      problems.push_back({b.id, b.type, blob_what + ": the index and the pack header disagree"});
    // Reused per thread: a fresh string per blob is zero-filled before it is overwritten.
    // Buffers past 4 MiB (the largest chunks) are let go, so a thread keeps at most 8 MiB.
    thread_local std::string plain, scratch;
    Status opened = OpenBlobInto(b.type, b.id, bytes.substr(b.offset, b.stored_length),
                                 b.compressed(), &plain, &scratch);
    const auto trim = [](std::string& s) {
      if (s.capacity() > (size_t{4} << 20)) std::string().swap(s);
    };
    if (!opened.ok())
      problems.push_back({b.id, b.type, what + ": " + opened.message()});
    else if (plain.size() != b.raw_length)
      problems.push_back({b.id, b.type,
                          blob_what + ": " + std::to_string(plain.size()) +
                              " bytes, the header says " + std::to_string(b.raw_length)});
    trim(plain);
    trim(scratch);
  }
  return problems;
}

Result<std::vector<PackBlob>> RepositoryImpl::LoadPackHeader(const Id& pack) {
  FS_ASSIGN_OR_RETURN(FileInfo info, backend_->Stat(FileType::kPack, pack.Hex()));
  if (info.size < kPackTrailerSize)
    return Err(DataLoss("pack " + pack.Hex() + ": " + std::to_string(info.size) +
                        " bytes is too short to be a failsafe pack"));
  uint64_t want = std::min(info.size, kPackTailGuess);
  FS_ASSIGN_OR_RETURN(std::string tail,
                      backend_->Load(FileType::kPack, pack.Hex(), info.size - want, want));
  FS_ASSIGN_OR_RETURN(
      uint32_t header_length,
      DecodePackTrailer(std::string_view(tail).substr(tail.size() - kPackTrailerSize), pack,
                        info.size));
  if (header_length + kPackTrailerSize > tail.size()) {
    want = header_length + kPackTrailerSize;
    FS_ASSIGN_OR_RETURN(tail, backend_->Load(FileType::kPack, pack.Hex(), info.size - want, want));
  }
  return DecodePackTail(master_.data_key, tail, pack, info.size);
}

Result<crypto::KeyFile> WrapForInit(const crypto::MasterKey& master, const Credentials& credentials,
                                    const InitOptions& options, const crypto::KeyMeta& meta) {
  if (credentials.password) {
    if (credentials.password->empty()) return Err(InvalidArgument("the password is empty"));
    return crypto::WrapWithPassword(master, *credentials.password, options.argon2_opslimit,
                                    options.argon2_memlimit, meta);
  }
  if (credentials.key_file) {
    auto secret = ReadKeyFileSecret(*credentials.key_file);
    if (!secret && secret.error().code() == ErrorCode::kNotFound)
      secret = CreateKeyFileSecret(*credentials.key_file);
    if (!secret) return Err(secret.error());
    return crypto::WrapWithKeyFileSecret(master, *secret, meta);
  }
  return Err(InvalidArgument(
      "a password (FAILSAFE_BACKUP_PASSWORD or --password-file) or --key-file is needed"));
}

}  // namespace

Result<std::unique_ptr<Repository>> Repository::Init(std::unique_ptr<Backend> backend,
                                                     const Credentials& credentials,
                                                     const InitOptions& options,
                                                     const RepoOptions& repo_options) {
  RepoConfig config = options.config;
  config.version = kRepoVersion;
  std::string random_id = RandomBytes(32);
  config.id = Id::FromBytes(reinterpret_cast<const uint8_t*>(random_id.data()));
  FS_RETURN_IF_ERROR(ValidateConfig(config));
  FS_RETURN_IF_ERROR(backend->Create());
  crypto::MasterKey master = crypto::MasterKey::Generate();
  if (options.from != nullptr) {
    const auto* from = dynamic_cast<const RepositoryImpl*>(options.from);
    if (from == nullptr) return Err(InvalidArgument("init --from-repo: not an open repository"));
    master = crypto::MasterKey::GenerateSharingIds(from->master());
    config.chunker = from->config().chunker;
  }
  const crypto::KeyMeta meta{
      FormatRfc3339(
          (repo_options.clock ? *repo_options.clock : SystemClock::Instance()).NowMillis()),
      repo_options.hostname.empty() ? DefaultHost() : repo_options.hostname,
      repo_options.username.empty() ? DefaultUser() : repo_options.username};
  // Keys first, config last: a location without config is not a repository yet.
  FS_ASSIGN_OR_RETURN(crypto::KeyFile key, WrapForInit(master, credentials, options, meta));
  const std::string key_text = crypto::EncodeKeyFile(key);
  const Id key_id = HashName(key_text);
  FS_RETURN_IF_ERROR(backend->Save(FileType::kKey, key_id.Hex(), key_text));
  FS_RETURN_IF_ERROR(
      backend->Save(FileType::kConfig, std::string(kConfigName),
                    crypto::Seal(master.data_key, EncodeConfig(config), aad::kConfig)));
  return std::unique_ptr<Repository>(
      new RepositoryImpl(std::move(backend), std::move(master), key_id, config, repo_options));
}

Result<std::unique_ptr<Repository>> Repository::Open(std::unique_ptr<Backend> backend,
                                                     const Credentials& credentials,
                                                     const RepoOptions& repo_options) {
  auto sealed = backend->Load(FileType::kConfig, std::string(kConfigName));
  if (!sealed && sealed.error().code() == ErrorCode::kNotFound)
    return Err(NotFound(backend->Location() + " is not a failsafe repository (no config)"));
  if (!sealed) return Err(sealed.error().WithContext("reading config"));
  FS_ASSIGN_OR_RETURN(OpenedKey key, OpenWithCredentials(*backend, credentials));
  ReleaseFreedMemory();  // Argon2id's 64 MiB
  std::string plain;
  FS_RETURN_IF_ERROR(crypto::Open(key.master.data_key, *sealed, aad::kConfig, &plain, "config"));
  auto config = DecodeConfig(plain);
  if (!config && config.error().code() == ErrorCode::kInvalidArgument)
    return Err(DataLoss(config.error().message()));
  if (!config) return Err(config.error());
  return std::unique_ptr<Repository>(
      new RepositoryImpl(std::move(backend), std::move(key.master), key.id, *config, repo_options));
}

}  // namespace failsafe::backup
