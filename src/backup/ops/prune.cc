#include "backup/ops/prune.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "backup/format/index_file.h"
#include "backup/format/snapshot.h"
#include "backup/format/tree.h"

namespace failsafe::backup {
namespace {

using BlobSet = std::unordered_set<BlobId, IdHash>;

// Every blob a snapshot needs. Any unreadable snapshot or tree stops prune: deleting data while
// unsure what is needed is how backups get lost.
Status CollectUsed(Repository& repo, BlobSet& used_trees, BlobSet& used_data) {
  FS_ASSIGN_OR_RETURN_STATUS(auto ids, repo.ListSnapshots());
  std::vector<BlobId> pending;
  for (const Id& id : ids) {
    FS_ASSIGN_OR_RETURN_STATUS(auto json, repo.LoadSnapshotJson(id));
    auto snapshot = DecodeSnapshot(json);
    if (!snapshot)
      return snapshot.error().WithContext("snapshot " + id.Hex() +
                                          " (prune stopped, nothing removed)");
    pending.push_back(snapshot->tree);
  }
  while (!pending.empty()) {
    BlobId tree_id = pending.back();
    pending.pop_back();
    if (!used_trees.insert(tree_id).second) continue;
    auto bytes = repo.LoadBlob(BlobType::kTree, tree_id);
    if (!bytes)
      return bytes.error().WithContext("tree " + tree_id.Hex() +
                                       " (prune stopped, nothing removed; run check)");
    auto tree = DecodeTree(*bytes);
    if (!tree) return tree.error().WithContext("tree " + tree_id.Hex() + " (prune stopped)");
    for (const Node& node : tree->nodes) {
      if (node.type == NodeType::kDir) pending.push_back(node.subtree);
      for (const ContentEntry& e : node.content)
        if (e.kind == ContentEntry::Kind::kChunk) used_data.insert(e.id);
    }
  }
  return Status::Ok();
}

struct PackPlan {
  std::vector<PackBlob> blobs;
  std::vector<bool> keep;  // per blob: needed, and this is the copy kept
  uint64_t used_bytes = 0;
  uint64_t unused_bytes = 0;
};

}  // namespace

Result<PruneResult> RunPrune(Repository& repo, const PruneOptions& options) {
  PruneResult result;
  FS_RETURN_IF_ERROR(repo.LoadIndex());

  // The current index: every index file not superseded by another.
  FS_ASSIGN_OR_RETURN(auto index_files, repo.ListIndexFiles());
  std::vector<Id> index_ids;
  std::set<Id> superseded;
  std::map<Id, PackPlan> packs;
  for (const FileInfo& f : index_files) {
    auto id = Id::FromHex(f.name);
    if (!id) continue;
    index_ids.push_back(*id);
    FS_ASSIGN_OR_RETURN(auto index, repo.LoadIndexFile(*id));
    for (const Id& s : index.supersedes) superseded.insert(s);
  }
  for (const Id& id : index_ids) {
    if (superseded.count(id)) continue;
    FS_ASSIGN_OR_RETURN(auto index, repo.LoadIndexFile(id));
    for (IndexPack& p : index.packs) packs[p.id].blobs = std::move(p.blobs);
  }

  BlobSet used_trees, used_data;
  FS_RETURN_IF_ERROR(CollectUsed(repo, used_trees, used_data));

  // Which copy of each needed blob is kept: the first seen; duplicates are unneeded.
  BlobSet kept;
  for (auto& [pack_id, plan] : packs) {
    plan.keep.resize(plan.blobs.size());
    for (size_t i = 0; i < plan.blobs.size(); ++i) {
      const PackBlob& b = plan.blobs[i];
      const BlobSet& used = b.type == BlobType::kTree ? used_trees : used_data;
      bool keep = used.count(b.id) && kept.insert(b.id).second;
      plan.keep[i] = keep;
      (keep ? plan.used_bytes : plan.unused_bytes) += b.stored_length;
      if (!keep) ++result.blobs_unused;
    }
  }

  FS_ASSIGN_OR_RETURN(auto stored_packs, repo.ListPacks());
  result.packs_before = stored_packs.size();
  std::vector<Id> remove_packs;
  for (const FileInfo& f : stored_packs) {
    auto id = Id::FromHex(f.name);
    if (id && !packs.count(*id)) {  // in no index: left by an interrupted backup
      remove_packs.push_back(*id);
      result.bytes_freed += f.size;
    }
  }

  IndexFile next;
  for (const Id& id : index_ids) next.supersedes.push_back(id);
  std::vector<Id> repack;
  for (auto& [pack_id, plan] : packs) {
    uint64_t total = plan.used_bytes + plan.unused_bytes;
    if (plan.used_bytes == 0) {
      remove_packs.push_back(pack_id);
      result.bytes_freed += total;
    } else if (total > 0 && static_cast<double>(plan.unused_bytes) / static_cast<double>(total) >
                                options.repack_threshold) {
      repack.push_back(pack_id);
    } else {
      next.packs.push_back({pack_id, plan.blobs});
    }
  }
  result.packs_deleted = remove_packs.size();
  result.packs_repacked = repack.size();
  if (options.dry_run) {
    for (const Id& id : repack) {
      result.bytes_freed += packs[id].unused_bytes;
      result.bytes_repacked += packs[id].used_bytes;
    }
    return result;
  }
  if (remove_packs.empty() && repack.empty()) return result;
  if (options.progress) {
    options.progress->SetTotals(repack.size(), 0);
    options.progress->TotalsFinal();
  }

  // Needed blobs of the packs being repacked go to new packs; Flush writes the index file
  // that names those, before anything is removed.
  for (const Id& pack_id : repack) {
    PackPlan& plan = packs[pack_id];
    FS_ASSIGN_OR_RETURN(std::string bytes, repo.LoadPack(pack_id));
    for (size_t i = 0; i < plan.blobs.size(); ++i) {
      if (!plan.keep[i]) continue;
      const PackBlob& b = plan.blobs[i];
      if (uint64_t{b.offset} + b.stored_length > bytes.size())
        return Err(DataLoss("pack " + pack_id.Hex() +
                            " is shorter than its index says (prune "
                            "stopped before removing anything; run check)"));
      std::string_view sealed(bytes.data() + b.offset, b.stored_length);
      // Decrypting verifies the blob: a damaged one must not be carried on as if whole.
      auto plain = repo.DecryptBlob(b.type, b.id, sealed, b.compressed());
      if (!plain) return Err(plain.error().WithContext("prune stopped before removing anything"));
      FS_RETURN_IF_ERROR(StatusOf(repo.RepackBlob(b.type, b.id, *plain)));
      result.bytes_repacked += b.stored_length;
    }
    result.bytes_freed += plan.unused_bytes;
    remove_packs.push_back(pack_id);
    if (options.progress) options.progress->AddFiles(1);
  }
  FS_RETURN_IF_ERROR(repo.Flush());

  // The new index, then the removals it makes safe.
  FS_RETURN_IF_ERROR(StatusOf(repo.SaveIndexFile(next)));
  for (const Id& id : index_ids) FS_RETURN_IF_ERROR(repo.RemoveIndexFile(id));
  for (const Id& id : remove_packs) {
    Status s = repo.RemovePack(id);
    if (!s.ok() && s.code() != ErrorCode::kNotFound) return Err(s);
  }
  return result;
}

}  // namespace failsafe::backup
