#pragma once
// PackWriter: collects encrypted blobs into one pack file and produces its bytes
// (blobs || encrypted header || trailer) and the entries the index records for it.
// Not thread-safe: the repository holds one per blob type under its own lock.
#include <string>
#include <string_view>
#include <vector>

#include "backup/crypto/secret_key.h"
#include "backup/format/pack.h"
#include "backup/format/pack_buffer.h"

namespace failsafe::backup {

class PackWriter {
 public:
  explicit PackWriter(size_t reserve_bytes = 0) { bytes_.Reserve(reserve_bytes); }
  // Reuses `buffer`'s memory (a pack already saved): its pages are resident, so filling it
  // costs no page faults, where a fresh 16 MiB buffer costs 4,096.
  PackWriter(PackBuffer buffer, size_t reserve_bytes) : bytes_(std::move(buffer)) {
    bytes_.clear();
    bytes_.Reserve(reserve_bytes);
  }

  // Appends one sealed blob; `blob.offset` and `blob.stored_length` are filled in here.
  void Add(PackBlob blob, std::string_view sealed);

  size_t size() const { return bytes_.size(); }
  size_t count() const { return blobs_.size(); }
  bool empty() const { return blobs_.empty(); }
  const std::vector<PackBlob>& blobs() const { return blobs_; }

  // Appends the encrypted header and the trailer and hands out the finished pack.
  // The writer is empty afterwards (blobs() too: take them before).
  PackBuffer Finish(const crypto::SecretKey& data_key);

 private:
  PackBuffer bytes_;
  std::vector<PackBlob> blobs_;
};

}  // namespace failsafe::backup
