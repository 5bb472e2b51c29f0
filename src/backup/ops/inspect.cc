#include "backup/ops/inspect.h"

#include "backup/archive/walker.h"

namespace failsafe::backup {
namespace {

using archive::IsUnderPath;
using archive::JoinPath;

Result<Tree> LoadTree(Repository& repo, const BlobId& id) {
  FS_ASSIGN_OR_RETURN(auto bytes, repo.LoadBlob(BlobType::kTree, id));
  auto tree = DecodeTree(bytes);
  if (!tree) return Err(tree.error().WithContext("tree " + id.Hex()));
  return tree;
}

Status Walk(Repository& repo, const BlobId& id, const std::string& path, const std::string& under,
            const std::function<void(const std::string&, const Node&)>& visit) {
  FS_ASSIGN_OR_RETURN_STATUS(Tree tree, LoadTree(repo, id));
  for (const Node& node : tree.nodes) {
    std::string p = JoinPath(path, node.name);
    bool inside = IsUnderPath(p, under);
    if (!inside && !(node.type == NodeType::kDir && IsUnderPath(under, p))) continue;
    if (inside) visit(p, node);
    if (node.type == NodeType::kDir)
      FS_RETURN_STATUS_IF_ERROR(Walk(repo, node.subtree, p, under, visit));
  }
  return Status::Ok();
}

uint64_t BytesBelow(const Node& node) {
  return node.type == NodeType::kFile ? node.size : 0;
}

class Differ {
 public:
  Differ(Repository& repo, const std::function<void(const Change&)>& visit)
      : repo_(repo), visit_(visit) {}

  Status Compare(const BlobId& before, const BlobId& after, const std::string& path) {
    if (before == after) return Status::Ok();
    Tree empty;
    Tree a, b;
    if (!before.IsZero()) {
      FS_ASSIGN_OR_RETURN_STATUS(a, LoadTree(repo_, before));
    }
    if (!after.IsZero()) {
      FS_ASSIGN_OR_RETURN_STATUS(b, LoadTree(repo_, after));
    }
    size_t i = 0, j = 0;
    while (i < a.nodes.size() || j < b.nodes.size()) {
      const Node* x = i < a.nodes.size() ? &a.nodes[i] : nullptr;
      const Node* y = j < b.nodes.size() ? &b.nodes[j] : nullptr;
      if (y == nullptr || (x != nullptr && x->name < y->name)) {
        FS_RETURN_STATUS_IF_ERROR(Gone(*x, JoinPath(path, x->name)));
        ++i;
      } else if (x == nullptr || y->name < x->name) {
        FS_RETURN_STATUS_IF_ERROR(Came(*y, JoinPath(path, y->name)));
        ++j;
      } else {
        FS_RETURN_STATUS_IF_ERROR(Both(*x, *y, JoinPath(path, x->name)));
        ++i;
        ++j;
      }
    }
    return Status::Ok();
  }

  DiffStats stats;

 private:
  Status Came(const Node& n, const std::string& p) {
    ++stats.added;
    stats.bytes_added += BytesBelow(n);
    visit_({ChangeKind::kAdded, p, nullptr, &n});
    if (n.type == NodeType::kDir) return Compare(BlobId{}, n.subtree, p);
    return Status::Ok();
  }
  Status Gone(const Node& n, const std::string& p) {
    ++stats.removed;
    stats.bytes_removed += BytesBelow(n);
    visit_({ChangeKind::kRemoved, p, &n, nullptr});
    if (n.type == NodeType::kDir) return Compare(n.subtree, BlobId{}, p);
    return Status::Ok();
  }
  Status Both(const Node& x, const Node& y, const std::string& p) {
    if (x.type != y.type) {
      ++stats.type_changed;
      visit_({ChangeKind::kTypeChanged, p, &x, &y});
      return Status::Ok();
    }
    if (x.type == NodeType::kDir) {
      if (x.mode != y.mode || x.uid != y.uid || x.gid != y.gid || x.xattrs != y.xattrs) {
        ++stats.metadata;
        visit_({ChangeKind::kMetadata, p, &x, &y});
      }
      return Compare(x.subtree, y.subtree, p);
    }
    if (x.content != y.content || x.link_target != y.link_target || x.size != y.size) {
      ++stats.modified;
      stats.bytes_removed += BytesBelow(x);
      stats.bytes_added += BytesBelow(y);
      visit_({ChangeKind::kModified, p, &x, &y});
    } else if (x.mode != y.mode || x.uid != y.uid || x.gid != y.gid || x.mtime_ns != y.mtime_ns ||
               x.xattrs != y.xattrs) {
      ++stats.metadata;
      visit_({ChangeKind::kMetadata, p, &x, &y});
    }
    return Status::Ok();
  }

  Repository& repo_;
  const std::function<void(const Change&)>& visit_;
};

}  // namespace

char ChangeSymbol(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdded: return '+';
    case ChangeKind::kRemoved: return '-';
    case ChangeKind::kModified: return 'M';
    case ChangeKind::kTypeChanged: return 'T';
    case ChangeKind::kMetadata: return 'U';
  }
  return '?';
}

Status WalkSnapshotTree(Repository& repo, const BlobId& tree, const std::string& under,
                        const std::function<void(const std::string&, const Node&)>& visit) {
  return Walk(repo, tree, "/", under, visit);
}

Result<DiffStats> DiffTrees(Repository& repo, const BlobId& before, const BlobId& after,
                            const std::function<void(const Change&)>& visit) {
  Differ differ(repo, visit);
  FS_RETURN_IF_ERROR(differ.Compare(before, after, "/"));
  return differ.stats;
}

}  // namespace failsafe::backup
