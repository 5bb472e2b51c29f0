#include <gtest/gtest.h>

#include <stdexcept>

#include "store/store.h"

namespace failsafe::store {
namespace {

TEST(RowTest, ConvertsBetweenNumbersAndText) {
  Row row({int64_t{42}, 2.75, std::string("17"), std::string("x"), nullptr, Blob{"ab"}});
  EXPECT_EQ(row.size(), 6u);
  EXPECT_EQ(row.Int(0), 42);
  EXPECT_DOUBLE_EQ(row.Real(0), 42.0);
  EXPECT_EQ(row.Text(0), "42");
  EXPECT_EQ(row.Int(1), 2);
  EXPECT_EQ(row.Text(1), "2.75");
  EXPECT_EQ(row.Int(2), 17);
  EXPECT_DOUBLE_EQ(row.Real(2), 17.0);
  EXPECT_EQ(row.Int(3), 0) << "text that is not a number reads as 0";
  EXPECT_TRUE(row.IsNull(4));
  EXPECT_EQ(row.OptInt(4), std::nullopt);
  EXPECT_EQ(row.OptText(4), std::nullopt);
  EXPECT_EQ(row.Text(4), "");
  EXPECT_EQ(row.Bytes(5), "ab");
  EXPECT_EQ(row.OptInt(0), 42);
  EXPECT_EQ(row.OptText(3), "x");
}

TEST(RowTest, ReadingPastTheEndIsABug) {
  Row row({int64_t{1}});
  EXPECT_THROW((void)row.Int(1), std::out_of_range);
}

TEST(OpenStoreTest, RejectsUnknownSchemesWithoutLeakingPasswords) {
  auto s = OpenStore("mysql://root:hunter2@host/db");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message().find("hunter2"), std::string::npos) << s.error().message();
  auto empty = OpenStore("sqlite:");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace failsafe::store
