#include "backup/ops/restore.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "backup/archive/fs_restore.h"
#include "backup/archive/unique_fd.h"
#include "backup/archive/walker.h"
#include "backup/format/tree.h"

namespace failsafe::backup {
namespace {

using archive::IsUnderPath;
using archive::JoinPath;

// Reads of one pack are merged across gaps up to this size: one request instead of many is
// worth reading a little data that is not needed.
constexpr uint64_t kMaxGap = 256 * 1024;
// One read is at most this long. Each restore worker holds one read's bytes, so this bounds
// the memory: at 32 MiB (whole packs) four workers peaked at 179 MB on the benchmark's
// restore, at 8 MiB at 130 MB and no slower (bench/RESULTS.md, issue 6).
constexpr uint64_t kMaxRun = 8 * 1024 * 1024;

struct FileTarget {
  std::string path;
  Node node;
  std::mutex mu;
  std::optional<archive::RestoreFile> file;
  size_t remaining = 0;  // chunk writes still to come
  bool failed = false;
};

struct ChunkUse {
  uint32_t file;
  uint64_t offset;
};

struct BlobPlan {
  BlobId id;
  uint64_t length = 0;
  BlobLocation where;
  std::vector<ChunkUse> uses;
};

void RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

class Restorer {
 public:
  Restorer(Repository& repo, const RestoreOptions& options, Progress& progress)
      : repo_(repo), options_(options), progress_(progress), writer_(MakeWriterOptions(options)) {}

  Result<RestoreResult> Run(const Snapshot& snapshot) {
    RaiseOpenFileLimit();
    std::error_code ec;
    std::filesystem::create_directories(options_.target, ec);
    if (ec)
      return Err(InvalidArgument(
          "cannot create the target " + options_.target + ": " + ec.message(), "target"));
    for (const std::string& include : options_.includes)
      includes_.push_back(
          include == "/" ? include : std::filesystem::path(include).lexically_normal().string());
    FS_RETURN_IF_ERROR(PlanTree(snapshot.tree, "/", options_.target));
    for (const std::string& include : includes_)
      if (!include_found_.count(include))
        return Err(NotFound("--include " + include + ": no such path in the snapshot"));

    uint64_t total_bytes = 0;
    for (const auto& f : files_) total_bytes += f->node.size;
    progress_.SetTotals(files_.size(), total_bytes);
    progress_.TotalsFinal();

    FS_RETURN_IF_ERROR(GroupByPack());
    RunWorkers([this](size_t) { RestorePacks(); });
    for (const auto& [existing, path] : hard_links_) {
      Status s = archive::CreateHardLink(existing, path);
      if (!s.ok()) Warn(path + ": " + s.message());
    }
    size_t dir_failures = 0;
    Status dirs = deferred_.ApplyAll(writer_, &dir_failures);
    if (!dirs.ok()) Warn(dirs.message());
    if (options_.verify) Verify();

    result_.files = files_.size() + hard_links_.size();
    std::lock_guard lock(mu_);
    result_.errors = errors_;
    return result_;
  }

 private:
  static archive::RestoreOptions MakeWriterOptions(const RestoreOptions& options) {
    archive::RestoreOptions o;
    if (options.owners_set) o.owners = options.owners;
    return o;
  }

  void Warn(const std::string& message) {
    {
      std::lock_guard lock(mu_);
      errors_.push_back(message);
    }
    progress_.AddError();
    if (options_.warn) options_.warn(message);
  }

  // Whether a snapshot path is restored (under an include), or only passed through (a
  // directory on the way to one).
  bool Selected(const std::string& path) {
    if (includes_.empty()) return true;
    for (const std::string& include : includes_) {
      if (IsUnderPath(path, include)) {
        if (path == include) include_found_.insert(include);
        return true;
      }
    }
    return false;
  }
  bool OnTheWay(const std::string& path) const {
    for (const std::string& include : includes_)
      if (IsUnderPath(include, path)) return true;
    return false;
  }

  Status PlanTree(const BlobId& tree_id, const std::string& snapshot_path,
                  const std::string& target_path) {
    FS_ASSIGN_OR_RETURN_STATUS(auto bytes, repo_.LoadBlob(BlobType::kTree, tree_id));
    auto tree = DecodeTree(bytes);
    if (!tree) return (tree.error().WithContext("tree " + tree_id.Hex()));
    for (Node& node : tree->nodes) {
      std::string spath = JoinPath(snapshot_path, node.name);
      std::string tpath = JoinPath(target_path, node.name);
      bool selected = Selected(spath);
      if (!selected && !(node.type == NodeType::kDir && OnTheWay(spath))) continue;
      FS_RETURN_STATUS_IF_ERROR(PlanNode(std::move(node), spath, tpath, selected));
    }
    return Status::Ok();
  }

  Status PlanNode(Node node, const std::string& spath, const std::string& tpath, bool selected) {
    switch (node.type) {
      case NodeType::kDir: {
        if (::mkdir(tpath.c_str(), 0700) != 0 && errno != EEXIST) {
          Warn(tpath + ": cannot create directory: " + std::strerror(errno));
          return Status::Ok();
        }
        ++result_.dirs;
        BlobId subtree = node.subtree;
        if (selected) deferred_.Add(tpath, node);
        return PlanTree(subtree, spath, tpath);
      }
      case NodeType::kFile: return PlanFile(std::move(node), tpath);
      default: {
        Status s = writer_.CreateSpecial(tpath, node);
        if (s.ok()) s = writer_.Apply(tpath, node);
        if (!s.ok()) Warn(tpath + ": " + s.message());
        return Status::Ok();
      }
    }
  }

  Status PlanFile(Node node, const std::string& tpath) {
    if (auto first = hard_link_table_.FirstPathOrRecord(node, tpath)) {
      hard_links_.emplace_back(*first, tpath);
      return Status::Ok();
    }
    auto target = std::make_unique<FileTarget>();
    target->path = tpath;
    uint32_t index = static_cast<uint32_t>(files_.size());
    uint64_t offset = 0;
    for (const ContentEntry& e : node.content) {
      if (e.kind == ContentEntry::Kind::kChunk) {
        auto [it, inserted] = blob_index_.try_emplace(e.id, blobs_.size());
        if (inserted) blobs_.push_back(BlobPlan{e.id, e.length, {}, {}});
        blobs_[it->second].uses.push_back({index, offset});
        ++target->remaining;
      }
      offset += e.length;
    }
    target->node = std::move(node);
    if (target->remaining == 0) {
      // Empty or all holes: nothing to fetch.
      auto file = archive::RestoreFile::Create(tpath, target->node.size);
      Status s = file ? file->Finish(writer_, target->node) : file.error();
      if (!s.ok()) Warn(tpath + ": " + s.message());
      progress_.AddFiles(1);
    }
    files_.push_back(std::move(target));
    return Status::Ok();
  }

  Status GroupByPack() {
    std::unordered_map<Id, size_t, IdHash> pack_index;
    for (size_t i = 0; i < blobs_.size(); ++i) {
      auto where = repo_.Lookup(BlobType::kData, blobs_[i].id);
      if (!where)
        return (DataLoss("data blob " + blobs_[i].id.Hex() +
                         " is in no index: the repository is damaged (run check)"));
      blobs_[i].where = *where;
      auto [it, inserted] = pack_index.try_emplace(where->pack, packs_.size());
      if (inserted) packs_.emplace_back();
      packs_[it->second].push_back(i);
    }
    for (auto& pack : packs_)
      std::sort(pack.begin(), pack.end(), [&](size_t a, size_t b) {
        return blobs_[a].where.offset < blobs_[b].where.offset;
      });
    return Status::Ok();
  }

  template <typename F>
  void RunWorkers(F&& body) {
    int n = options_.workers > 0
                ? options_.workers
                : 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) threads.emplace_back([&body, i] { body(static_cast<size_t>(i)); });
    for (auto& t : threads) t.join();
  }

  void RestorePacks() {
    while (true) {
      size_t p = next_pack_.fetch_add(1);
      if (p >= packs_.size()) return;
      const std::vector<size_t>& blobs = packs_[p];
      size_t i = 0;
      while (i < blobs.size()) {
        // One read covering blobs i..j-1.
        size_t j = i + 1;
        uint64_t start = blobs_[blobs[i]].where.offset;
        uint64_t end = start + blobs_[blobs[i]].where.stored_length;
        while (j < blobs.size()) {
          const BlobLocation& w = blobs_[blobs[j]].where;
          if (w.offset > end + kMaxGap || w.offset + w.stored_length - start > kMaxRun) break;
          end = std::max<uint64_t>(end, w.offset + w.stored_length);
          ++j;
        }
        const Id& pack = blobs_[blobs[i]].where.pack;
        auto bytes = repo_.backend().Load(FileType::kPack, pack.Hex(), start, end - start);
        if (!bytes) {
          Fail(blobs, i, j, "pack " + pack.Hex() + ": " + bytes.error().message());
        } else if (bytes->size() != end - start) {
          Fail(blobs, i, j, "pack " + pack.Hex() + ": short read");
        } else {
          for (size_t k = i; k < j; ++k) {
            const BlobPlan& b = blobs_[blobs[k]];
            std::string_view stored(bytes->data() + (b.where.offset - start),
                                    b.where.stored_length);
            auto plain = repo_.DecryptBlob(BlobType::kData, b.id, stored);
            if (!plain || plain->size() != b.length) {
              Fail(blobs, k, k + 1,
                   "pack " + pack.Hex() + ": blob " + b.id.Hex() + ": " +
                       (plain ? "wrong length" : plain.error().message()));
              continue;
            }
            for (const ChunkUse& use : b.uses) Write(use, *plain);
          }
        }
        i = j;
      }
    }
  }

  void Fail(const std::vector<size_t>& blobs, size_t from, size_t to, const std::string& why) {
    for (size_t k = from; k < to; ++k)
      for (const ChunkUse& use : blobs_[blobs[k]].uses) {
        FileTarget& f = *files_[use.file];
        std::lock_guard lock(f.mu);
        if (!f.failed) Warn(f.path + ": not restored: " + why);
        f.failed = true;
      }
  }

  void Write(const ChunkUse& use, const std::string& data) {
    FileTarget& f = *files_[use.file];
    std::lock_guard lock(f.mu);
    if (f.failed) return;
    if (!f.file) {
      auto created = archive::RestoreFile::Create(f.path, f.node.size);
      if (!created) {
        f.failed = true;
        Warn(f.path + ": " + created.error().message());
        return;
      }
      f.file.emplace(std::move(*created));
    }
    Status s = f.file->WriteAt(use.offset, data);
    if (!s.ok()) {
      f.failed = true;
      f.file.reset();
      Warn(f.path + ": " + s.message());
      return;
    }
    progress_.AddBytes(data.size());
    if (--f.remaining == 0) {
      Status done = f.file->Finish(writer_, f.node);
      f.file.reset();
      if (!done.ok()) Warn(f.path + ": " + done.message());
      progress_.AddFiles(1);
    }
  }

  void Verify() {
    std::atomic<size_t> next{0};
    std::atomic<uint64_t> verified{0};
    RunWorkers([&](size_t) {
      std::string buffer;
      while (true) {
        size_t i = next.fetch_add(1);
        if (i >= files_.size()) return;
        FileTarget& f = *files_[i];
        if (f.failed) continue;
        archive::UniqueFd fd(::open(f.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
        if (!fd.valid()) {
          Warn(f.path + ": verify: cannot open: " + std::strerror(errno));
          continue;
        }
        uint64_t offset = 0;
        for (const ContentEntry& e : f.node.content) {
          if (e.kind == ContentEntry::Kind::kChunk) {
            buffer.resize(e.length);
            ssize_t n = ::pread(fd.get(), buffer.data(), e.length, static_cast<off_t>(offset));
            if (n != static_cast<ssize_t>(e.length) || repo_.IdOf(buffer) != e.id) {
              Warn(f.path + ": verify: content differs at offset " + std::to_string(offset));
              break;
            }
            verified.fetch_add(e.length, std::memory_order_relaxed);
          }
          offset += e.length;
        }
      }
    });
    result_.verified_bytes = verified.load();
  }

  Repository& repo_;
  const RestoreOptions& options_;
  Progress& progress_;
  archive::MetadataWriter writer_;
  archive::DeferredDirectories deferred_;
  archive::HardLinkTable hard_link_table_;
  std::vector<std::pair<std::string, std::string>> hard_links_;  // (existing, new path)
  std::vector<std::string> includes_;
  std::set<std::string> include_found_;
  std::vector<std::unique_ptr<FileTarget>> files_;
  std::vector<BlobPlan> blobs_;
  std::unordered_map<BlobId, size_t, IdHash> blob_index_;
  std::vector<std::vector<size_t>> packs_;  // blob indices per pack, by offset
  std::atomic<size_t> next_pack_{0};
  std::mutex mu_;
  std::vector<std::string> errors_;
  RestoreResult result_;
};

}  // namespace

Result<RestoreResult> RunRestore(Repository& repo, const Snapshot& snapshot,
                                 const RestoreOptions& options) {
  Progress own;
  Restorer restorer(repo, options, options.progress ? *options.progress : own);
  FS_ASSIGN_OR_RETURN(auto result, restorer.Run(snapshot));
  return result;
}

Result<std::pair<Id, Snapshot>> ResolveSnapshot(Repository& repo, const std::string& spec) {
  FS_ASSIGN_OR_RETURN(auto ids, repo.ListSnapshots());
  std::optional<std::pair<Id, Snapshot>> found;
  for (const Id& id : ids) {
    bool wanted =
        spec == "latest" || (spec.size() >= 8 && id.Hex().compare(0, spec.size(), spec) == 0);
    if (!wanted) continue;
    FS_ASSIGN_OR_RETURN(auto json, repo.LoadSnapshotJson(id));
    auto snapshot = DecodeSnapshot(json);
    if (!snapshot) return Err(snapshot.error().WithContext("snapshot " + id.Hex()));
    if (spec != "latest" && found)
      return Err(InvalidArgument("snapshot prefix '" + spec + "' is ambiguous", "snapshot"));
    if (!found || spec != "latest" || snapshot->time_ns > found->second.time_ns)
      found = std::make_pair(id, std::move(*snapshot));
  }
  if (!found) {
    if (spec == "latest") return Err(NotFound("the repository has no snapshot yet"));
    if (spec.size() < 8)
      return Err(
          InvalidArgument("a snapshot id needs at least 8 hex digits: '" + spec + "'", "snapshot"));
    return Err(NotFound("no snapshot " + spec));
  }
  return *found;
}

}  // namespace failsafe::backup
