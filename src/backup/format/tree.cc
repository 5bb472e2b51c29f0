#include "backup/format/tree.h"

#include <algorithm>
#include <cstdio>

#include "backup/format/varint.h"

namespace failsafe::backup {
namespace {

constexpr std::string_view kMagic = "FST1";
constexpr uint8_t kMaxNodeType = static_cast<uint8_t>(NodeType::kSocket);
constexpr uint32_t kMaxMode = 07777;
// The fewest bytes a node can take (type, name length + 1 byte, eleven 1-byte varints, two
// empty strings, two zero counts): bounds the node count by the input before reserving.
constexpr size_t kMinNodeBytes = 1 + 2 + 11 + 2 + 2;

// For error messages: printable ASCII as is, other bytes as \xNN, cut at 64 bytes.
std::string Printable(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < 64; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (bytes.size() > 64) out += "...";
  return out;
}

bool ByName(const std::string& a, const std::string& b) {
  // std::string compares as unsigned char via char_traits<char>::compare (memcmp), which is
  // the byte order the format specifies.
  return a < b;
}

// Checks one node's fields against the rules both sides share; empty when valid.
std::string NodeProblem(const Node& n) {
  if (!IsValidNodeName(n.name)) return "name: not a valid file name";
  if (static_cast<uint8_t>(n.type) > kMaxNodeType) return "type: unknown";
  if (n.mode > kMaxMode) return "mode: bits past 07777";
  if (n.type != NodeType::kSymlink && !n.link_target.empty())
    return "link target: only symlinks have one";
  if (n.type != NodeType::kFile && !n.content.empty()) return "content: only files have content";
  for (const ContentEntry& e : n.content) {
    if (e.length == 0) return "content: an entry of zero length";
  }
  return {};
}

class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : r_(bytes) {}

  Result<Tree> Run() {
    std::string_view magic;
    if (!r_.ReadRaw(kMagic.size(), &magic) || magic != kMagic) {
      return Err(DataLoss("tree: not a tree (bad magic)"));
    }
    uint64_t count;
    if (!r_.ReadVarint(&count)) return Fail("node count: truncated or malformed");
    if (count > kMaxTreeNodes) {
      return Fail("node count: " + std::to_string(count) + " is over the limit of " +
                  std::to_string(kMaxTreeNodes));
    }
    if (count > r_.remaining() / kMinNodeBytes) {
      return Fail("node count: " + std::to_string(count) + " nodes cannot fit in " +
                  std::to_string(r_.remaining()) + " bytes");
    }
    Tree tree;
    tree.nodes.resize(static_cast<size_t>(count));
    for (index_ = 0; index_ < count; ++index_) {
      Node& n = tree.nodes[index_];
      if (Status s = ReadNode(n); !s.ok()) return Err(s);
      if (index_ > 0 && !ByName(tree.nodes[index_ - 1].name, n.name)) {
        return Fail("name: not after the previous node's name (unsorted or duplicate)");
      }
      if (std::string problem = NodeProblem(n); !problem.empty()) return Fail(problem);
    }
    if (r_.remaining() != 0) {
      index_ = kNoNode;
      return Fail(std::to_string(r_.remaining()) + " bytes after the last node");
    }
    return tree;
  }

 private:
  static constexpr uint64_t kNoNode = ~uint64_t{0};

  Status Error(std::string_view what) const {
    std::string msg = "tree: ";
    if (index_ != kNoNode) {
      msg += "node " + std::to_string(index_);
      if (!name_.empty()) msg += " (\"" + Printable(name_) + "\")";
      msg += ": ";
    }
    msg += what;
    return DataLoss(std::move(msg));
  }
  tl::unexpected<Status> Fail(std::string_view what) const { return Err(Error(what)); }

  Status ReadNode(Node& n) {
    name_ = {};
    uint8_t type;
    if (!r_.ReadU8(&type)) return Error("type: truncated");
    if (type > kMaxNodeType) return Error("type: unknown value " + std::to_string(type));
    n.type = static_cast<NodeType>(type);
    std::string_view name;
    if (!r_.ReadBytes(&name)) return Error("name: truncated");
    n.name.assign(name);
    name_ = name;
    uint64_t v;
    if (!Varint("mode", &v)) return error_;
    if (v > kMaxMode) return Error("mode: bits past 07777");
    n.mode = static_cast<uint32_t>(v);
    if (!U32("uid", &n.uid) || !U32("gid", &n.gid) || !Bytes("user", &n.user) ||
        !Bytes("group", &n.group) || !Time("mtime", &n.mtime_ns) || !Time("atime", &n.atime_ns) ||
        !Time("ctime", &n.ctime_ns) || !Varint("device", &n.device) || !Varint("inode", &n.inode) ||
        !Varint("link count", &n.links) || !Varint("rdev", &n.rdev) || !Varint("size", &n.size)) {
      return error_;
    }
    if (n.type == NodeType::kSymlink && !Bytes("link target", &n.link_target)) return error_;
    if (Status s = Xattrs(n); !s.ok()) return s;
    if (Status s = Content(n); !s.ok()) return s;
    if (n.type == NodeType::kDir) {
      std::string_view id;
      if (!r_.ReadRaw(n.subtree.bytes.size(), &id)) return Error("subtree id: truncated");
      n.subtree = Id::FromBytes(reinterpret_cast<const uint8_t*>(id.data()));
    }
    return Status::Ok();
  }

  Status Xattrs(Node& n) {
    uint64_t count;
    if (!Varint("xattr count", &count)) return error_;
    // Each xattr takes at least two bytes (two empty lengths).
    if (count > kMaxNodeXattrs || count > r_.remaining() / 2) {
      return Error("xattr count: " + std::to_string(count) + " is too many");
    }
    n.xattrs.resize(static_cast<size_t>(count));
    for (size_t i = 0; i < count; ++i) {
      const std::string field = "xattr " + std::to_string(i);
      if (!Bytes(field + " name", &n.xattrs[i].name) ||
          !Bytes(field + " value", &n.xattrs[i].value)) {
        return error_;
      }
      if (n.xattrs[i].name.empty()) return Error(field + " name: empty");
      if (i > 0 && !ByName(n.xattrs[i - 1].name, n.xattrs[i].name)) {
        return Error(field + " name: unsorted or duplicate");
      }
    }
    return Status::Ok();
  }

  Status Content(Node& n) {
    uint64_t count;
    if (!Varint("content count", &count)) return error_;
    // Each entry takes at least two bytes (kind and a one-byte length).
    if (count > r_.remaining() / 2) {
      return Error("content count: " + std::to_string(count) + " entries cannot fit in " +
                   std::to_string(r_.remaining()) + " bytes");
    }
    n.content.resize(static_cast<size_t>(count));
    for (size_t i = 0; i < count; ++i) {
      const std::string field = "content " + std::to_string(i);
      ContentEntry& e = n.content[i];
      uint8_t kind;
      if (!r_.ReadU8(&kind)) return Error(field + " kind: truncated");
      if (kind == static_cast<uint8_t>(ContentEntry::Kind::kChunk)) {
        std::string_view id;
        if (!r_.ReadRaw(e.id.bytes.size(), &id)) return Error(field + " chunk id: truncated");
        uint64_t length;
        if (!Varint(field + " chunk length", &length)) return error_;
        e = ContentEntry::Chunk(Id::FromBytes(reinterpret_cast<const uint8_t*>(id.data())), length);
      } else if (kind == static_cast<uint8_t>(ContentEntry::Kind::kHole)) {
        uint64_t length;
        if (!Varint(field + " hole length", &length)) return error_;
        e = ContentEntry::Hole(length);
      } else {
        return Error(field + " kind: unknown value " + std::to_string(kind));
      }
    }
    return Status::Ok();
  }

  bool Varint(std::string_view field, uint64_t* v) {
    if (r_.ReadVarint(v)) return true;
    error_ = Error(std::string(field) + ": truncated or malformed varint");
    return false;
  }
  bool U32(std::string_view field, uint32_t* v) {
    uint64_t wide;
    if (!Varint(field, &wide)) return false;
    if (wide > UINT32_MAX) {
      error_ = Error(std::string(field) + ": larger than 32 bits");
      return false;
    }
    *v = static_cast<uint32_t>(wide);
    return true;
  }
  bool Time(std::string_view field, int64_t* v) {
    uint64_t raw;
    if (!Varint(field, &raw)) return false;
    *v = UnZigZag(raw);
    return true;
  }
  bool Bytes(std::string_view field, std::string* out) {
    std::string_view view;
    if (!r_.ReadBytes(&view)) {
      error_ = Error(std::string(field) + ": truncated");
      return false;
    }
    out->assign(view);
    return true;
  }

  VarintReader r_;
  uint64_t index_ = kNoNode;
  std::string_view name_;
  Status error_;
};

// The node's xattrs in name order (pointers: the node itself is const).
std::vector<const Xattr*> SortedXattrs(const Node& n) {
  std::vector<const Xattr*> xattrs;
  xattrs.reserve(n.xattrs.size());
  for (const Xattr& x : n.xattrs) xattrs.push_back(&x);
  std::sort(xattrs.begin(), xattrs.end(),
            [](const Xattr* a, const Xattr* b) { return ByName(a->name, b->name); });
  return xattrs;
}

void EncodeNode(const Node& n, const std::vector<const Xattr*>& xattrs, std::string& out) {
  out.push_back(static_cast<char>(n.type));
  PutBytes(out, n.name);
  PutVarint(out, n.mode);
  PutVarint(out, n.uid);
  PutVarint(out, n.gid);
  PutBytes(out, n.user);
  PutBytes(out, n.group);
  PutVarint(out, ZigZag(n.mtime_ns));
  PutVarint(out, ZigZag(n.atime_ns));
  PutVarint(out, ZigZag(n.ctime_ns));
  PutVarint(out, n.device);
  PutVarint(out, n.inode);
  PutVarint(out, n.links);
  PutVarint(out, n.rdev);
  PutVarint(out, n.size);
  if (n.type == NodeType::kSymlink) PutBytes(out, n.link_target);
  PutVarint(out, xattrs.size());
  for (const Xattr* x : xattrs) {
    PutBytes(out, x->name);
    PutBytes(out, x->value);
  }
  PutVarint(out, n.content.size());
  for (const ContentEntry& e : n.content) {
    out.push_back(static_cast<char>(e.kind));
    if (e.kind == ContentEntry::Kind::kChunk) {
      out.append(reinterpret_cast<const char*>(e.id.bytes.data()), e.id.bytes.size());
    }
    PutVarint(out, e.length);
  }
  if (n.type == NodeType::kDir) {
    out.append(reinterpret_cast<const char*>(n.subtree.bytes.data()), n.subtree.bytes.size());
  }
}

}  // namespace

std::string_view NameOf(NodeType type) {
  switch (type) {
    case NodeType::kFile: return "file";
    case NodeType::kDir: return "dir";
    case NodeType::kSymlink: return "symlink";
    case NodeType::kFifo: return "fifo";
    case NodeType::kCharDevice: return "chardev";
    case NodeType::kBlockDevice: return "blockdev";
    case NodeType::kSocket: return "socket";
  }
  return "unknown";
}

bool IsValidNodeName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(std::string_view("/\0", 2)) == std::string_view::npos;
}

Result<std::string> EncodeTree(const Tree& tree) {
  std::vector<const Node*> nodes;
  nodes.reserve(tree.nodes.size());
  for (const Node& n : tree.nodes) nodes.push_back(&n);
  std::sort(nodes.begin(), nodes.end(),
            [](const Node* a, const Node* b) { return ByName(a->name, b->name); });
  std::string out(kMagic);
  PutVarint(out, nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = *nodes[i];
    std::string problem = NodeProblem(n);
    if (problem.empty() && i > 0 && nodes[i - 1]->name == n.name) problem = "name: duplicate";
    const std::vector<const Xattr*> xattrs = SortedXattrs(n);
    for (size_t x = 0; problem.empty() && x < xattrs.size(); ++x) {
      if (xattrs[x]->name.empty()) problem = "xattr name: empty";
      if (x > 0 && xattrs[x - 1]->name == xattrs[x]->name) problem = "xattr name: duplicate";
    }
    if (!problem.empty()) {
      return Err(InvalidArgument("tree: node \"" + Printable(n.name) + "\": " + problem));
    }
    EncodeNode(n, xattrs, out);
  }
  return out;
}

Result<Tree> DecodeTree(std::string_view bytes) {
  return Decoder(bytes).Run();
}

}  // namespace failsafe::backup
