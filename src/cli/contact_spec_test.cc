#include "cli/contact_spec.h"

#include <gtest/gtest.h>

namespace failsafe::cli {
namespace {

TEST(ContactSpec, FieldsSeparatedBySemicolonsWithCommasAndChineseInValues) {
  auto c = ParseContactSpec(
      "name=Atlassian 技术支持; organisation=Atlassian, Inc.;role=vendor support;"
      "phone=+86 400 000 0000;email=support@example.com");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->at("kind").as_string(), "external");  // the default
  EXPECT_EQ(c->at("name").as_string(), "Atlassian 技术支持");
  EXPECT_EQ(c->at("organisation").as_string(), "Atlassian, Inc.");
  EXPECT_EQ(c->at("phone").as_string(), "+86 400 000 0000");
  EXPECT_EQ(c->size(), 6u);
}

TEST(ContactSpec, KindMayBeGiven) {
  auto c = ParseContactSpec("kind=internal;name=王工");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->at("kind").as_string(), "internal");
}

TEST(ContactSpec, ErrorsNameThePartAndTheFieldsThatExist) {
  auto unknown = ParseContactSpec("name=x;fax=123");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("unknown field 'fax'"), std::string::npos);
  EXPECT_NE(unknown.error().message().find("organisation"), std::string::npos);

  auto bare = ParseContactSpec("name=x;hello");
  ASSERT_FALSE(bare.has_value());
  EXPECT_NE(bare.error().message().find("'hello' is not field=value"), std::string::npos);

  auto twice = ParseContactSpec("name=x;name=y");
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message().find("given twice"), std::string::npos);

  auto nameless = ParseContactSpec("role=lawyer");
  ASSERT_FALSE(nameless.has_value());
  EXPECT_NE(nameless.error().message().find("needs name="), std::string::npos);
}

}  // namespace
}  // namespace failsafe::cli
