#include "base/utf8.h"

#include <gtest/gtest.h>

namespace failsafe {
namespace {

TEST(Utf8, AcceptsChineseAndAscii) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("一级 应急预案"));
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x9a\xa8"));  // emoji
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe4\xb8"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
}

TEST(Utf8, TruncateCutsOnlyBetweenCodePoints) {
  const std::string text = "P1 \xe4\xb8\x80\xe7\xba\xa7";  // "P1 一级"
  EXPECT_EQ(TruncateUtf8(text, 100), text);
  EXPECT_EQ(TruncateUtf8(text, 6), "P1 \xe4\xb8\x80");
  EXPECT_EQ(TruncateUtf8(text, 5), "P1 ");  // inside the first character
  EXPECT_EQ(TruncateUtf8(text, 4), "P1 ");
  EXPECT_EQ(TruncateUtf8(text, 0), "");
  for (size_t n = 0; n <= text.size(); ++n) EXPECT_TRUE(IsValidUtf8(TruncateUtf8(text, n))) << n;
}

}  // namespace
}  // namespace failsafe
