#include "backup/format/snapshot.h"

#include <gtest/gtest.h>

#include "base/json.h"

namespace failsafe::backup {
namespace {

Snapshot Sample() {
  Snapshot s;
  s.time_ns = 1'763'776'800'123'456'789;
  s.host = "erp-db-01";
  s.user = "root";
  s.paths = {"/srv/erp"};
  s.tags = {"policy:erp-nightly"};
  s.excludes = {"*.tmp"};
  s.tree.bytes.fill(0xab);
  Id parent;
  parent.bytes.fill(0x01);
  s.parent = parent;
  s.source = {SourceKind::kStdin, "pg_dump erp", "erp.sql"};
  s.summary = {10, 2, 9120, 311, 1234, 4567, 2345, 9132, 987654321, 5120};
  s.program = "failsafe 0.6.0";
  return s;
}

// Sample()'s JSON with one field replaced (or removed when `value` is empty).
std::string With(std::string_view key, std::string_view value) {
  auto obj = *json::ParseObject(EncodeSnapshot(Sample()));
  if (value.empty()) {
    obj.erase(key);
  } else {
    obj[key] = *json::Parse(value);
  }
  return json::Serialize(obj);
}

std::string ErrorOf(const std::string& json) {
  auto r = DecodeSnapshot(json);
  if (r) return "accepted";
  return r.error().ToString();
}

TEST(Snapshot, RoundTripsInTheDocumentedShape) {
  const std::string text = EncodeSnapshot(Sample());
  EXPECT_EQ(text.substr(0, 53), R"({"version":1,"time":"2025-11-22T02:00:00.123456789Z",)");
  EXPECT_NE(text.find(R"("source":{"kind":"stdin","command":"pg_dump erp","filename":"erp.sql"})"),
            std::string::npos);
  auto back = DecodeSnapshot(text);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, Sample());

  Snapshot no_parent = Sample();
  no_parent.parent.reset();
  no_parent.source = {};
  const std::string plain = EncodeSnapshot(no_parent);
  EXPECT_NE(plain.find(R"("parent":"")"), std::string::npos);
  EXPECT_NE(plain.find(R"("source":{"kind":"files"})"), std::string::npos);
  EXPECT_EQ(*DecodeSnapshot(plain), no_parent);
}

TEST(Snapshot, NonUtf8PathsBecomeReplacementCharacters) {
  Snapshot s = Sample();
  s.paths = {"/srv/caf\xe9/x"};
  auto back = DecodeSnapshot(EncodeSnapshot(s));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->paths[0], "/srv/caf\xef\xbf\xbd/x");
}

TEST(Snapshot, StrictAboutFields) {
  EXPECT_NE(ErrorOf(With("host", "")).find("'host' is required"), std::string::npos);
  EXPECT_NE(ErrorOf(With("paths", "")).find("'paths' is required"), std::string::npos);
  EXPECT_NE(ErrorOf(With("full", "")).find("'full' is required"), std::string::npos);
  EXPECT_NE(ErrorOf(With("summary", "")).find("'summary' is required"), std::string::npos);
  EXPECT_NE(ErrorOf(With("colour", "\"blue\"")).find("unknown field 'colour'"), std::string::npos);
  EXPECT_NE(ErrorOf(With("full", "1")).find("'full' must be true or false"), std::string::npos);
  EXPECT_NE(ErrorOf(With("paths", R"(["/a", 2])")).find("'paths[1]' must be a string"),
            std::string::npos);
  EXPECT_NE(ErrorOf(With("tree", R"("abc")")).find("'tree' is not a 64-digit hex id"),
            std::string::npos);
  EXPECT_NE(ErrorOf(With("parent", R"("xyz")")).find("'parent'"), std::string::npos);
  EXPECT_NE(ErrorOf(With("time", R"("yesterday")")).find("'time' is not an RFC 3339"),
            std::string::npos);
  EXPECT_NE(ErrorOf(With("version", "2")).find("version 2 is newer"), std::string::npos);
  EXPECT_NE(ErrorOf(With("source", R"({"kind":"tape"})")).find("'source.kind' has unknown"),
            std::string::npos);
  EXPECT_NE(ErrorOf(With("source", R"({"kind":"stdin","command":"x"})"))
                .find("'source.filename' is required"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(With("source", R"({"kind":"files","extra":1})")).find("unknown field 'source.extra'"),
      std::string::npos);
  EXPECT_NE(ErrorOf(With("summary", R"({"files_new":1})")).find("'summary.files_changed'"),
            std::string::npos);
  auto neg = *json::ParseObject(EncodeSnapshot(Sample()));
  neg["summary"].as_object()["dirs"] = -1;
  EXPECT_NE(ErrorOf(json::Serialize(neg)).find("'summary.dirs' must not be negative"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[1]").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(ErrorOf("{").find("malformed JSON"), std::string::npos);

  auto r = DecodeSnapshot(With("tags", "{}"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field(), "tags");
  EXPECT_EQ(r.error().message().rfind("snapshot: ", 0), 0u);
}

TEST(SnapshotTime, FormatsAndParsesNanoseconds) {
  EXPECT_EQ(FormatTimeNs(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(FormatTimeNs(-1), "1969-12-31T23:59:59.999999999Z");
  for (int64_t t : {int64_t{0}, int64_t{-1}, int64_t{1'763'776'800'123'456'789}}) {
    EXPECT_EQ(ParseTimeNs(FormatTimeNs(t)), t);
  }
  EXPECT_EQ(ParseTimeNs("2026-11-22T02:00:00Z"), int64_t{1'795'312'800} * 1'000'000'000);
  EXPECT_EQ(ParseTimeNs("2026-11-22T03:00:00.5+01:00"),
            int64_t{1'795'312'800} * 1'000'000'000 + 500'000'000);
  EXPECT_FALSE(ParseTimeNs("2026-11-22T02:00:00.1234567890Z"));  // ten digits
  EXPECT_FALSE(ParseTimeNs("2026-11-22T02:00:00.Z"));
  EXPECT_FALSE(ParseTimeNs("2026-11-22"));
}

TEST(Snapshot, CopiedFromIsOptionalAndChecked) {
  Snapshot copy = Sample();
  SnapshotOrigin origin;
  origin.repository.bytes.fill(0x22);
  origin.snapshot.bytes.fill(0x33);
  copy.copied_from = origin;
  const std::string text = EncodeSnapshot(copy);
  EXPECT_NE(text.find(R"("copied_from":{"repository":")" + origin.repository.Hex() +
                      R"(","snapshot":")" + origin.snapshot.Hex() + "\"}"),
            std::string::npos);
  auto back = DecodeSnapshot(text);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, copy);
  EXPECT_EQ(EncodeSnapshot(Sample()).find("copied_from"), std::string::npos);

  EXPECT_NE(ErrorOf(With("copied_from",
                         R"({"repository":"ab","snapshot":")" + origin.snapshot.Hex() + "\"}"))
                .find("'copied_from.repository' is not a 64-digit hex id"),
            std::string::npos);
  EXPECT_NE(ErrorOf(With("copied_from", R"({"repository":")" + origin.repository.Hex() + "\"}"))
                .find("'copied_from.snapshot' is required"),
            std::string::npos);
  EXPECT_NE(ErrorOf(With("copied_from", "7")).find("copied_from"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::backup
