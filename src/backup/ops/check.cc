#include "backup/ops/check.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "backup/format/index_file.h"
#include "backup/format/pack.h"
#include "backup/format/snapshot.h"
#include "backup/format/tree.h"

namespace failsafe::backup {
namespace {

// What a pack should weigh: its blobs, the encrypted header that lists them, the trailer.
uint64_t ExpectedPackSize(std::vector<PackBlob>& blobs) {
  std::sort(blobs.begin(), blobs.end(),
            [](const PackBlob& a, const PackBlob& b) { return a.offset < b.offset; });
  uint64_t end = 0;
  for (const PackBlob& b : blobs)
    end = std::max<uint64_t>(end, uint64_t{b.offset} + b.stored_length);
  return end + kBlobOverhead + EncodePackHeader(blobs).size() + kPackTrailerSize;
}

// What check keeps of an indexed pack. Not its blob list: at ten million blobs the lists
// (and a blob-to-pack map) cost gigabytes, while the repository's index already says where
// each blob is.
struct IndexedPack {
  uint64_t expected_size = 0;
  size_t blobs = 0;
  bool listed = false;  // the backend lists the pack file
};

class Checker {
 public:
  Checker(Repository& repo, const CheckOptions& options, Progress& progress)
      : repo_(repo), options_(options), progress_(progress) {}

  Result<CheckResult> Run() {
    FS_RETURN_IF_ERROR(CheckKeys());
    FS_RETURN_IF_ERROR(CheckIndex());
    FS_RETURN_IF_ERROR(CheckPackFiles());
    FS_RETURN_IF_ERROR(LoadRepositoryIndex());
    if (options_.read_data) {
      // The snapshots' trees are walked while the packs are read, so the walk does not run
      // alone on one core at the end. That walk cannot know yet which packs are damaged;
      // it stands when none are, and is done again (trees now cached) when some are, so
      // damage is named down to files exactly as before.
      TreeWalk early(/*damage_known=*/false);
      std::thread data([this] { ReadData(); });
      Status walked = CheckSnapshots(early);
      data.join();
      FS_RETURN_IF_ERROR(walked);
      if (damaged_packs_.empty() && damaged_blobs_.empty()) {
        Merge(early);
      } else {
        TreeWalk late(/*damage_known=*/true);
        FS_RETURN_IF_ERROR(CheckSnapshots(late));
        Merge(late);
      }
    } else {
      TreeWalk walk(/*damage_known=*/true);
      FS_RETURN_IF_ERROR(CheckSnapshots(walk));
      Merge(walk);
    }
    for (const auto& [id, name] : unreferenced_)
      result_.warnings.push_back("pack " + id.Hex() +
                                 " is in no index (left by an interrupted backup or prune); "
                                 "`backup prune` removes it");
    auto locks = repo_.ListLocks();
    if (locks)
      for (const auto& lock : *locks)
        if (lock.stale) result_.warnings.push_back("stale lock: " + lock.Describe());
    result_.bytes_read = bytes_read_;
    result_.blobs_verified = blobs_verified_;
    return std::move(result_);
  }

 private:
  void Error(std::string message) {
    std::lock_guard lock(mu_);
    result_.errors.push_back(std::move(message));
  }

  Status CheckKeys() {
    auto keys = repo_.ListKeys();
    if (!keys) Error("keys: " + keys.error().message());
    return Status::Ok();
  }

  // Reads every index file once, keeping per pack only its expected size and blob count
  // (the decoded file is dropped at once).
  Status CheckIndex() {
    FS_ASSIGN_OR_RETURN_STATUS(auto files, repo_.ListIndexFiles());
    std::set<Id> superseded;
    std::vector<std::pair<Id, std::vector<std::pair<Id, IndexedPack>>>> loaded;
    for (const FileInfo& f : files) {
      auto id = Id::FromHex(f.name);
      if (!id) {
        Error("index/" + f.name + ": not a repository file name");
        continue;
      }
      auto index = repo_.LoadIndexFile(*id);
      if (!index) {
        Error("index " + f.name + ": " + index.error().message());
        continue;
      }
      for (const Id& s : index->supersedes) superseded.insert(s);
      std::vector<std::pair<Id, IndexedPack>> packs;
      packs.reserve(index->packs.size());
      for (IndexPack& pack : index->packs)
        packs.emplace_back(pack.id,
                           IndexedPack{ExpectedPackSize(pack.blobs), pack.blobs.size(), false});
      loaded.emplace_back(*id, std::move(packs));
    }
    for (auto& [id, packs] : loaded) {
      if (superseded.count(id)) continue;  // replaced by a prune that did not finish removing it
      for (const auto& [pack, summary] : packs) indexed_packs_[pack] = summary;
    }
    return Status::Ok();
  }

  // Data blob locations are needed only to read data (--read-data) or to tell which blobs sit
  // in a damaged pack; without either, ids are enough (112 MB less at ten million blobs).
  Status LoadRepositoryIndex() {
    const bool locations = options_.read_data || !damaged_packs_.empty();
    return repo_.LoadIndex({}, locations ? Repository::IndexDetail::kLocations
                                         : Repository::IndexDetail::kDataPresence);
  }

  // Each listed pack is looked up among the indexed ones (no second table of sizes: at
  // 625,000 packs it would cost 40 MB); indexed packs never listed are missing.
  Status CheckPackFiles() {
    FS_ASSIGN_OR_RETURN_STATUS(auto packs, repo_.ListPacks());
    for (const FileInfo& f : packs) {
      auto id = Id::FromHex(f.name);
      if (!id) {
        Error("data/" + f.name + ": not a repository file name (a foreign file?)");
        continue;
      }
      auto it = indexed_packs_.find(*id);
      if (it == indexed_packs_.end()) {
        unreferenced_[*id] = f.name;
        continue;
      }
      it->second.listed = true;
      if (f.size != it->second.expected_size) {
        Error("pack " + id->Hex() + " has " + std::to_string(f.size) + " bytes, its index says " +
              std::to_string(it->second.expected_size) + " (truncated or changed)");
        MarkDamaged(*id);
      }
    }
    result_.packs = packs.size();
    for (const auto& [id, pack] : indexed_packs_)
      if (!pack.listed) {
        Error("pack " + id.Hex() + " is missing (" + std::to_string(pack.blobs) + " blobs)");
        MarkDamaged(id);
      }
    return Status::Ok();
  }

  void MarkDamaged(const Id& pack) {
    std::lock_guard lock(mu_);
    damaged_packs_.insert(pack);
  }

  void ReadData() {
    std::vector<Id> packs;
    uint64_t total = 0, largest = 0;
    for (const auto& [id, pack] : indexed_packs_) {
      if (damaged_packs_.count(id)) continue;
      packs.push_back(id);
      const uint64_t size = pack.expected_size;
      total += size;
      largest = std::max(largest, size);
    }
    progress_.SetTotals(packs.size(), total);
    progress_.TotalsFinal();
    std::atomic<size_t> next{0};
    // Two threads per core: while one waits for a pack to be read (cold), another verifies
    // one already read. One per core left a core idle during every read.
    int n = options_.workers > 0
                ? options_.workers
                : 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (int t = 0; t < n; ++t)
      threads.emplace_back([&] {
        // One pack buffer per thread, reused: a fresh 16 MiB buffer per pack cost a
        // zero-fill and 4,096 page faults each (the allocator returns such blocks at once).
        std::string buffer;
        // Room for the largest pack at once (growing by doubling would copy and overshoot);
        // bounded, since only pages that are written become resident anyway.
        buffer.reserve(std::min<uint64_t>(largest, uint64_t{64} << 20));
        for (size_t i = next.fetch_add(1); i < packs.size(); i = next.fetch_add(1))
          ReadPack(packs[i], &buffer);
      });
    for (auto& t : threads) t.join();
  }

  void ReadPack(const Id& pack, std::string* bytes) {
    std::string name = "pack " + pack.Hex();
    if (Status loaded = repo_.LoadPackInto(pack, bytes); !loaded.ok()) {
      Error(name + ": " + loaded.message());
      MarkDamaged(pack);
      return;
    }
    bytes_read_.fetch_add(bytes->size());
    progress_.AddBytes(bytes->size());
    progress_.AddFiles(1);
    // A problem with the pack as a whole (name, header) damages all of it; otherwise only the
    // blobs named, so the damage is narrowed to the files those blobs belong to.
    std::vector<PackProblem> problems = repo_.VerifyPack(pack, *bytes);
    for (const PackProblem& p : problems) {
      Error(p.message);
      if (!p.blob) {
        MarkDamaged(pack);
      } else {
        std::lock_guard lock(mu_);
        damaged_blobs_.insert(*p.blob);
      }
    }
    size_t blobs = indexed_packs_.at(pack).blobs;
    blobs_verified_.fetch_add(blobs > problems.size() ? blobs - problems.size() : 0);
  }

  // One walk over every snapshot's trees: what it found, and its memo.
  struct TreeWalk {
    explicit TreeWalk(bool damage) : damage_known(damage) {}
    bool damage_known;  // false while the packs are still being read: nothing is damaged yet
    std::vector<std::string> errors;
    uint64_t snapshots = 0, trees = 0;
    std::unordered_map<BlobId, std::vector<std::string>, IdHash> problems;
  };

  void Merge(TreeWalk& walk) {
    result_.snapshots += walk.snapshots;
    result_.trees += walk.trees;
    for (std::string& e : walk.errors) Error(std::move(e));
  }

  bool IsDamaged(BlobType type, const BlobId& id) {
    if (damaged_blobs_.count(id)) return true;
    auto location = repo_.Lookup(type, id);
    return location && damaged_packs_.count(location->pack);
  }

  Status CheckSnapshots(TreeWalk& walk) {
    FS_ASSIGN_OR_RETURN_STATUS(auto ids, repo_.ListSnapshots());
    for (const Id& id : ids) {
      ++walk.snapshots;
      std::string name = "snapshot " + id.Hex().substr(0, 8);
      auto json = repo_.LoadSnapshotJson(id);
      if (!json) {
        walk.errors.push_back(name + ": " + json.error().message());
        continue;
      }
      auto snapshot = DecodeSnapshot(*json);
      if (!snapshot) {
        walk.errors.push_back(name + ": " + snapshot.error().message());
        continue;
      }
      for (const std::string& problem : TreeProblems(walk, snapshot->tree))
        walk.errors.push_back(name + ": " + problem);
    }
    return Status::Ok();
  }

  // Problems below a tree, as "path: problem" relative to it. Memoised: snapshots share most
  // of their trees, and each is read once.
  const std::vector<std::string>& TreeProblems(TreeWalk& walk, const BlobId& tree_id) {
    if (auto it = walk.problems.find(tree_id); it != walk.problems.end()) return it->second;
    std::vector<std::string> problems;
    if (!repo_.HasBlob(BlobType::kTree, tree_id)) {
      problems.push_back("/: tree " + tree_id.Hex() + " is in no index");
    } else if (walk.damage_known && IsDamaged(BlobType::kTree, tree_id)) {
      problems.push_back("/: tree " + tree_id.Hex() + " is in a damaged pack");
    } else {
      auto bytes = repo_.LoadBlob(BlobType::kTree, tree_id);
      auto tree = bytes ? DecodeTree(*bytes) : Result<Tree>(Err(bytes.error()));
      if (!tree) {
        problems.push_back("/: tree " + tree_id.Hex() + ": " + tree.error().message());
      } else {
        ++walk.trees;
        for (const Node& node : tree->nodes) {
          if (node.type == NodeType::kDir) {
            for (const std::string& p : TreeProblems(walk, node.subtree))
              problems.push_back("/" + node.name + p);
            continue;
          }
          size_t missing = 0, damaged = 0;
          for (const ContentEntry& e : node.content) {
            if (e.kind != ContentEntry::Kind::kChunk) continue;
            if (!repo_.HasBlob(BlobType::kData, e.id)) {
              ++missing;
            } else if (walk.damage_known && IsDamaged(BlobType::kData, e.id)) {
              ++damaged;
            }
          }
          if (missing > 0)
            problems.push_back("/" + node.name + ": " + std::to_string(missing) +
                               " chunks are in no index");
          if (damaged > 0)
            problems.push_back("/" + node.name + ": " + std::to_string(damaged) +
                               " chunks are in damaged packs");
        }
      }
    }
    return walk.problems.emplace(tree_id, std::move(problems)).first->second;
  }

  Repository& repo_;
  const CheckOptions& options_;
  Progress& progress_;
  std::mutex mu_;
  CheckResult result_;
  std::unordered_map<Id, IndexedPack, IdHash> indexed_packs_;
  std::map<Id, std::string> unreferenced_;
  std::set<Id> damaged_packs_;
  std::unordered_set<BlobId, IdHash> damaged_blobs_;
  std::atomic<uint64_t> bytes_read_{0}, blobs_verified_{0};
};

}  // namespace

Result<CheckResult> RunCheck(Repository& repo, const CheckOptions& options) {
  Progress own;
  Checker checker(repo, options, options.progress ? *options.progress : own);
  return checker.Run();
}

}  // namespace failsafe::backup
