#include "base/encoding.h"

#include <gtest/gtest.h>

namespace failsafe {
namespace {

TEST(Hex, RoundTrips) {
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(*HexDecode("00FF10"), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
}

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(*Base64Decode("Zm9vYg=="), "foob");
  EXPECT_FALSE(Base64Decode("Zm9vYg="));
  EXPECT_FALSE(Base64Decode("Zm9v!g=="));
  EXPECT_FALSE(Base64Decode("Zh=="));  // non-zero padding bits
}

TEST(Base64Url, UnpaddedAndUrlSafe) {
  std::string bytes("\xfb\xff\xfe", 3);
  EXPECT_EQ(Base64UrlEncode(bytes), "-__-");
  EXPECT_EQ(*Base64UrlDecode("-__-"), bytes);
}

TEST(Base32, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(*Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1"));
}

TEST(Url, EncodesReservedAndDecodes) {
  EXPECT_EQ(UrlEncode("a b/c+d"), "a%20b%2Fc%2Bd");
  EXPECT_EQ(*UrlDecode("a%20b%2Fc%2bd+e"), "a b/c+d e");
  EXPECT_FALSE(UrlDecode("%2"));
  EXPECT_FALSE(UrlDecode("%"));
  EXPECT_FALSE(UrlDecode("%zz"));
}

}  // namespace
}  // namespace failsafe
