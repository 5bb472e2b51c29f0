// Memory and speed of the in-memory index at the scale: 10 million blobs
// (synthetic uniform ids, 16 blobs per pack as with 1 MiB chunks in 16 MiB packs).
// Prints resident memory per entry, the process's peak, the time to sort, and lookup cost.
//   backup_index_bench [entries]      (default 10000000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "backup/repo/memory_index.h"

using failsafe::backup::BlobId;
using failsafe::backup::BlobType;
using failsafe::backup::Id;
using failsafe::backup::MemoryIndex;

namespace {

// From /proc/self/status: current (VmRSS) or peak (VmHWM) resident memory in KiB.
long StatusKiB(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + std::strlen(key), nullptr, 10);
  return -1;
}

// splitmix64: the same ids can be regenerated for lookups without keeping them in memory.
struct Ids {
  uint64_t state;
  BlobId Next() {
    BlobId id;
    for (size_t i = 0; i < id.bytes.size(); i += 8) {
      uint64_t z = (state += 0x9e3779b97f4a7c15ull);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      z ^= z >> 31;
      std::memcpy(id.bytes.data() + i, &z, 8);
    }
    return id;
  }
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const size_t per_pack = 16;
  const long rss_before = StatusKiB("VmRSS:");
  MemoryIndex index;
  auto t0 = std::chrono::steady_clock::now();
  Ids packs{7};
  for (size_t p = 0; p < (n + per_pack - 1) / per_pack; ++p) index.AddPack(packs.Next());
  // LoadIndex reserves from the index files' sizes (an upper bound); the same here.
  index.ReserveLoaded(BlobType::kData, n + n / 10);
  Ids ids{1};
  for (size_t i = 0; i < n; ++i)
    index.AddLoaded(BlobType::kData, ids.Next(),
                    {static_cast<uint32_t>(i / per_pack),
                     static_cast<uint32_t>((i % per_pack) << 20), 1u << 20, i % 3 != 0});
  const double fill_s = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  index.Finalize(std::vector<bool>(index.pack_count(), true));
  const double sort_s = Seconds(t0);
  const long rss_after = StatusKiB("VmRSS:");

  const size_t lookups = 2'000'000;
  Ids again{1};
  size_t found = 0;
  t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lookups; ++i) found += index.Find(BlobType::kData, again.Next()) ? 1 : 0;
  const double hit_ns = Seconds(t0) * 1e9 / lookups;
  Ids absent{99};
  t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lookups; ++i) found += index.Contains(BlobType::kData, absent.Next());
  const double miss_ns = Seconds(t0) * 1e9 / lookups;

  const double per_entry = (rss_after - rss_before) * 1024.0 / static_cast<double>(n);
  std::printf("entries                 %zu (%zu packs)\n", n, index.pack_count());
  std::printf("resident growth         %.1f MiB = %.1f bytes/entry (44 entry + pack table)\n",
              (rss_after - rss_before) / 1024.0, per_entry);
  std::printf("peak RSS of the process %.1f MiB\n", StatusKiB("VmHWM:") / 1024.0);
  std::printf("fill %.2f s, sort %.2f s\n", fill_s, sort_s);
  std::printf("lookup hit %.0f ns, miss %.0f ns (found %zu of %zu)\n", hit_ns, miss_ns, found,
              lookups);
  return found == lookups ? 0 : 1;
}
