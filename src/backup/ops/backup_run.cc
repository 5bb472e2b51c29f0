#include "backup/ops/backup_run.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "backup/archive/exclude.h"
#include "backup/archive/fs_metadata.h"
#include "backup/archive/walk_pool.h"
#include "backup/archive/walker.h"
#include "backup/chunker/chunker.h"
#include "backup/format/tree.h"
#include "backup/ops/file_pipeline.h"

namespace failsafe::backup {
namespace {

using archive::Entry;
using archive::JoinPath;

// A directory being saved: its tree is written once every child is final.
struct DirState {
  Node node;  // the directory's own node; its subtree is set when the tree is saved
  std::vector<Node> children;
  std::vector<char> omitted;    // children that could not be read
  std::atomic<int> pending{1};  // children not final yet, + 1 until the listing is done
  std::shared_ptr<DirState> parent;
  size_t slot = 0;
  std::mutex mu;
};

// The given paths as a tree of components: "/srv/erp" and "/etc/app" share the root.
struct PathTrie {
  std::map<std::string, PathTrie> children;  // std::string orders by bytes, as trees do
  bool leaf = false;
};

// A tree of the parent snapshot, searched by name.
struct OldTree {
  Tree tree;
  const Node* Find(const std::string& name) const {
    auto it = std::lower_bound(tree.nodes.begin(), tree.nodes.end(), name,
                               [](const Node& n, const std::string& v) { return n.name < v; });
    return it != tree.nodes.end() && it->name == name ? &*it : nullptr;
  }
};

PipelineOptions PipelineOptionsOf(const BackupOptions& options) {
  PipelineOptions p;
  p.readers = options.readers;
  p.small_readers = options.small_readers;
  p.workers = options.workers > 0
                  ? options.workers
                  : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  p.bytes_in_flight = options.bytes_in_flight;
  return p;
}

class Archiver {
 public:
  Archiver(Repository& repo, const BackupOptions& options, const archive::ExcludeSet& excludes,
           Progress& progress)
      : repo_(repo),
        options_(options),
        progress_(progress),
        walker_(archive::WalkOptions{&excludes, options.one_file_system, STATX_BASIC_STATS}),
        chunker_(repo.GearTable(), ChunkSizesOf(repo.config())),
        pipeline_(repo, chunker_, progress, PipelineOptionsOf(options)),
        walkers_(std::max(1, options.walkers), archive::BackgroundCounter::kMaxQueued) {}

  // Saves every path; returns the root tree's id.
  Result<BlobId> Run(const PathTrie& trie, const std::optional<OldTree>& old_root) {
    auto root = std::make_shared<DirState>();
    root->node.type = NodeType::kDir;
    ArchiveVirtual(root, "/", trie, old_root ? &*old_root : nullptr);
    walkers_.Wait();  // every directory listed and every file queued
    Status finished = pipeline_.Finish();
    if (!finished.ok()) return Err(finished);
    std::lock_guard lock(mu_);
    if (!fatal_.ok()) return Err(fatal_);
    if (!root_tree_) return Err(Internal("the root tree was not saved"));
    return *root_tree_;
  }

  SnapshotSummary Summary() const {
    SnapshotSummary s;
    s.files_new = files_new_;
    s.files_changed = files_changed_;
    s.files_unmodified = files_unmodified_;
    s.dirs = dirs_;
    s.bytes_read = pipeline_.stats().bytes_read;
    s.data_added = pipeline_.stats().data_added + tree_bytes_added_;
    s.data_added_stored = pipeline_.stats().data_added_stored + tree_bytes_stored_;
    s.total_files = total_files_;
    s.total_bytes = total_bytes_;
    return s;
  }

  std::vector<std::string> TakeErrors() {
    std::lock_guard lock(mu_);
    return std::move(errors_);
  }

 private:
  static ChunkSizes ChunkSizesOf(const RepoConfig& config) {
    return ChunkSizes{config.chunker.min_size, config.chunker.avg_size, config.chunker.max_size};
  }

  void Warn(const std::string& message) {
    {
      std::lock_guard lock(mu_);
      errors_.push_back(message);
    }
    if (options_.warn) options_.warn(message);
  }

  void Fatal(Status status) {
    std::lock_guard lock(mu_);
    if (fatal_.ok()) fatal_ = std::move(status);
    stopped_.store(true, std::memory_order_relaxed);
  }

  // After a fatal error the walk only winds down: directories not yet listed are skipped.
  bool Stopped() const { return stopped_.load(std::memory_order_relaxed); }

  // The parent snapshot's subtree of `old`, when it is a directory that has one.
  static std::optional<BlobId> OldSubtree(const Node* old) {
    if (old == nullptr || old->type != NodeType::kDir || old->subtree.IsZero()) return std::nullopt;
    return old->subtree;
  }

  std::optional<OldTree> LoadOldTree(const std::optional<BlobId>& subtree) {
    if (!subtree) return std::nullopt;
    auto bytes = repo_.LoadBlob(BlobType::kTree, *subtree);
    if (!bytes) {
      Warn("parent snapshot: tree " + subtree->Hex() +
           " unreadable, files below are read "
           "again: " +
           bytes.error().message());
      return std::nullopt;
    }
    auto tree = DecodeTree(*bytes);
    if (!tree) {
      Warn("parent snapshot: tree " + subtree->Hex() + ": " + tree.error().message());
      return std::nullopt;
    }
    return OldTree{std::move(*tree)};
  }

  void ArchiveVirtual(const std::shared_ptr<DirState>& d, const std::string& path,
                      const PathTrie& trie, const OldTree* old) {
    d->children.resize(trie.children.size());
    d->omitted.assign(trie.children.size(), 0);
    d->pending.fetch_add(static_cast<int>(trie.children.size()));
    size_t slot = 0;
    for (const auto& [name, sub] : trie.children) {
      std::string child_path = JoinPath(path, name);
      const Node* old_child = old ? old->Find(name) : nullptr;
      auto node = metadata_.ReadPath(child_path);
      if (!node) {
        Omit(d, slot, child_path + ": " + node.error().message());
      } else if (sub.leaf) {
        auto entry = walker_.StatRoot(child_path);
        if (!entry) {
          Omit(d, slot, child_path + ": " + entry.error().message());
        } else {
          node->name = name;
          HandleEntry(d, slot, std::move(*node), *entry, nullptr, child_path, old_child,
                      entry->device());
        }
      } else if (node->type != NodeType::kDir) {
        Omit(d, slot, child_path + ": not a directory");
      } else {
        node->name = name;
        auto child = NewDir(d, slot, std::move(*node));
        auto old_tree = LoadOldTree(OldSubtree(old_child));
        ArchiveVirtual(child, child_path, sub, old_tree ? &*old_tree : nullptr);
      }
      ++slot;
    }
    Release(d);
  }

  // Lists the directory open at `fd` and handles its entries: files go to the pipeline,
  // subdirectories to the walkers. Runs in a walker thread.
  void WalkDir(const std::shared_ptr<DirState>& d, const std::shared_ptr<archive::UniqueFd>& dir_fd,
               const std::string& path, const OldTree* old, uint64_t root_device) {
    const int fd = dir_fd->get();
    archive::Listing listing = walker_.List(fd, path);
    for (const auto& e : listing.errors) Warn(e.path + ": " + e.message);
    size_t n = listing.entries.size();
    d->children.resize(n);
    d->omitted.assign(n, 0);
    d->pending.fetch_add(static_cast<int>(n));
    for (size_t i = 0; i < n; ++i) {
      const Entry& entry = listing.entries[i];
      std::string child_path = JoinPath(path, entry.name);
      const Node* old_child = old ? old->Find(entry.name) : nullptr;
      auto node =
          metadata_.Read(fd, child_path, entry, nullptr, options_.full ? nullptr : old_child);
      if (!node) {
        Omit(d, i, child_path + ": " + node.error().message());
        continue;
      }
      HandleEntry(d, i, std::move(*node), entry, dir_fd, child_path, old_child, root_device);
    }
    Release(d);
  }

  // `parent_fd` is the open directory holding the entry (null for a root): subdirectories
  // are opened relative to it, never by path, so a directory swapped for a symlink mid-walk
  // is refused. Queued subdirectories share it; it closes when the last has opened.
  void HandleEntry(const std::shared_ptr<DirState>& d, size_t slot, Node node, const Entry& entry,
                   const std::shared_ptr<archive::UniqueFd>& parent_fd, const std::string& path,
                   const Node* old, uint64_t root_device) {
    if (node.type == NodeType::kDir) {
      ++dirs_;
      auto child = NewDir(d, slot, std::move(node));
      if (!walker_.ShouldDescend(entry, root_device)) {
        Release(child);  // a mount point with one_file_system: kept, empty
        return;
      }
      // Another thread lists it: with a cold cache the walk waits on one metadata read after
      // another, and several directories at once finish many times sooner. The tree stays
      // the same: each child has its slot, and a directory is saved when all are final.
      walkers_.Post([this, child, parent = parent_fd, name = entry.name, path,
                     old = OldSubtree(old), root_device]() mutable {
        if (Stopped()) {
          Release(child);
          return;
        }
        auto fd = parent ? walker_.OpenDir(parent->get(), name, path) : walker_.OpenRootDir(path);
        if (!fd) {
          Warn(path + ": " + fd.error().message());
          Release(child);
          return;
        }
        parent.reset();  // open: the parent's descriptor is not needed any more
        auto old_tree = LoadOldTree(old);
        WalkDir(child, std::make_shared<archive::UniqueFd>(std::move(*fd)), path,
                old_tree ? &*old_tree : nullptr, root_device);
      });
      return;
    }
    if (node.type != NodeType::kFile) {
      d->children[slot] = std::move(node);
      Release(d);
      return;
    }
    ++total_files_;
    total_bytes_ += node.size;
    if (!options_.full && old != nullptr && Unchanged(*old, node)) {
      node.content = old->content;
      d->children[slot] = std::move(node);
      ++files_unmodified_;
      progress_.AddFiles(1);
      progress_.AddBytes(d->children[slot].size);
      Release(d);
      return;
    }
    (old != nullptr && old->type == NodeType::kFile ? files_changed_ : files_new_)++;
    auto job = std::make_shared<FileJob>();
    job->path = path;
    job->expected_size = node.size;
    job->maybe_sparse = archive::MayHaveHoles(entry.st);
    d->children[slot] = std::move(node);
    job->done = [this, d, slot](std::vector<ContentEntry> content, uint64_t size, Status status) {
      if (!status.ok()) {
        Omit(d, slot, status.message());
        return;
      }
      {
        std::lock_guard lock(d->mu);
        d->children[slot].content = std::move(content);
        d->children[slot].size = size;
      }
      Release(d);
    };
    if (!pipeline_.Submit(job)) {
      // The pipeline stopped on a fatal error; Finish reports it.
      Omit(d, slot, path + ": backup stopped");
    }
  }

  // Same size, times and inode as in the parent, and every chunk still in the repository.
  bool Unchanged(const Node& old, const Node& now) const {
    if (old.type != NodeType::kFile || old.size != now.size || old.mtime_ns != now.mtime_ns ||
        old.ctime_ns != now.ctime_ns || old.inode != now.inode)
      return false;
    for (const ContentEntry& e : old.content)
      if (e.kind == ContentEntry::Kind::kChunk && !repo_.HasBlob(BlobType::kData, e.id))
        return false;
    return true;
  }

  std::shared_ptr<DirState> NewDir(const std::shared_ptr<DirState>& parent, size_t slot,
                                   Node node) {
    auto d = std::make_shared<DirState>();
    d->node = std::move(node);
    d->parent = parent;
    d->slot = slot;
    return d;
  }

  void Omit(const std::shared_ptr<DirState>& d, size_t slot, const std::string& message) {
    Warn(message);
    {
      std::lock_guard lock(d->mu);
      d->omitted[slot] = 1;
    }
    Release(d);
  }

  void Release(const std::shared_ptr<DirState>& d) {
    if (d->pending.fetch_sub(1, std::memory_order_acq_rel) == 1) FinishDir(d);
  }

  void FinishDir(const std::shared_ptr<DirState>& d) {
    Tree tree;
    {
      std::lock_guard lock(d->mu);
      tree.nodes.reserve(d->children.size());
      for (size_t i = 0; i < d->children.size(); ++i)
        if (!d->omitted[i]) tree.nodes.push_back(std::move(d->children[i]));
      d->children.clear();
    }
    auto bytes = EncodeTree(tree);
    if (!bytes) {
      Fatal(bytes.error());
      return;
    }
    BlobId id = repo_.IdOf(*bytes);
    if (!repo_.HasBlob(BlobType::kTree, id)) {
      auto saved = repo_.SaveBlob(BlobType::kTree, id, *bytes);
      if (!saved) {
        Fatal(saved.error().WithContext("saving a tree"));
        return;
      }
      if (saved->added) {
        tree_bytes_added_ += bytes->size();
        tree_bytes_stored_ += saved->stored_bytes;
      }
    }
    if (!d->parent) {
      std::lock_guard lock(mu_);
      root_tree_ = id;
      return;
    }
    d->node.subtree = id;
    {
      std::lock_guard lock(d->parent->mu);
      d->parent->children[d->slot] = std::move(d->node);
    }
    Release(d->parent);
  }

  Repository& repo_;
  const BackupOptions& options_;
  Progress& progress_;
  archive::Walker walker_;
  archive::MetadataReader metadata_;
  GearChunker chunker_;
  FilePipeline pipeline_;  // its threads start in the constructor
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  Status fatal_;
  std::optional<BlobId> root_tree_;
  std::vector<std::string> errors_;
  std::atomic<uint64_t> files_new_{0}, files_changed_{0}, files_unmodified_{0}, dirs_{0},
      total_files_{0}, total_bytes_{0}, tree_bytes_added_{0}, tree_bytes_stored_{0};
  archive::WalkPool walkers_;  // last: destroyed (its threads joined) first
};

}  // namespace

std::string ThisHostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

std::vector<std::string> NormalisePaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::string s = std::filesystem::absolute(p).lexically_normal().string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    out.push_back(s);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::vector<std::string> kept;
  for (const std::string& s : out) {
    bool inside = std::any_of(kept.begin(), kept.end(),
                              [&](const std::string& k) { return archive::IsUnderPath(s, k); });
    if (!inside) kept.push_back(s);
  }
  return kept;
}

Result<std::optional<std::pair<Id, Snapshot>>> FindParent(Repository& repo, const std::string& host,
                                                          const std::vector<std::string>& paths) {
  FS_ASSIGN_OR_RETURN(auto ids, repo.ListSnapshots());
  std::optional<std::pair<Id, Snapshot>> best;
  for (const Id& id : ids) {
    FS_ASSIGN_OR_RETURN(auto json, repo.LoadSnapshotJson(id));
    auto snapshot = DecodeSnapshot(json);
    if (!snapshot) return Err(snapshot.error().WithContext("snapshot " + id.Hex()));
    if (snapshot->host != host || snapshot->paths != paths) continue;
    if (snapshot->source.kind != SourceKind::kFiles) continue;
    if (!best || snapshot->time_ns > best->second.time_ns)
      best = std::make_pair(id, std::move(*snapshot));
  }
  return best;
}

Result<BackupResult> RunBackup(Repository& repo, const BackupOptions& options) {
  if (options.paths.empty()) return Err(InvalidArgument("no path to back up", "paths"));
  auto start = std::chrono::steady_clock::now();
  auto start_time = std::chrono::system_clock::now();
  std::vector<std::string> paths = NormalisePaths(options.paths);
  FS_ASSIGN_OR_RETURN(auto excludes, archive::ExcludeSet::Parse(options.excludes));
  std::string host = options.host.empty() ? ThisHostName() : options.host;

  // The parent: the tree the unchanged files are taken from.
  std::optional<Id> parent_id;
  std::optional<OldTree> old_root;
  if (!options.full) {
    std::optional<Snapshot> parent;
    if (options.parent) {
      FS_ASSIGN_OR_RETURN(auto json, repo.LoadSnapshotJson(*options.parent));
      FS_ASSIGN_OR_RETURN(auto decoded, DecodeSnapshot(json));
      parent = std::move(decoded);
      parent_id = options.parent;
    } else {
      FS_ASSIGN_OR_RETURN(auto found, FindParent(repo, host, paths));
      if (found) {
        parent_id = found->first;
        parent = std::move(found->second);
      }
    }
    if (parent) {
      FS_ASSIGN_OR_RETURN(auto bytes, repo.LoadBlob(BlobType::kTree, parent->tree));
      FS_ASSIGN_OR_RETURN(auto tree, DecodeTree(bytes));
      old_root = OldTree{std::move(tree)};
    }
  }

  PathTrie trie;
  for (const std::string& p : paths) {
    PathTrie* at = &trie;
    std::filesystem::path fp(p);
    for (const auto& part : fp.relative_path()) at = &at->children[part.string()];
    at->leaf = true;
  }
  if (trie.leaf || trie.children.empty())
    return Err(
        InvalidArgument("backing up / as a whole is not supported; name directories", "paths"));

  Progress own_progress;
  Progress& progress = options.progress ? *options.progress : own_progress;
  std::shared_ptr<archive::BackgroundCounter> counter = options.counter;
  if (!counter)
    counter =
        std::make_shared<archive::BackgroundCounter>(paths, excludes, options.one_file_system);
  // Publishes the counter's totals until they are final or the backup ends; woken at the
  // end rather than polled, so a short backup does not wait out a sleep.
  std::mutex totals_mu;
  std::condition_variable totals_wake;
  bool backup_done = false;
  std::thread totals([&] {
    std::unique_lock lock(totals_mu);
    for (;;) {
      progress.SetTotals(counter->files(), counter->bytes());
      if (counter->done()) {
        progress.TotalsFinal();
        return;
      }
      if (totals_wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return backup_done; }))
        return;
    }
  });
  struct JoinOnExit {
    std::mutex& mu;
    std::condition_variable& wake;
    bool& done;
    std::thread& thread;
    ~JoinOnExit() {
      {
        std::lock_guard lock(mu);
        done = true;
      }
      wake.notify_all();
      thread.join();
    }
  } join_totals{totals_mu, totals_wake, backup_done, totals};

  Archiver archiver(repo, options, excludes, progress);
  FS_ASSIGN_OR_RETURN(BlobId root, archiver.Run(trie, old_root));
  FS_RETURN_IF_ERROR(repo.Flush());

  BackupResult result;
  Snapshot& s = result.snapshot;
  s.time_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(start_time.time_since_epoch()).count();
  s.host = host;
  if (const char* user = std::getenv("USER")) s.user = user;
  s.paths = paths;
  s.tags = options.tags;
  s.excludes = options.excludes;
  s.tree = root;
  s.parent = parent_id;
  s.full = options.full;
  s.source.kind = SourceKind::kFiles;
  s.summary = archiver.Summary();
  s.summary.duration_ms =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count());
  s.program = "failsafe";
  FS_ASSIGN_OR_RETURN(result.snapshot_id, repo.SaveSnapshotJson(EncodeSnapshot(s)));
  result.errors = archiver.TakeErrors();
  return result;
}

std::shared_ptr<archive::BackgroundCounter> StartCounting(const BackupOptions& options) {
  if (options.paths.empty()) return nullptr;
  auto excludes = archive::ExcludeSet::Parse(options.excludes);
  if (!excludes) return nullptr;
  return std::make_shared<archive::BackgroundCounter>(
      NormalisePaths(options.paths), std::move(*excludes), options.one_file_system);
}

}  // namespace failsafe::backup
