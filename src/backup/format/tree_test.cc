#include "backup/format/tree.h"

#include <gtest/gtest.h>

#include "backup/format/varint.h"

namespace failsafe::backup {
namespace {

Id IdOf(uint8_t fill) {
  Id id;
  id.bytes.fill(fill);
  return id;
}

Node File(std::string name) {
  Node n;
  n.type = NodeType::kFile;
  n.name = std::move(name);
  n.mode = 0644;
  n.uid = 1000;
  n.gid = 1000;
  n.user = "ops";
  n.group = "ops";
  n.mtime_ns = 1'763'776'800'123'456'789;
  n.atime_ns = -5;  // before 1970: zigzag must keep the sign
  n.ctime_ns = 1'763'776'800'000'000'001;
  n.device = 65024;
  n.inode = 123456789;
  n.links = 1;
  n.size = 3u << 20;
  n.content = {ContentEntry::Chunk(IdOf(1), 4096), ContentEntry::Hole(1 << 20),
               ContentEntry::Chunk(IdOf(2), 100)};
  return n;
}

Tree Sample() {
  Tree t;
  t.nodes.push_back(File("b.txt"));
  Node dir = File("a-dir");
  dir.type = NodeType::kDir;
  dir.content.clear();
  dir.subtree = IdOf(9);
  dir.xattrs = {{"user.z", "last"}, {"user.a", std::string("\0\xff", 2)}};
  t.nodes.push_back(dir);
  Node link = File("link");
  link.type = NodeType::kSymlink;
  link.content.clear();
  link.link_target = "../nowhere\xfe";
  t.nodes.push_back(link);
  Node dev = File("null");
  dev.type = NodeType::kCharDevice;
  dev.content.clear();
  dev.rdev = (1 << 8) | 3;
  t.nodes.push_back(dev);
  t.nodes.push_back(File("caf\xe9"));  // Latin-1, not UTF-8
  Node empty = File("empty");
  empty.content.clear();
  empty.size = 0;
  t.nodes.push_back(empty);
  return t;
}

TEST(Tree, RoundTripsEveryFieldInNameOrder) {
  Tree t = Sample();
  auto bytes = EncodeTree(t);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().ToString();
  auto back = DecodeTree(*bytes);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  ASSERT_EQ(back->nodes.size(), t.nodes.size());
  std::vector<std::string> names;
  for (const Node& n : back->nodes) names.push_back(n.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"a-dir", "b.txt", "caf\xe9", "empty", "link", "null"}));
  const Node& dir = back->nodes[0];
  EXPECT_EQ(dir.type, NodeType::kDir);
  EXPECT_EQ(dir.subtree, IdOf(9));
  ASSERT_EQ(dir.xattrs.size(), 2u);
  EXPECT_EQ(dir.xattrs[0].name, "user.a");  // sorted by the encoder
  EXPECT_EQ(dir.xattrs[0].value, std::string("\0\xff", 2));
  EXPECT_EQ(back->nodes[1], t.nodes[0]);
  EXPECT_EQ(back->nodes[1].atime_ns, -5);
  EXPECT_EQ(back->nodes[4].link_target, "../nowhere\xfe");
  EXPECT_EQ(back->nodes[5].rdev, (1u << 8) | 3);
  EXPECT_TRUE(back->nodes[3].content.empty());
}

TEST(Tree, EncodingIsIndependentOfInputOrder) {
  Tree a = Sample();
  Tree b = a;
  std::reverse(b.nodes.begin(), b.nodes.end());
  EXPECT_EQ(*EncodeTree(a), *EncodeTree(b));
  // And decoding then encoding gives back the same bytes (same blob id).
  EXPECT_EQ(*EncodeTree(*DecodeTree(*EncodeTree(a))), *EncodeTree(a));
}

TEST(Tree, EmptyTreeIsMagicAndZero) {
  EXPECT_EQ(*EncodeTree(Tree{}), std::string("FST1\0", 5));
  EXPECT_TRUE(DecodeTree(std::string("FST1\0", 5))->nodes.empty());
}

TEST(Tree, EncoderRefusesWhatTheDecoderWould) {
  auto refuses = [](Node n, std::string_view what) {
    Tree t;
    t.nodes.push_back(std::move(n));
    auto r = EncodeTree(t);
    ASSERT_FALSE(r.has_value()) << what;
    EXPECT_NE(r.error().message().find(what), std::string::npos) << r.error().ToString();
  };
  Node n = File("x");
  n.name = "a/b";
  refuses(n, "name");
  n.name = "..";
  refuses(n, "name");
  n = File("x");
  n.mode = 010000;
  refuses(n, "mode");
  n = File("x");
  n.type = NodeType::kDir;
  refuses(n, "content");
  n = File("x");
  n.link_target = "t";
  refuses(n, "link target");
  n = File("x");
  n.content = {ContentEntry::Hole(0)};
  refuses(n, "zero length");
  n = File("x");
  n.content = {ContentEntry::Chunk(BlobId{}, 0)};
  refuses(n, "zero length");
  n = File("x");
  n.xattrs = {{"user.a", "1"}, {"user.a", "2"}};
  refuses(n, "xattr name: duplicate");

  Tree dup;
  dup.nodes = {File("same"), File("same")};
  EXPECT_FALSE(EncodeTree(dup).has_value());
}

TEST(Tree, DecoderNamesFieldAndNodeOnEveryTruncation) {
  const std::string bytes = *EncodeTree(Sample());
  for (size_t len = 0; len < bytes.size(); ++len) {
    auto r = DecodeTree(bytes.substr(0, len));
    ASSERT_FALSE(r.has_value()) << "accepted a prefix of " << len << " bytes";
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
    if (len > 5) {
      EXPECT_NE(r.error().message().find("node "), std::string::npos) << len;
    }
  }
  auto trailing = DecodeTree(bytes + "x");
  ASSERT_FALSE(trailing.has_value());
  EXPECT_NE(trailing.error().message().find("1 bytes after the last node"), std::string::npos);
}

TEST(Tree, DecoderRejectsBadMagicCountsAndOrder) {
  EXPECT_NE(DecodeTree("FSX1").error().message().find("bad magic"), std::string::npos);

  std::string huge("FST1");
  PutVarint(huge, kMaxTreeNodes + 1);
  EXPECT_NE(DecodeTree(huge).error().message().find("over the limit"), std::string::npos);

  std::string unfit("FST1");
  PutVarint(unfit, 1000);
  EXPECT_NE(DecodeTree(unfit).error().message().find("cannot fit"), std::string::npos);

  // Two nodes written out of order by hand: swap the encoded nodes of a sorted tree.
  Tree t;
  t.nodes = {File("a"), File("b")};
  const std::string sorted = *EncodeTree(t);
  Tree only_a, only_b;
  only_a.nodes = {File("a")};
  only_b.nodes = {File("b")};
  const std::string a = EncodeTree(only_a)->substr(5), b = EncodeTree(only_b)->substr(5);
  ASSERT_EQ(sorted.substr(5), a + b);
  auto r = DecodeTree(sorted.substr(0, 5) + b + a);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("node 1 (\"a\"): name: not after"), std::string::npos)
      << r.error().message();

  // A non-minimal varint (0x80 0x00 for zero) in the node count.
  EXPECT_NE(DecodeTree(std::string("FST1\x80\x00", 6)).error().message().find("node count"),
            std::string::npos);
}

TEST(Tree, DecoderRejectsUnknownTypeAndContentKind) {
  Tree t;
  t.nodes = {File("f")};
  std::string bytes = *EncodeTree(t);
  std::string bad_type = bytes;
  bad_type[5] = 7;
  EXPECT_NE(DecodeTree(bad_type).error().message().find("type: unknown value 7"),
            std::string::npos);
  // The first content entry's kind byte follows the content count; find it from the end:
  // 3 entries = chunk (1 + 32 + 2-byte varint of 4096) + hole (1 + 3-byte varint of 1 MiB)
  // + chunk (1 + 32 + 1-byte varint of 100).
  std::string bad_kind = bytes;
  bad_kind[bytes.size() - 35 - 4 - 34] = 5;
  auto decoded = DecodeTree(bad_kind);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_NE(decoded.error().message().find("content 0 kind: unknown value 5"), std::string::npos)
      << decoded.error().message();
}

TEST(Varint, RoundTripsAndRejectsOverlongs) {
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{1} << 63, ~uint64_t{0}}) {
    std::string s;
    PutVarint(s, v);
    VarintReader r(s);
    uint64_t back;
    ASSERT_TRUE(r.ReadVarint(&back));
    EXPECT_EQ(back, v);
    EXPECT_EQ(r.remaining(), 0u);
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, INT64_MIN, INT64_MAX}) {
    EXPECT_EQ(UnZigZag(ZigZag(v)), v);
  }
  uint64_t v;
  const std::string eleven_bytes = std::string(10, '\xff') + "\x01";
  VarintReader eleven(eleven_bytes);
  EXPECT_FALSE(eleven.ReadVarint(&v));
  const std::string past64_bytes = std::string(9, '\xff') + "\x02";
  VarintReader past64(past64_bytes);
  EXPECT_FALSE(past64.ReadVarint(&v));
}

}  // namespace
}  // namespace failsafe::backup
