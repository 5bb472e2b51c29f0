#pragma once
// PackSaver: the background side of SaveBlob. Full packs wait in a bounded queue (so a
// backup's memory stays bounded: SaveBlob blocks when the queue is full) and writer threads
// save them under the SHA-256 of their bytes, tell the repository where their blobs now are,
// and write an index file every `index_every` packs and on Drain: packs first, then the
// index that names them (docs/backup-format.md, "Crash safety").
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backup/backend/backend.h"
#include "backup/crypto/secret_key.h"
#include "backup/format/index_file.h"
#include "backup/format/pack_buffer.h"

namespace failsafe::backup {

class PackSaver {
 public:
  using OnSaved = std::function<void(const Id& pack, const std::vector<PackBlob>& blobs)>;
  // Takes back the bytes of every pack submitted, saved or not (after an error too), so that
  // their memory can hold the next one; `type` is the type of the pack's blobs.
  using Recycle = std::function<void(PackBuffer bytes, BlobType type)>;

  PackSaver(Backend& backend, const crypto::SecretKey& data_key, size_t threads, size_t max_pending,
            size_t index_every, OnSaved on_saved, Recycle recycle = {});
  ~PackSaver();  // stops the threads; packs still queued are dropped (a crash would too)
  PackSaver(const PackSaver&) = delete;
  PackSaver& operator=(const PackSaver&) = delete;

  // Queues a finished pack; blocks while the queue is full. Returns the first error any
  // writer met (the backup cannot succeed after one).
  Status Submit(PackBuffer bytes, std::vector<PackBlob> blobs);
  // Waits until every queued pack is saved, then writes an index file for the packs not in
  // one yet. Returns the first error.
  Status Drain();
  Status error() const;

  size_t packs_saved() const;
  size_t index_files_saved() const;

 private:
  struct Job {
    PackBuffer bytes;
    std::vector<PackBlob> blobs;
  };
  void Run();
  Status SaveOne(Job& job);
  void Done(Job& job);  // the job's bytes back to the recycler, or freed
  // Writes an index file for `unindexed_` (called with index_mu_ held).
  Status WriteIndexLocked();
  void SetError(const Status& s);

  Backend& backend_;
  const crypto::SecretKey& data_key_;
  const size_t max_pending_;
  const size_t index_every_;
  OnSaved on_saved_;
  Recycle recycle_;

  mutable std::mutex mu_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;
  std::condition_variable idle_;
  std::deque<Job> queue_;
  size_t busy_ = 0;
  bool stop_ = false;
  Status error_;
  size_t packs_saved_ = 0;

  std::mutex index_mu_;  // held while writing an index file; orders it after its packs
  IndexFile unindexed_;
  size_t index_files_saved_ = 0;

  std::vector<std::thread> threads_;
};

}  // namespace failsafe::backup
