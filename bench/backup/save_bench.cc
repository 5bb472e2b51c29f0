// The repository's write path against the machine's limits: SHA-256, HMAC-SHA256,
// AES-256-GCM and zstd speeds on this CPU, then IdOf + SaveBlob + Flush over 1 MiB chunks
// (text that compresses, random bytes that do not) with 1 and 2 threads, into a backend that
// discards packs. Prints MB per CPU-second (stable on a shared machine) and wall MB/s, and
// the engine's cost against the sum of its primitives.
//   backup_save_bench [MiB per run]     (default 256)
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backup/crypto/aead.h"
#include "backup/crypto/hash.h"
#include "backup/crypto/master_key.h"
#include "backup/repo/blob_codec.h"
#include "backup/repo/repository.h"
#include "base/random.h"

using namespace failsafe;
using namespace failsafe::backup;

namespace {

// Keeps small files (keys, config, index) and only counts pack bytes.
class DiscardBackend final : public Backend {
 public:
  std::string Location() const override { return "discard://"; }
  MediaKind Media() const override { return MediaKind::kLocalDisk; }
  Status Create() override { return Status::Ok(); }
  Status Save(FileType type, const std::string& name, std::string_view data) override {
    std::lock_guard lock(mu_);
    if (type == FileType::kPack)
      pack_bytes += data.size();
    else
      files_[{type, name}] = std::string(data);
    return Status::Ok();
  }
  Result<std::string> Load(FileType type, const std::string& name, uint64_t, uint64_t) override {
    std::lock_guard lock(mu_);
    auto it = files_.find({type, name});
    if (it == files_.end()) return Err(NotFound(name));
    return it->second;
  }
  Result<FileInfo> Stat(FileType, const std::string& name) override { return Err(NotFound(name)); }
  Result<std::vector<FileInfo>> List(FileType) override { return std::vector<FileInfo>{}; }
  Status Remove(FileType, const std::string&) override { return Status::Ok(); }
  std::atomic<uint64_t> pack_bytes{0};

 private:
  std::mutex mu_;
  std::map<std::pair<FileType, std::string>, std::string> files_;
};

double Cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double Wall() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<std::string> TextChunks(size_t n) {
  std::vector<std::string> out(n);
  uint64_t x = 1;
  for (size_t i = 0; i < n; ++i) {
    std::string& s = out[i];
    s.reserve(1 << 20);
    while (s.size() < (1 << 20)) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      s += "2026-11-22 02:00:" + std::to_string(x % 60) + " INSERT INTO orders VALUES (" +
           std::to_string(i * 100000 + s.size()) + ", 'customer-" + std::to_string(x % 9973) +
           "', " + std::to_string((x >> 20) % 100000) + ".00, 'shipped');\n";
    }
    s.resize(1 << 20);
  }
  return out;
}

std::vector<std::string> RandomChunks(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(RandomBytes(1 << 20));
  return out;
}

// MB per CPU-second of `f` over `bytes`.
template <typename F>
double Rate(double bytes, F f) {
  const double c0 = Cpu();
  f();
  return bytes / 1e6 / (Cpu() - c0);
}

void Limits(const std::vector<std::string>& text, const std::vector<std::string>& random) {
  const crypto::MasterKey key = crypto::MasterKey::Generate();
  const double bytes = static_cast<double>(text.size()) * (1 << 20);
  volatile uint8_t sink = 0;
  std::printf("machine limits, MB per CPU-second on 1 MiB buffers:\n");
  std::printf("  SHA-256            %8.0f\n", Rate(bytes, [&] {
                for (auto& c : random) sink = sink + crypto::Sha256(c)[0];
              }));
  std::printf("  HMAC-SHA256        %8.0f\n", Rate(bytes, [&] {
                for (auto& c : random) sink = sink + crypto::HmacSha256(key.id_key, c)[0];
              }));
  std::string out;
  std::printf("  AES-256-GCM seal   %8.0f\n", Rate(bytes, [&] {
                for (auto& c : random) {
                  out.clear();
                  crypto::SealAppend(key.data_key, c, "aad", &out);
                }
              }));
  size_t text_stored = 0;
  const double zstd_rate = Rate(bytes, [&] {
    for (auto& c : text) {
      auto z = CompressBlob(c, 3);
      text_stored += z ? z->size() : c.size();
    }
  });
  std::printf("  zstd -3 on text    %8.0f  (to %.0f%%)\n", zstd_rate,
              100.0 * static_cast<double>(text_stored) / bytes);
  std::printf("  zstd sample check on random %8.0f\n", Rate(bytes, [&] {
                for (auto& c : random) sink = sink + CompressBlob(c, 3).has_value();
              }));
}

void RunSave(const char* label, const std::vector<std::string>& chunks, size_t threads) {
  auto backend = std::make_unique<DiscardBackend>();
  DiscardBackend* raw = backend.get();
  InitOptions o;
  o.argon2_opslimit = 1;
  o.argon2_memlimit = 1 << 16;
  Credentials c;
  c.password = "bench";
  auto repo = Repository::Init(std::move(backend), c, o);
  if (!repo) std::abort();
  const double c0 = Cpu();
  const double w0 = Wall();
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      for (size_t i; (i = next++) < chunks.size();) {
        const BlobId id = (*repo)->IdOf(chunks[i]);
        if (!(*repo)->SaveBlob(BlobType::kData, id, chunks[i])) std::abort();
      }
    });
  for (auto& w : workers) w.join();
  if (!(*repo)->Flush().ok()) std::abort();
  const double cpu = Cpu() - c0;
  const double wall = Wall() - w0;
  const double mb = static_cast<double>(chunks.size()) * (1 << 20) / 1e6;
  std::printf("  %-7s %zu thread%s  %7.0f MB/CPU-s  %7.0f MB/s wall  stored %.0f%%\n", label,
              threads, threads > 1 ? "s" : " ", mb / cpu, mb / wall,
              100.0 * static_cast<double>(raw->pack_bytes.load()) / (mb * 1e6));
}

}  // namespace

int main(int argc, char** argv) {
  const size_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 256;
  auto text = TextChunks(mib);
  auto random = RandomChunks(mib);
  Limits(text, random);
  std::printf("SaveBlob path (IdOf + SaveBlob + Flush), %zu MiB each:\n", mib);
  for (size_t threads : {1, 2}) {
    RunSave("text", text, threads);
    RunSave("random", random, threads);
  }
  return 0;
}
