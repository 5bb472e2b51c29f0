// The header values S3Client's users read as numbers. Answers of the wrong size are tested
// through S3Backend in s3_backend_test.cc.
#include "backup/backend/s3_client.h"

#include <gtest/gtest.h>

namespace failsafe::backup::s3 {
namespace {

TEST(S3ClientTest, ParseLengthTakesDigitsOnly) {
  EXPECT_EQ(ParseLength("1012"), 1012u);
  EXPECT_EQ(ParseLength("0"), 0u);
  EXPECT_EQ(ParseLength("9999999999999999999"), 9999999999999999999u);
  EXPECT_FALSE(ParseLength(""));
  EXPECT_FALSE(ParseLength("12a"));
  EXPECT_FALSE(ParseLength("-1"));
  EXPECT_FALSE(ParseLength(" 12"));
  EXPECT_FALSE(ParseLength("18446744073709551616"));  // 2^64: more than 19 digits
}

TEST(S3ClientTest, ParseContentRange) {
  auto r = ParseContentRange("bytes 5-14/300000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 5u);
  EXPECT_EQ(r->last, 14u);
  EXPECT_EQ(r->total, 300000u);
  auto unknown = ParseContentRange("bytes 0-0/*");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->total);
  EXPECT_FALSE(ParseContentRange("bytes 14-5/20"));    // backwards
  EXPECT_FALSE(ParseContentRange("bytes 0-9/9"));      // past the total
  EXPECT_FALSE(ParseContentRange("bytes */20"));       // a 416's form, not a range
  EXPECT_FALSE(ParseContentRange("items 0-9/10"));     // another unit
  EXPECT_FALSE(ParseContentRange("bytes 0-9"));        // no total
  EXPECT_FALSE(ParseContentRange("bytes 0-9/10/11"));  // not a number after the slash
}

}  // namespace
}  // namespace failsafe::backup::s3
