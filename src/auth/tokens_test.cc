// The list route writes tokens as JSON text directly; it must stay byte-for-byte the DOM view.
#include "auth/tokens.h"

#include <gtest/gtest.h>

namespace failsafe::auth {
namespace {

std::string Written(const ApiToken& t) {
  std::string out;
  json::Writer w(out);
  WriteTokenJson(w, t);
  return out;
}

TEST(TokenJson, WrittenTextEqualsSerialisedObject) {
  ApiToken fresh;
  fresh.id = 7;
  fresh.user_id = 3;
  fresh.name = "ci \"deploy\"\n应急";
  fresh.role = "viewer";
  fresh.created_at = 1'700'000'000'123;
  fresh.expires_at = 1'707'776'000'123;
  EXPECT_EQ(Written(fresh), boost::json::serialize(TokenJson(fresh)));

  ApiToken used = fresh;
  used.last_used_at = 1'700'000'100'000;
  used.revoked_at = 1'700'000'200'999;
  EXPECT_EQ(Written(used), boost::json::serialize(TokenJson(used)));
}

}  // namespace
}  // namespace failsafe::auth
