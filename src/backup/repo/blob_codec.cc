#include "backup/repo/blob_codec.h"

#include <zstd.h>

#include <cstdlib>

namespace failsafe::backup {
namespace {

struct CompressContext {
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  ~CompressContext() { ZSTD_freeCCtx(ctx); }
};

struct DecompressContext {
  ZSTD_DCtx* ctx = ZSTD_createDCtx();
  ~DecompressContext() { ZSTD_freeDCtx(ctx); }
};

// Compresses into `out`; the size, or 0 on failure.
size_t Compress(ZSTD_CCtx* ctx, std::string_view in, int level, ScratchBuffer& out) {
  const size_t bound = ZSTD_compressBound(in.size());
  const size_t n = ZSTD_compressCCtx(ctx, out.Get(bound), bound, in.data(), in.size(), level);
  return ZSTD_isError(n) ? 0 : n;
}

}  // namespace

std::optional<std::string_view> CompressBlob(std::string_view plain, int level) {
  if (level <= 0 || plain.empty()) return std::nullopt;
  thread_local CompressContext c;
  thread_local ScratchBuffer sample_out;
  thread_local ScratchBuffer out;
  if (c.ctx == nullptr) std::abort();
  // The trial: if the first 64 KiB do not shrink by 3 % at the fastest level, the chunk is
  // (almost certainly) already compressed or encrypted data and zstd would only cost time.
  // Only chunks of more than two samples are tried: for a smaller one (most files are) the
  // trial would compress most of it twice, which cost more than compressing an
  // incompressible one once at the real level and storing it as is when it does not shrink.
  if (plain.size() > 2 * kCompressionSample) {
    const std::string_view sample = plain.substr(0, kCompressionSample);
    const size_t trial = Compress(c.ctx, sample, 1, sample_out);
    if (trial == 0 || trial * 100 > sample.size() * 97) return std::nullopt;
  }
  const size_t n = Compress(c.ctx, plain, level, out);
  if (n == 0 || n >= plain.size()) return std::nullopt;
  return std::string_view(out.data(), n);
}

Status DecompressBlob(std::string_view compressed, size_t max_size, std::string* out,
                      std::string_view what) {
  thread_local DecompressContext d;
  if (d.ctx == nullptr) std::abort();
  const unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
    return DataLoss(std::string(what) + ": not a zstd frame with a declared size");
  if (size > max_size)
    return DataLoss(std::string(what) + ": declares " + std::to_string(size) +
                    " bytes, over the limit of " + std::to_string(max_size));
  out->resize(static_cast<size_t>(size));
  const size_t n =
      ZSTD_decompressDCtx(d.ctx, out->data(), out->size(), compressed.data(), compressed.size());
  if (ZSTD_isError(n) || n != size)
    return DataLoss(std::string(what) + ": zstd data is damaged (" +
                    (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short output") + ")");
  return Status::Ok();
}

}  // namespace failsafe::backup
