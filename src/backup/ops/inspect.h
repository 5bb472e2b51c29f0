#pragma once
// Looking into snapshots without restoring them: `backup ls` (every node below a path) and
// `backup diff` (what changed between two snapshots; identical subtrees have identical ids and
// are skipped without being read).
#include <functional>
#include <string>

#include "backup/format/tree.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

// Calls `visit(path, node)` for every node below `tree` in depth-first order, paths absolute
// in the snapshot ("/srv/erp/a.txt"). With `under` set, only that path and what is below it.
Status WalkSnapshotTree(Repository& repo, const BlobId& tree, const std::string& under,
                        const std::function<void(const std::string&, const Node&)>& visit);

enum class ChangeKind { kAdded, kRemoved, kModified, kTypeChanged, kMetadata };
char ChangeSymbol(ChangeKind kind);  // '+', '-', 'M', 'T', 'U' as restic prints them

struct Change {
  ChangeKind kind;
  std::string path;
  const Node* before = nullptr;  // valid during the callback
  const Node* after = nullptr;
};

struct DiffStats {
  uint64_t added = 0, removed = 0, modified = 0, type_changed = 0, metadata = 0;
  uint64_t bytes_added = 0, bytes_removed = 0;
};

Result<DiffStats> DiffTrees(Repository& repo, const BlobId& before, const BlobId& after,
                            const std::function<void(const Change&)>& visit);

}  // namespace failsafe::backup
