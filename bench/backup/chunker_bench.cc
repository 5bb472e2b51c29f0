// The chunker's throughput on one core, next to SHA-256 and memcpy on the same buffer: the
// chunker must not be what limits a backup (the cold read limit is ~350 MB/s).
//   backup_chunker_bench [MiB]
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "backup/chunker/chunker.h"

namespace {

template <typename F>
double SecondsOf(F&& f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace failsafe::backup;
  size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 512;
  std::vector<uint8_t> data(mib << 20);
  std::mt19937_64 rng(42);
  for (size_t i = 0; i + 8 <= data.size(); i += 8) {
    uint64_t v = rng();
    std::memcpy(&data[i], &v, 8);
  }
  GearTable gear;
  for (auto& g : gear) g = rng();
  GearChunker chunker(gear, ChunkSizes{});

  size_t chunks = 0;
  double chunk_s = SecondsOf([&] {
    size_t pos = 0;
    while (pos < data.size()) {
      pos += chunker.NextCut(data.data() + pos, data.size() - pos);
      ++chunks;
    }
  });
  unsigned char digest[32];
  double sha_s = SecondsOf(
      [&] { EVP_Digest(data.data(), data.size(), digest, nullptr, EVP_sha256(), nullptr); });
  std::vector<uint8_t> copy(data.size());
  double copy_s = SecondsOf([&] { std::memcpy(copy.data(), data.data(), data.size()); });

  double mb = static_cast<double>(data.size()) / 1e6;
  std::printf("%zu MiB random, %zu chunks (mean %.0f KiB)\n", mib, chunks,
              static_cast<double>(data.size()) / static_cast<double>(chunks) / 1024);
  std::printf("chunker  %8.0f MB/s\nsha256   %8.0f MB/s\nmemcpy   %8.0f MB/s\n", mb / chunk_s,
              mb / sha_s, mb / copy_s);
  return digest[0] == copy[0] ? 0 : 0;
}
