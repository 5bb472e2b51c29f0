#include "backup/repo/pack_saver.h"

#include "backup/crypto/aead.h"
#include "backup/crypto/hash.h"
#include "backup/format/aad.h"

namespace failsafe::backup {

PackSaver::PackSaver(Backend& backend, const crypto::SecretKey& data_key, size_t threads,
                     size_t max_pending, size_t index_every, OnSaved on_saved, Recycle recycle)
    : backend_(backend),
      data_key_(data_key),
      max_pending_(max_pending == 0 ? 1 : max_pending),
      index_every_(index_every == 0 ? 1 : index_every),
      on_saved_(std::move(on_saved)),
      recycle_(std::move(recycle)) {
  for (size_t i = 0; i < (threads == 0 ? 1 : threads); ++i)
    threads_.emplace_back([this] { Run(); });
}

PackSaver::~PackSaver() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  has_work_.notify_all();
  has_room_.notify_all();
  for (auto& t : threads_) t.join();
}

Status PackSaver::Submit(PackBuffer bytes, std::vector<PackBlob> blobs) {
  std::unique_lock lock(mu_);
  has_room_.wait(lock, [&] { return queue_.size() < max_pending_ || stop_ || !error_.ok(); });
  if (!error_.ok()) {
    Status error = error_;
    lock.unlock();
    Job dropped{std::move(bytes), std::move(blobs)};
    Done(dropped);
    return error;
  }
  queue_.push_back({std::move(bytes), std::move(blobs)});
  has_work_.notify_one();
  return Status::Ok();
}

Status PackSaver::Drain() {
  {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return (queue_.empty() && busy_ == 0) || !error_.ok(); });
    if (!error_.ok()) return error_;
  }
  std::lock_guard index_lock(index_mu_);
  Status s = WriteIndexLocked();
  if (!s.ok()) SetError(s);
  return s;
}

Status PackSaver::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

size_t PackSaver::packs_saved() const {
  std::lock_guard lock(mu_);
  return packs_saved_;
}

size_t PackSaver::index_files_saved() const {
  std::lock_guard lock(mu_);
  return index_files_saved_;
}

void PackSaver::SetError(const Status& s) {
  std::lock_guard lock(mu_);
  if (error_.ok()) error_ = s;
  has_room_.notify_all();
  idle_.notify_all();
}

void PackSaver::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      has_work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
      has_room_.notify_one();
    }
    Status s = error().ok() ? SaveOne(job) : Status::Ok();
    Done(job);  // a no-op when SaveOne gave the bytes back already
    if (!s.ok()) SetError(s);
    std::lock_guard lock(mu_);
    --busy_;
    if (queue_.empty() && busy_ == 0) idle_.notify_all();
  }
}

Status PackSaver::SaveOne(Job& job) {
  const Id pack = Id::FromBytes(crypto::Sha256(job.bytes.view()).data());
  Status saved = backend_.Save(FileType::kPack, pack.Hex(), job.bytes.view());
  // Free (or hand back) the memory before waiting for the index lock.
  Done(job);
  if (!saved.ok()) return saved.WithContext("saving pack " + pack.Hex());
  on_saved_(pack, job.blobs);
  std::lock_guard index_lock(index_mu_);
  {
    std::lock_guard lock(mu_);
    ++packs_saved_;
  }
  unindexed_.packs.push_back({pack, std::move(job.blobs)});
  if (unindexed_.packs.size() >= index_every_) return WriteIndexLocked();
  return Status::Ok();
}

void PackSaver::Done(Job& job) {
  if (job.bytes.data() == nullptr) return;  // given back already
  if (recycle_)
    recycle_(std::move(job.bytes), job.blobs.empty() ? BlobType::kData : job.blobs.front().type);
  job.bytes = PackBuffer();
}

Status PackSaver::WriteIndexLocked() {
  if (unindexed_.packs.empty()) return Status::Ok();
  std::string sealed = crypto::Seal(data_key_, EncodeIndex(unindexed_), aad::kIndex);
  const Id id = Id::FromBytes(crypto::Sha256(sealed).data());
  Status s = backend_.Save(FileType::kIndex, id.Hex(), sealed);
  if (!s.ok()) return s.WithContext("saving index " + id.Hex());
  unindexed_.packs.clear();
  std::lock_guard lock(mu_);
  ++index_files_saved_;
  return Status::Ok();
}

}  // namespace failsafe::backup
