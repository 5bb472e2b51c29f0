#include "base/json.h"

#include <gtest/gtest.h>

namespace failsafe::json {
namespace {

TEST(JsonParse, ReportsByteOffsetOfErrors) {
  auto r = Parse(R"({"a": 1,})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("byte"), std::string::npos);
}

TEST(JsonParse, RejectsTrailingDataBadUtf8AndDeepNesting) {
  EXPECT_FALSE(Parse(R"({"a":1} {"b":2})"));
  EXPECT_FALSE(Parse("\"\xff\xfe\""));
  EXPECT_FALSE(Parse(std::string(100, '[') + std::string(100, ']')));
  EXPECT_FALSE(ParseObject("[1,2]"));
}

TEST(ObjectReader, ReadsTypedFields) {
  auto obj = *ParseObject(R"({"name":"jira","tier":2,"on":true})");
  ObjectReader r(obj);
  EXPECT_EQ(r.RequiredString("name"), "jira");
  EXPECT_EQ(r.OptionalInt("tier"), 2);
  EXPECT_EQ(r.OptionalBool("on"), true);
  EXPECT_FALSE(r.OptionalString("missing"));
  EXPECT_TRUE(r.Finish().ok());
}

TEST(ObjectReader, NamesTheFieldOnWrongType) {
  auto obj = *ParseObject(R"({"name":5})");
  ObjectReader r(obj, "service");
  r.RequiredString("name");
  Status s = r.Finish();
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "service.name");
}

TEST(ObjectReader, RejectsUnknownAndMissingFields) {
  auto obj = *ParseObject(R"({"name":"x","nmae":"typo"})");
  ObjectReader r(obj);
  r.RequiredString("name");
  EXPECT_EQ(r.Finish().field(), "nmae");

  auto empty = *ParseObject("{}");
  ObjectReader r2(empty);
  r2.RequiredString("username");
  EXPECT_EQ(r2.Finish().field(), "username");
}

TEST(ObjectReader, EnforcesLengthLimit) {
  auto obj = *ParseObject(R"({"s":"abcdef"})");
  ObjectReader r(obj);
  r.OptionalString("s", 3);
  EXPECT_EQ(r.Finish().field(), "s");
}

// The streaming writer must be indistinguishable from serialising a DOM: routes switch
// between the two.
TEST(JsonWriter, EscapesEveryByteExactlyAsSerializeDoes) {
  for (int c = 0; c < 256; ++c) {
    const std::string s = std::string("a") + static_cast<char>(c) + "b";
    std::string out;
    Writer w(out);
    w.String(s);
    EXPECT_EQ(out, Serialize(bj::value(bj::string(s)))) << "byte " << c;
  }
  std::string mixed =
      "\"quoted\"\\ back\nslash\t\x01\x1f\x7f caf\xc3\xa9 \xe5\xba\x94\xe6\x80\xa5 \xff";
  std::string out;
  Writer(out).String(mixed);
  EXPECT_EQ(out, Serialize(bj::value(bj::string(mixed))));
}

TEST(JsonWriter, NestedDocumentMatchesSerialize) {
  bj::object row1{{"id", 1}, {"name", "a\"b"}, {"ok", true}, {"gone", nullptr}};
  bj::object row2{{"id", INT64_MIN}, {"name", ""}, {"ok", false}, {"gone", nullptr}};
  bj::object doc{{"items", bj::array{row1, row2, bj::array{}, bj::object{}}},
                 {"max", INT64_MAX},
                 {"next_cursor", nullptr}};

  std::string out;
  Writer w(out);
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
  w.BeginObject();
  w.Field("id", int64_t{1});
  w.Field("name", "a\"b");
  w.Key("ok");
  w.Bool(true);
  w.NullField("gone");
  w.EndObject();
  w.BeginObject();
  w.Field("id", int64_t{INT64_MIN});
  w.Field("name", std::string_view());
  w.Key("ok");
  w.Bool(false);
  w.NullField("gone");
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.BeginObject();
  w.EndObject();
  w.EndArray();
  w.Field("max", int64_t{INT64_MAX});
  w.NullField("next_cursor");
  w.EndObject();
  EXPECT_EQ(out, Serialize(doc));
}

TEST(JsonWriter, AppendsToWhatTheStringAlreadyHolds) {
  std::string out = "prefix:";
  Writer w(out);
  w.BeginArray();
  w.Int(-5);
  w.String("x");
  w.EndArray();
  EXPECT_EQ(out, "prefix:[-5,\"x\"]");
}

}  // namespace
}  // namespace failsafe::json
