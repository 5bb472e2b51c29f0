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

}  // namespace
}  // namespace failsafe::json
