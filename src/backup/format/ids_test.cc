#include "backup/format/ids.h"

#include <gtest/gtest.h>

namespace failsafe::backup {
namespace {

TEST(Id, HexRoundTripsAndRejectsMalformed) {
  std::string hex = "00ff10ab" + std::string(56, 'c');
  auto id = Id::FromHex(hex);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->bytes[1], 0xff);
  EXPECT_EQ(id->Hex(), hex);
  EXPECT_EQ(Id::FromHex("00FF10AB" + std::string(56, 'C'))->Hex(), hex);
  EXPECT_FALSE(Id::FromHex(hex.substr(1)).has_value());
  EXPECT_FALSE(Id::FromHex("zz" + hex.substr(2)).has_value());
  EXPECT_TRUE(Id{}.IsZero());
  EXPECT_FALSE(id->IsZero());
}

TEST(Id, OrdersByBytes) {
  auto a = *Id::FromHex(std::string(63, '0') + "1");
  auto b = *Id::FromHex("1" + std::string(63, '0'));
  EXPECT_LT(a, b);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace failsafe::backup
