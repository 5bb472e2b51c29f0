#pragma once
// Compression of blobs (docs/backup-format.md, "Blobs, compression, packs"): zstd unless a
// level-1 trial on the first 64 KiB saves less than 3 %. Thread-safe; the zstd contexts are
// per thread, so compressing a chunk allocates no context.
#include <string>
#include <string_view>

#include "base/status.h"

namespace failsafe::backup {

inline constexpr size_t kCompressionSample = 64 * 1024;

// Compresses `plain` at `level` into *out and returns true, or returns false (and leaves
// *out alone) when the blob should be stored as is: level 0, a sample that does not
// compress, or a result no smaller than the input.
bool CompressBlob(std::string_view plain, int level, std::string* out);

// Decompresses one zstd frame whose declared size must be at most `max_size`; DataLoss
// naming `what` otherwise.
Status DecompressBlob(std::string_view compressed, size_t max_size, std::string* out,
                      std::string_view what);

}  // namespace failsafe::backup
