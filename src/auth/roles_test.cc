#include "auth/roles.h"

#include <gtest/gtest.h>

#include <string>

namespace failsafe::auth {
namespace {

struct Case {
  const char* permission;
  bool admin, responder, viewer, pending;
};

TEST(RolesTest, PermissionMatrix) {
  const Case cases[] = {
      // ordinary resources
      {"incidents.read", true, true, true, false},
      {"incidents.write", true, true, false, false},
      {"incidents.admin", true, false, false, false},
      {"plans.read", true, true, true, false},
      {"plans.write", true, true, false, false},
      // sensitive resources
      {"users.read", true, false, false, false},
      {"users.write", true, false, false, false},
      {"audit.read", true, false, false, false},
      {"settings.read", true, false, false, false},
      {"settings.write", true, false, false, false},
      {"tokens.admin", true, false, false, false},
      // own things
      {"tokens.read", true, true, true, false},
      {"tokens.write", true, true, true, false},
      {"self.read", true, true, true, false},
      {"self.write", true, true, true, false},
      {"self.totp", true, true, true, true},
      {"self.session", true, true, true, true},
      // malformed
      {"incidents", false, false, false, false},
      {"incidents.", false, false, false, false},
      {".read", false, false, false, false},
      {"incidents.delete", false, false, false, false},
      {"", false, false, false, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.permission);
    EXPECT_EQ(RoleAllowed("admin", c.permission), c.admin);
    EXPECT_EQ(RoleAllowed("responder", c.permission), c.responder);
    EXPECT_EQ(RoleAllowed("viewer", c.permission), c.viewer);
    EXPECT_EQ(RoleAllowed("pending-2fa", c.permission), c.pending);
    EXPECT_FALSE(RoleAllowed("root", c.permission));
    EXPECT_FALSE(RoleAllowed("", c.permission));
    EXPECT_FALSE(RoleAllowed("Admin", c.permission));
  }
}

TEST(RolesTest, RanksAndLowerRole) {
  EXPECT_TRUE(IsAssignableRole("viewer"));
  EXPECT_FALSE(IsAssignableRole("pending-2fa"));
  EXPECT_LT(RoleRank("viewer"), RoleRank("responder"));
  EXPECT_LT(RoleRank("responder"), RoleRank("admin"));
  EXPECT_EQ(RoleRank("nobody"), 0);
  EXPECT_EQ(LowerRole("admin", "viewer"), "viewer");
  EXPECT_EQ(LowerRole("responder", "admin"), "responder");
}

TEST(RolesTest, GrantedPermissionsFiltersSortsAndDeduplicates) {
  const std::vector<std::string> candidates = {"plans.write",    "incidents.read", "users.read",
                                               "incidents.read", "self.totp",      "nonsense"};
  EXPECT_EQ(GrantedPermissions("viewer", candidates),
            (std::vector<std::string>{"incidents.read", "self.totp"}));
  EXPECT_EQ(GrantedPermissions("responder", candidates),
            (std::vector<std::string>{"incidents.read", "plans.write", "self.totp"}));
  EXPECT_EQ(GrantedPermissions("admin", candidates),
            (std::vector<std::string>{"incidents.read", "plans.write", "self.totp", "users.read"}));
  EXPECT_EQ(GrantedPermissions("pending-2fa", candidates), (std::vector<std::string>{"self.totp"}));
  EXPECT_TRUE(GrantedPermissions("nobody", candidates).empty());
}

}  // namespace
}  // namespace failsafe::auth
