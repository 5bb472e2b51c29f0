#include "incidents/lifecycle.h"

#include <gtest/gtest.h>

namespace failsafe::incidents {
namespace {

TEST(LifecycleTest, TheUsualPath) {
  EXPECT_EQ(*NextStatus("declared", "ack"), "acknowledged");
  EXPECT_EQ(*NextStatus("acknowledged", "mitigate"), "mitigating");
  EXPECT_EQ(*NextStatus("mitigating", "resolve"), "recovered");
  EXPECT_EQ(*NextStatus("recovered", "verify"), "verified");
  EXPECT_EQ(*NextStatus("verified", "close"), "closed");
}

TEST(LifecycleTest, MitigatingIsNotARequiredStop) {
  EXPECT_EQ(*NextStatus("acknowledged", "resolve"), "recovered");
}

TEST(LifecycleTest, ReopenAfterAResolveByMistake) {
  EXPECT_EQ(*NextStatus("recovered", "reopen"), "acknowledged");
  EXPECT_EQ(*NextStatus("closed", "reopen"), "acknowledged");
}

TEST(LifecycleTest, RefusesSkippingVerificationAndExplains) {
  auto r = NextStatus("recovered", "close");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConflict);
  EXPECT_NE(r.error().message().find("verify the recovery first"), std::string::npos);
  EXPECT_FALSE(NextStatus("acknowledged", "ack"));
  EXPECT_FALSE(NextStatus("closed", "resolve"));
  auto unknown = NextStatus("declared", "explode");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace failsafe::incidents
