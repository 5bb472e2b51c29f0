#include "backup/ops/copy.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "backup/format/snapshot.h"
#include "backup/format/tree.h"

namespace failsafe::backup {
namespace {

using IdMap = std::unordered_map<BlobId, BlobId, IdHash>;

// Blobs loaded and saved at once: enough to hide a remote source's latency, few enough that
// memory stays a handful of chunks (at most 8 MiB each).
constexpr size_t kCopyThreads = 4;

class Copier {
 public:
  Copier(Repository& src, Repository& dst, Progress& progress, bool same_keys, CopyResult& result)
      : src_(src), dst_(dst), progress_(progress), same_keys_(same_keys), result_(result) {}

  // The destination id of the source tree `id`, after copying everything below it.
  Result<BlobId> CopyTree(const BlobId& id) {
    if (auto it = trees_.find(id); it != trees_.end()) return it->second;
    auto bytes = src_.LoadBlob(BlobType::kTree, id);
    if (!bytes) return Err(bytes.error().WithContext("source tree " + id.Hex()));
    auto tree = DecodeTree(*bytes);
    if (!tree) return Err(tree.error().WithContext("source tree " + id.Hex()));
    FS_RETURN_IF_ERROR(CopyChunksOf(*tree));
    for (Node& node : tree->nodes) {
      if (node.type == NodeType::kDir && !node.subtree.IsZero()) {
        FS_ASSIGN_OR_RETURN(node.subtree, CopyTree(node.subtree));
        continue;
      }
      if (node.type != NodeType::kFile) continue;
      for (ContentEntry& e : node.content) {
        if (e.kind != ContentEntry::Kind::kChunk) continue;
        FS_ASSIGN_OR_RETURN(e.id, CopyData(e.id));
      }
      progress_.AddFiles(1);
      progress_.AddBytes(node.size);
    }
    std::string out;
    if (same_keys_) {
      out = std::move(*bytes);  // ids unchanged: the tree's bytes are too
    } else {
      FS_ASSIGN_OR_RETURN(out, EncodeTree(*tree));
    }
    BlobId new_id = dst_.IdOf(out);
    FS_RETURN_IF_ERROR(Save(BlobType::kTree, new_id, out));
    trees_.emplace(id, new_id);
    return new_id;
  }

  // Records that the destination's tree `copy` is the rewritten source tree `original`,
  // pairing their chunk ids, so an incremental copy does not read unchanged data again.
  // Only between repositories with different keys; a mismatch just stops the pairing.
  void LearnFromEarlierCopy(const BlobId& original, const BlobId& copy) {
    if (same_keys_ || trees_.count(original)) return;
    auto a = src_.LoadBlob(BlobType::kTree, original);
    auto b = dst_.LoadBlob(BlobType::kTree, copy);
    if (!a || !b) return;
    auto ta = DecodeTree(*a), tb = DecodeTree(*b);
    if (!ta || !tb || ta->nodes.size() != tb->nodes.size()) return;
    for (size_t i = 0; i < ta->nodes.size(); ++i) {
      const Node& x = ta->nodes[i];
      const Node& y = tb->nodes[i];
      if (x.name != y.name || x.type != y.type) return;
      if (x.type == NodeType::kDir && !x.subtree.IsZero() && !y.subtree.IsZero())
        LearnFromEarlierCopy(x.subtree, y.subtree);
      if (x.content.size() != y.content.size()) continue;
      for (size_t j = 0; j < x.content.size(); ++j) {
        const ContentEntry& cx = x.content[j];
        const ContentEntry& cy = y.content[j];
        if (cx.kind == ContentEntry::Kind::kChunk && cy.kind == cx.kind && cx.length == cy.length &&
            dst_.HasBlob(BlobType::kData, cy.id))
          data_.emplace(cx.id, cy.id);
      }
    }
    trees_.emplace(original, copy);
  }

 private:
  // Copies the chunks of the tree's files that are not copied yet with a few threads: reading
  // from a remote source is mostly waiting, and the repositories are safe to use from many
  // threads for loading and saving blobs. CopyData then finds them done.
  Status CopyChunksOf(const Tree& tree) {
    std::vector<BlobId> todo;
    for (const Node& node : tree.nodes) {
      if (node.type != NodeType::kFile) continue;
      for (const ContentEntry& e : node.content)
        if (e.kind == ContentEntry::Kind::kChunk && !Done(e.id)) todo.push_back(e.id);
    }
    std::sort(todo.begin(), todo.end());
    todo.erase(std::unique(todo.begin(), todo.end()), todo.end());
    if (todo.size() < 2) return Status::Ok();
    std::atomic<size_t> next{0};
    std::mutex mu;
    Status first_error;
    auto work = [&] {
      for (size_t i = next++; i < todo.size(); i = next++) {
        {
          std::lock_guard lock(mu);
          if (!first_error.ok()) return;
        }
        Result<BlobId> copied = CopyData(todo[i]);
        if (!copied) {
          std::lock_guard lock(mu);
          if (first_error.ok()) first_error = copied.error();
        }
      }
    };
    std::vector<std::thread> threads;
    for (size_t t = 0; t < std::min<size_t>(kCopyThreads, todo.size()); ++t)
      threads.emplace_back(work);
    for (auto& t : threads) t.join();
    return first_error;
  }

  bool Done(const BlobId& id) {
    if (same_keys_) return dst_.HasBlob(BlobType::kData, id);
    std::lock_guard lock(mu_);
    return data_.count(id) > 0;
  }

  Result<BlobId> CopyData(const BlobId& id) {
    if (same_keys_) {
      if (!dst_.HasBlob(BlobType::kData, id)) {
        auto plain = src_.LoadBlob(BlobType::kData, id);
        if (!plain) return Err(plain.error().WithContext("source data blob " + id.Hex()));
        FS_RETURN_IF_ERROR(Save(BlobType::kData, id, *plain));
        std::lock_guard lock(mu_);
        result_.bytes_read += plain->size();
      }
      return id;
    }
    {
      std::lock_guard lock(mu_);
      if (auto it = data_.find(id); it != data_.end()) return it->second;
    }
    auto plain = src_.LoadBlob(BlobType::kData, id);
    if (!plain) return Err(plain.error().WithContext("source data blob " + id.Hex()));
    BlobId new_id = dst_.IdOf(*plain);
    FS_RETURN_IF_ERROR(Save(BlobType::kData, new_id, *plain));
    std::lock_guard lock(mu_);
    result_.bytes_read += plain->size();
    data_.emplace(id, new_id);
    return new_id;
  }

  Status Save(BlobType type, const BlobId& id, std::string_view plain) {
    if (dst_.HasBlob(type, id)) return Status::Ok();
    auto saved = dst_.SaveBlob(type, id, plain);
    if (!saved) return saved.error().WithContext("writing to the destination");
    std::lock_guard lock(mu_);
    if (saved->added) {
      ++result_.blobs_added;
      result_.bytes_stored += saved->stored_bytes;
    }
    return Status::Ok();
  }

  Repository& src_;
  Repository& dst_;
  Progress& progress_;
  bool same_keys_;
  CopyResult& result_;
  std::mutex mu_;  // data_ and result_, written by the chunk threads
  IdMap trees_;    // source tree id -> destination tree id, copied or learned (one thread)
  IdMap data_;     // source chunk id -> destination chunk id (different keys only)
};

Result<Snapshot> LoadSnapshot(Repository& repo, const Id& id, const std::string& which) {
  auto json = repo.LoadSnapshotJson(id);
  if (!json) return Err(json.error().WithContext(which + " snapshot " + id.Hex()));
  auto s = DecodeSnapshot(*json);
  if (!s) return Err(s.error().WithContext(which + " snapshot " + id.Hex()));
  return s;
}

}  // namespace

Result<CopyResult> CopySnapshots(Repository& src, Repository& dst, const CopyOptions& options) {
  if (src.config().id == dst.config().id)
    return Err(InvalidArgument("the source and the destination are the same repository", "--to"));
  CopyResult result;
  // The same id key gives the same id for the same bytes; a probe tells without the keys.
  constexpr std::string_view kProbe = "failsafe copy: do these repositories share the id key?";
  result.same_keys = src.IdOf(kProbe) == dst.IdOf(kProbe);

  FS_ASSIGN_OR_RETURN(auto src_lock, src.Lock(/*exclusive=*/false));
  FS_ASSIGN_OR_RETURN(auto dst_lock, dst.Lock(/*exclusive=*/false));

  Progress own_progress;
  Progress& progress = options.progress ? *options.progress : own_progress;
  Copier copier(src, dst, progress, result.same_keys, result);

  // What the destination already holds, by source snapshot id.
  std::map<Id, std::pair<Id, BlobId>> copies;  // source id -> (copy id, copy's tree)
  FS_ASSIGN_OR_RETURN(auto dst_ids, dst.ListSnapshots());
  for (const Id& id : dst_ids) {
    FS_ASSIGN_OR_RETURN(Snapshot s, LoadSnapshot(dst, id, "destination"));
    if (s.copied_from && s.copied_from->repository == src.config().id)
      copies.emplace(s.copied_from->snapshot, std::make_pair(id, s.tree));
  }

  std::vector<Id> wanted = options.snapshots;
  if (wanted.empty()) {
    FS_ASSIGN_OR_RETURN(wanted, src.ListSnapshots());
  }
  std::vector<std::pair<Id, Snapshot>> todo;
  for (const Id& id : wanted) {
    FS_ASSIGN_OR_RETURN(Snapshot s, LoadSnapshot(src, id, "source"));
    if (copies.count(id)) {
      ++result.already_there;
      continue;
    }
    progress.AddTotal(s.summary.total_files, s.summary.total_bytes);
    todo.emplace_back(id, std::move(s));
  }
  progress.TotalsFinal();
  // Oldest first, so each copy's parent is already there to point at.
  std::sort(todo.begin(), todo.end(),
            [](const auto& a, const auto& b) { return a.second.time_ns < b.second.time_ns; });
  if (!todo.empty()) {
    for (const auto& [source_id, copy] : copies) {
      auto original = LoadSnapshot(src, source_id, "source");
      if (original) copier.LearnFromEarlierCopy(original->tree, copy.second);
    }
  }

  for (auto& [id, s] : todo) {
    if (options.note) options.note("copying snapshot " + id.Hex().substr(0, 8));
    FS_ASSIGN_OR_RETURN(BlobId tree, copier.CopyTree(s.tree));
    // Packs and index before the snapshot: a snapshot never names what is not indexed.
    FS_RETURN_IF_ERROR(dst.Flush());
    FS_RETURN_IF_ERROR(dst_lock->health());
    Snapshot copy = s;
    copy.tree = tree;
    copy.parent.reset();
    if (s.parent) {
      if (auto it = copies.find(*s.parent); it != copies.end()) copy.parent = it->second.first;
    }
    copy.copied_from = SnapshotOrigin{src.config().id, id};
    FS_ASSIGN_OR_RETURN(Id copy_id, dst.SaveSnapshotJson(EncodeSnapshot(copy)));
    copies.emplace(id, std::make_pair(copy_id, tree));
    result.copied.push_back({id, copy_id});
  }
  FS_RETURN_IF_ERROR(dst_lock->Release());
  FS_RETURN_IF_ERROR(src_lock->Release());
  return result;
}

}  // namespace failsafe::backup
