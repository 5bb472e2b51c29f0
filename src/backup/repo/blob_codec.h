#pragma once
// Compression of blobs (docs/backup-format.md, "Blobs, compression, packs"): zstd unless a
// level-1 trial on the first 64 KiB saves less than 3 %. Thread-safe; the zstd contexts are
// per thread, so compressing a chunk allocates no context.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace failsafe::backup {

inline constexpr size_t kCompressionSample = 64 * 1024;

// A growable buffer that is never zero-filled: the per-thread scratch space of the write
// path (std::string would memset every megabyte before it is overwritten).
class ScratchBuffer {
 public:
  char* Get(size_t n) {
    if (n > capacity_) {
      data_.reset(new char[n]);
      capacity_ = n;
    }
    return data_.get();
  }
  char* data() { return data_.get(); }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
};

// Compresses `plain` at `level` and returns the result, which lives in a per-thread buffer
// valid until this thread's next call; nullopt when the blob should be stored as is:
// level 0, a sample that does not compress, or a result no smaller than the input.
std::optional<std::string_view> CompressBlob(std::string_view plain, int level);

// Decompresses one zstd frame whose declared size must be at most `max_size`; DataLoss
// naming `what` otherwise.
Status DecompressBlob(std::string_view compressed, size_t max_size, std::string* out,
                      std::string_view what);

}  // namespace failsafe::backup
