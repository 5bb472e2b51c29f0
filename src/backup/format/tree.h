#pragma once
// Trees (docs/backup-format.md, "Trees"): one blob per directory listing its nodes. The
// encoding is deterministic (nodes sorted by name bytes, xattrs by name, minimal varints), so
// an unchanged directory encodes to the same bytes and the same id in every snapshot, and
// DecodeTree(EncodeTree(t)) == t and EncodeTree(DecodeTree(b)) == b for every accepted b.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backup/format/ids.h"
#include "base/result.h"

namespace failsafe::backup {

// The u8 stored for each node's type; the values are part of the format.
enum class NodeType : uint8_t {
  kFile = 0,
  kDir = 1,
  kSymlink = 2,
  kFifo = 3,
  kCharDevice = 4,
  kBlockDevice = 5,
  kSocket = 6,
};
std::string_view NameOf(NodeType type);

// One piece of a regular file's content, in file order: a data chunk, or a hole (a range
// that reads as zeros and is not stored, from SEEK_HOLE/SEEK_DATA).
struct ContentEntry {
  enum class Kind : uint8_t { kChunk = 0, kHole = 1 };
  Kind kind = Kind::kChunk;
  BlobId id;            // kChunk
  uint64_t length = 0;  // the bytes of the file it covers, > 0: a restore knows every
                        // chunk's offset before fetching any

  static ContentEntry Chunk(const BlobId& id, uint64_t length) {
    return {Kind::kChunk, id, length};
  }
  static ContentEntry Hole(uint64_t length) { return {Kind::kHole, BlobId{}, length}; }
  friend bool operator==(const ContentEntry&, const ContentEntry&) = default;
};

struct Xattr {
  std::string name;  // e.g. "user.comment"; raw bytes
  std::string value;
  friend bool operator==(const Xattr&, const Xattr&) = default;
};

struct Node {
  NodeType type = NodeType::kFile;
  std::string name;   // raw bytes: not empty, not "." or "..", no '/' or NUL
  uint32_t mode = 0;  // permission bits with setuid, setgid and sticky (at most 07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string user;  // the owner's name at backup time; empty when unknown
  std::string group;
  int64_t mtime_ns = 0;  // nanoseconds since the Unix epoch (negative before 1970)
  int64_t atime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t device = 0;  // st_dev, with inode and links for hard links and the parent check
  uint64_t inode = 0;
  uint64_t links = 0;
  uint64_t rdev = 0;  // character and block devices
  uint64_t size = 0;
  std::string link_target;            // symlinks only; raw bytes
  std::vector<Xattr> xattrs;          // any type; unique names
  std::vector<ContentEntry> content;  // regular files only; empty for an empty file
  BlobId subtree;                     // directories only: the tree blob of its content

  friend bool operator==(const Node&, const Node&) = default;
};

struct Tree {
  std::vector<Node> nodes;  // any order for EncodeTree; sorted by name after DecodeTree
  friend bool operator==(const Tree&, const Tree&) = default;
};

// Caps the decoder enforces (a tamperer's counts must not make it allocate without bound).
inline constexpr uint64_t kMaxTreeNodes = 10'000'000;
inline constexpr uint64_t kMaxNodeXattrs = 65'536;

// Encodes with nodes and xattrs sorted by name bytes. Fails (InvalidArgument naming the node)
// on what the decoder would refuse: duplicate names, a bad name, mode bits past 07777,
// content on a non-file, a link target on a non-symlink, a zero-length hole.
Result<std::string> EncodeTree(const Tree& tree);

// Decodes and validates a tree blob's plaintext. Errors are DataLoss and name the field and
// the node index ("tree: node 3 (\"a.txt\"): mtime: truncated"); the caller adds the blob id.
Result<Tree> DecodeTree(std::string_view bytes);

// True when `name` may name a node: what a directory entry can be called on Linux.
bool IsValidNodeName(std::string_view name);

}  // namespace failsafe::backup
