#pragma once
// PackWriter: collects encrypted blobs into one pack file and produces its bytes
// (blobs || encrypted header || trailer) and the entries the index records for it.
// Not thread-safe: the repository holds one per blob type under its own lock.
#include <string>
#include <string_view>
#include <vector>

#include "backup/crypto/secret_key.h"
#include "backup/format/pack.h"

namespace failsafe::backup {

class PackWriter {
 public:
  explicit PackWriter(size_t reserve_bytes = 0) { bytes_.reserve(reserve_bytes); }

  // Appends one sealed blob; `blob.offset` and `blob.stored_length` are filled in here.
  void Add(PackBlob blob, std::string_view sealed);

  size_t size() const { return bytes_.size(); }
  size_t count() const { return blobs_.size(); }
  bool empty() const { return blobs_.empty(); }
  const std::vector<PackBlob>& blobs() const { return blobs_; }

  // Appends the encrypted header and the trailer and hands out the finished pack.
  // The writer is empty afterwards (blobs() too: take them before).
  std::string Finish(const crypto::SecretKey& data_key);

 private:
  std::string bytes_;
  std::vector<PackBlob> blobs_;
};

}  // namespace failsafe::backup
