// backup_synth_repo: a real, encrypted repository with millions of data blobs, for measuring
// what the engine's commands cost as a repository grows (bench/backup/README.md, "10 million
// chunks"). Everything goes through the engine's own writers: Repository::Init, SaveBlob (the
// compression trial, AES-GCM, pack writer, background pack saver, index file every 64 packs),
// EncodeTree and SaveSnapshotJson. What is synthetic is only the content and the size of it:
//   - every chunk is `--chunk-bytes` (36) distinct bytes instead of about 1 MiB, and packs
//     are closed after `--blobs-per-pack` (16) blobs instead of at 16 MiB, so the repository
//     has as many blobs, packs and index files as a real one of that many 1 MiB chunks;
//   - one snapshot lists every chunk: files of `--file-chunks` (1000) chunks, 100 files per
//     directory, one directory level below the root (so `check` walks real trees);
//   - pack and index files are written without fsync (the repository is a cache that is
//     rebuilt if the machine crashes); everything else through the LocalBackend.
// `failsafe backup run|check|snapshots` open it like any other repository.
//
//   FAILSAFE_BACKUP_PASSWORD=... backup_synth_repo --repo DIR --chunks N [--blobs-per-pack 16]
//       [--chunk-bytes 36] [--file-chunks 1000]
//   FAILSAFE_BACKUP_PASSWORD=... backup_synth_repo --repo DIR --load
//       opens DIR and times LoadIndex alone: wall and CPU seconds, resident memory
#include <fcntl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "backup/backend/forwarding_backend.h"
#include "backup/backend/local_backend.h"
#include "backup/backend/posix_file.h"
#include "backup/format/snapshot.h"
#include "backup/format/tree.h"
#include "backup/repo/repository.h"
#include "proc_status.h"

namespace failsafe::backup {
namespace {

// Packs and index files straight into place, without the fsyncs of LocalBackend::Save (two
// per file, a few milliseconds each here: an hour for 625,000 packs). A dot-temp name and a
// rename still keep a killed generator from leaving half a file under a real name.
class UnsyncedBackend final : public ForwardingBackend {
 public:
  explicit UnsyncedBackend(std::string root)
      : ForwardingBackend(std::make_unique<LocalBackend>(root)), root_(std::move(root)) {}

  Status Save(FileType type, const std::string& name, std::string_view data) override {
    if (type != FileType::kPack && type != FileType::kIndex) return target().Save(type, name, data);
    FS_ASSIGN_OR_RETURN_STATUS(std::string rel, RelativePath(type, name));
    const std::string path = root_ + "/" + rel;
    const std::string tmp = path.substr(0, path.rfind('/') + 1) + "." + name + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return posix::ErrnoStatus("cannot create", tmp);
    Status s = posix::WriteAll(fd, data, tmp);
    ::close(fd);
    if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
      s = posix::ErrnoStatus("cannot rename into place", path);
    return s;
  }

 private:
  std::string root_;
};

struct Options {
  std::string repo;
  uint64_t chunks = 0;
  uint64_t blobs_per_pack = 16;
  uint64_t chunk_bytes = 36;
  uint64_t file_chunks = 1000;
  bool load = false;
};

constexpr uint64_t kFilesPerDir = 100;
using failsafe::bench::ProcStatusKiB;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Chunk `n`'s content: a tag, n, and bytes drawn from n (splitmix64): every chunk is distinct
// and incompressible, so the compression trial stores it as is and every pack has the same
// size.
std::string ChunkContent(uint64_t n, size_t bytes) {
  std::string out(std::max<size_t>(bytes, 12), '\0');
  std::memcpy(out.data(), "fsyn", 4);
  std::memcpy(out.data() + 4, &n, 8);
  uint64_t state = n * 0x2545f4914f6cdd1dull;
  for (size_t i = 12; i < out.size(); i += 8) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    std::memcpy(out.data() + i, &z, std::min<size_t>(8, out.size() - i));
  }
  return out;
}

Result<BlobId> SaveTree(Repository& repo, const Tree& tree) {
  FS_ASSIGN_OR_RETURN(std::string bytes, EncodeTree(tree));
  const BlobId id = repo.IdOf(bytes);
  FS_RETURN_IF_ERROR(StatusOf(repo.SaveBlob(BlobType::kTree, id, bytes)));
  return id;
}

Node NamedNode(NodeType type, const char* prefix, uint64_t n, int64_t mtime_ns) {
  Node node;
  node.type = type;
  char name[32];
  std::snprintf(name, sizeof name, "%s%07llu", prefix, static_cast<unsigned long long>(n));
  node.name = name;
  node.mode = type == NodeType::kDir ? 0755 : 0644;
  node.mtime_ns = node.atime_ns = node.ctime_ns = mtime_ns;
  node.links = 1;
  return node;
}

Status Generate(const Options& o, const Credentials& credentials) {
  const auto start = std::chrono::steady_clock::now();
  RepoOptions repo_options;
  repo_options.pack_size_override = o.blobs_per_pack * (o.chunk_bytes + kBlobOverhead);
  repo_options.pack_writers = 6;  // file creation waits on the disk more than on a core
  repo_options.max_pending_packs = 64;
  FS_ASSIGN_OR_RETURN_STATUS(auto repo, Repository::Init(std::make_unique<UnsyncedBackend>(o.repo),
                                                         credentials, {}, repo_options));
  const int64_t mtime_ns = 1'795'000'000'000'000'000;  // fixed: the trees are deterministic
  Tree root, dir;
  Node file;
  uint64_t files = 0, dirs = 0;
  auto close_file = [&] {
    if (file.content.empty()) return;
    dir.nodes.push_back(std::move(file));
    file = Node();
  };
  auto close_dir = [&]() -> Status {
    if (dir.nodes.empty()) return Status::Ok();
    FS_ASSIGN_OR_RETURN_STATUS(BlobId id, SaveTree(*repo, dir));
    Node node = NamedNode(NodeType::kDir, "d", dirs++, mtime_ns);
    node.subtree = id;
    root.nodes.push_back(std::move(node));
    dir = Tree();
    return Status::Ok();
  };
  for (uint64_t n = 0; n < o.chunks; ++n) {
    if (file.content.empty()) file = NamedNode(NodeType::kFile, "f", files++, mtime_ns);
    const std::string content = ChunkContent(n, o.chunk_bytes);
    const BlobId id = repo->IdOf(content);
    FS_ASSIGN_OR_RETURN_STATUS(SaveBlobResult saved, repo->SaveBlob(BlobType::kData, id, content));
    if (!saved.added) return Internal("chunk " + std::to_string(n) + " was not new");
    file.content.push_back(ContentEntry::Chunk(id, content.size()));
    file.size += content.size();
    if (file.content.size() == o.file_chunks) close_file();
    if (dir.nodes.size() == kFilesPerDir) FS_RETURN_STATUS_IF_ERROR(close_dir());
    // The new blobs of a process sit in a hash table until Flush merges them: flushing every
    // million keeps the generator's own memory near the index's.
    if ((n + 1) % 1'000'000 == 0) {
      FS_RETURN_STATUS_IF_ERROR(repo->Flush());
      std::fprintf(stderr, "%llu chunks, %.0f s\n", static_cast<unsigned long long>(n + 1),
                   Since(start));
    }
  }
  close_file();
  FS_RETURN_STATUS_IF_ERROR(close_dir());
  FS_ASSIGN_OR_RETURN_STATUS(BlobId root_id, SaveTree(*repo, root));
  FS_RETURN_STATUS_IF_ERROR(repo->Flush());
  Snapshot snap;
  snap.time_ns = mtime_ns;
  snap.host = "synthetic";
  snap.user = "bench";
  snap.paths = {"/synthetic"};
  snap.tags = {"synthetic"};
  snap.tree = root_id;
  snap.summary.files_new = snap.summary.total_files = files;
  snap.summary.dirs = dirs + 1;
  snap.summary.total_bytes = snap.summary.bytes_read = snap.summary.data_added =
      o.chunks * o.chunk_bytes;
  snap.program = "backup_synth_repo";
  FS_ASSIGN_OR_RETURN_STATUS(Id snap_id, repo->SaveSnapshotJson(EncodeSnapshot(snap)));
  std::printf(
      "repository %s: %llu data blobs, %zu packs, %zu index files, snapshot %s "
      "(%llu files in %llu directories); %.1f s, %.1f CPU s\n",
      o.repo.c_str(), static_cast<unsigned long long>(o.chunks), repo->ListPacks()->size(),
      repo->ListIndexFiles()->size(), snap_id.Hex().substr(0, 8).c_str(),
      static_cast<unsigned long long>(files), static_cast<unsigned long long>(dirs), Since(start),
      CpuSeconds());
  ::sync();
  return Status::Ok();
}

// LoadIndex alone, as every command that reads blobs starts.
Status Load(const Options& o, const Credentials& credentials) {
  FS_ASSIGN_OR_RETURN_STATUS(auto repo,
                             Repository::Open(std::make_unique<LocalBackend>(o.repo), credentials));
  const long rss_before = ProcStatusKiB("VmRSS:");
  const double cpu_before = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  FS_RETURN_STATUS_IF_ERROR(repo->LoadIndex());
  const double wall = Since(start), cpu = CpuSeconds() - cpu_before;
  const size_t blobs = repo->BlobCount(BlobType::kData) + repo->BlobCount(BlobType::kTree);
  const long rss_after = ProcStatusKiB("VmRSS:");
  // One JSON line for big_index.py; the figures a person reads are in it by name.
  std::printf(
      "{\"blobs\": %zu, \"load_wall_s\": %.3f, \"load_cpu_s\": %.3f, "
      "\"rss_before_kib\": %ld, \"rss_after_kib\": %ld, \"peak_kib\": %ld, "
      "\"resident_bytes_per_blob\": %.1f}\n",
      blobs, wall, cpu, rss_before, rss_after, ProcStatusKiB("VmHWM:"),
      static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(blobs));
  return Status::Ok();
}

int Usage() {
  std::fprintf(stderr,
               "usage: backup_synth_repo --repo DIR (--chunks N [--blobs-per-pack 16] "
               "[--chunk-bytes 36] [--file-chunks 1000] | --load)\n"
               "the password comes from FAILSAFE_BACKUP_PASSWORD\n");
  return 2;
}

}  // namespace
}  // namespace failsafe::backup

int main(int argc, char** argv) {
  using namespace failsafe::backup;
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto number = [&](uint64_t* out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      *out = std::strtoull(argv[++i], &end, 10);
      return *end == '\0' && *out > 0;
    };
    bool ok = true;
    if (arg == "--repo" && i + 1 < argc)
      o.repo = argv[++i];
    else if (arg == "--chunks")
      ok = number(&o.chunks);
    else if (arg == "--blobs-per-pack")
      ok = number(&o.blobs_per_pack);
    else if (arg == "--chunk-bytes")
      ok = number(&o.chunk_bytes);
    else if (arg == "--file-chunks")
      ok = number(&o.file_chunks);
    else if (arg == "--load")
      o.load = true;
    else
      ok = false;
    if (!ok) return Usage();
  }
  const char* password = std::getenv("FAILSAFE_BACKUP_PASSWORD");
  if (o.repo.empty() || password == nullptr || (!o.load && o.chunks == 0) || o.chunk_bytes < 12 ||
      o.chunk_bytes > (1u << 20))
    return Usage();
  Credentials credentials;
  credentials.password = password;
  failsafe::Status s = o.load ? Load(o, credentials) : Generate(o, credentials);
  if (!s.ok()) {
    std::fprintf(stderr, "backup_synth_repo: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}
