// Memory and speed of the in-memory index at the scale: 10 million blobs
// (synthetic uniform ids, 16 blobs per pack as with 1 MiB chunks in 16 MiB packs).
// Prints resident memory per entry, the process's peak, the time to sort, and lookup cost.
//   backup_index_bench [entries]      (default 10000000)
//   backup_index_bench --load [entries]   (default 1000000): the same through real index
//       files in a MemBackend and Repository::LoadIndex (decrypt, verify, decode, sort)
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#include "backup/backend/mem_backend.h"
#include "backup/repo/memory_index.h"
#include "backup/repo/repository.h"
#include "proc_status.h"

using failsafe::backup::BlobId;
using failsafe::backup::BlobType;
using failsafe::backup::Id;
using failsafe::backup::MemoryIndex;
using failsafe::bench::ProcStatusKiB;

namespace {

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

// CPU time of this thread: the machine is shared, and wall time would measure the others.
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

// Writes `n` entries as index files of 64 packs x 16 blobs (what a backup writes), then
// times LoadIndex in a freshly opened repository.
int LoadThroughFiles(size_t n) {
  failsafe::backup::MemBackend mem;
  failsafe::backup::InitOptions o;
  o.argon2_opslimit = 1;
  o.argon2_memlimit = 1 << 16;
  failsafe::backup::Credentials c;
  c.password = "bench";
  auto repo = failsafe::backup::Repository::Init(mem.NewView(), c, o);
  if (!repo) return 1;
  Ids ids{1}, packs{7};
  size_t written = 0;
  while (written < n) {
    failsafe::backup::IndexFile file;
    for (int p = 0; p < 64 && written < n; ++p) {
      failsafe::backup::IndexPack pack{packs.Next(), {}};
      for (uint32_t b = 0; b < 16 && written < n; ++b, ++written) {
        failsafe::backup::PackBlob blob;
        blob.id = ids.Next();
        blob.flags = failsafe::backup::kBlobFlagZstd;
        blob.offset = b << 20;
        blob.stored_length = 700000;
        blob.raw_length = 1 << 20;
        pack.blobs.push_back(blob);
      }
      file.packs.push_back(std::move(pack));
    }
    if (!(*repo)->SaveIndexFile(file)) return 1;
  }
  size_t stored = 0;
  auto listed = mem.List(failsafe::backup::FileType::kIndex);
  for (const auto& f : *listed) stored += f.size;
  auto opened = failsafe::backup::Repository::Open(mem.NewView(), c);
  if (!opened) return 1;
  const long rss_before = ProcStatusKiB("VmRSS:");
  const double t0 = CpuNow();
  if (!(*opened)->LoadIndex().ok()) return 1;
  const double load_s = CpuNow() - t0;
  std::printf("LoadIndex of %zu entries in %zu index files (%.1f MiB stored)\n", n,
              mem.List(failsafe::backup::FileType::kIndex)->size(), stored / 1048576.0);
  std::printf("CPU time %.2f s (%.0f ns/entry); resident growth %.1f MiB = %.1f bytes/entry\n",
              load_s, load_s * 1e9 / static_cast<double>(n),
              (ProcStatusKiB("VmRSS:") - rss_before) / 1024.0,
              (ProcStatusKiB("VmRSS:") - rss_before) * 1024.0 / static_cast<double>(n));
  return (*opened)->BlobCount(BlobType::kData) == n ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--load")
    return LoadThroughFiles(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000);
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const size_t per_pack = 16;
  const long rss_before = ProcStatusKiB("VmRSS:");
  MemoryIndex index;
  double t0 = CpuNow();
  Ids packs{7};
  for (size_t p = 0; p < (n + per_pack - 1) / per_pack; ++p) index.AddPack(packs.Next());
  // LoadIndex reserves from the index files' sizes (an upper bound); the same here.
  index.ReserveLoaded(BlobType::kData, n + n / 10);
  Ids ids{1};
  for (size_t i = 0; i < n; ++i)
    index.AddLoaded(BlobType::kData, ids.Next(),
                    {static_cast<uint32_t>(i / per_pack),
                     static_cast<uint32_t>((i % per_pack) << 20), 1u << 20, i % 3 != 0});
  const double fill_s = (CpuNow() - t0);
  t0 = CpuNow();
  index.Finalize(std::vector<bool>(index.pack_count(), true));
  const double sort_s = (CpuNow() - t0);
  const long rss_after = ProcStatusKiB("VmRSS:");

  const size_t lookups = 2'000'000;
  Ids again{1};
  size_t found = 0;
  t0 = CpuNow();
  for (size_t i = 0; i < lookups; ++i) found += index.Find(BlobType::kData, again.Next()) ? 1 : 0;
  const double hit_ns = (CpuNow() - t0) * 1e9 / lookups;
  Ids absent{99};
  t0 = CpuNow();
  for (size_t i = 0; i < lookups; ++i) found += index.Contains(BlobType::kData, absent.Next());
  const double miss_ns = (CpuNow() - t0) * 1e9 / lookups;

  const double per_entry = (rss_after - rss_before) * 1024.0 / static_cast<double>(n);
  std::printf("entries                 %zu (%zu packs)\n", n, index.pack_count());
  std::printf("resident growth         %.1f MiB = %.1f bytes/entry (44 entry + pack table)\n",
              (rss_after - rss_before) / 1024.0, per_entry);
  std::printf("peak RSS of the process %.1f MiB\n", ProcStatusKiB("VmHWM:") / 1024.0);
  std::printf("CPU time: fill %.2f s, sort %.2f s\n", fill_s, sort_s);
  std::printf("CPU per lookup: hit %.0f ns, miss %.0f ns (found %zu of %zu)\n", hit_ns, miss_ns,
              found, lookups);

  // For scale: the same entries in a node-based hash map (what the index keeps only for the
  // blobs of a running backup), measured on a tenth of them.
  const size_t m = n / 10;
  const long before_map = ProcStatusKiB("VmRSS:");
  std::unordered_map<BlobId, failsafe::backup::IndexLocation, failsafe::backup::IdHash> map;
  Ids more{5};
  for (size_t i = 0; i < m; ++i) map.emplace(more.Next(), failsafe::backup::IndexLocation{});
  std::printf("std::unordered_map      %.1f bytes/entry (for comparison, %zu entries)\n",
              (ProcStatusKiB("VmRSS:") - before_map) * 1024.0 / static_cast<double>(m), m);
  return found == lookups ? 0 : 1;
}
