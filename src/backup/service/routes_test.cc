// The route table: every /api/v1/backup route registers with its permission and a
// well-formed OpenAPI description (the schemas are parsed when registered).
#include <gtest/gtest.h>

#include "backup/service/backup_service_module.h"
#include "backup/service/test_support.h"
#include "base/metrics.h"
#include "server/openapi.h"

namespace failsafe::backup::service {
namespace {

TEST(BackupRoutes, RegisterWithLeastPrivilegeAndDocumentation) {
  store::testing::MigratedStore db(store::Engine::kSqlite, "backuproutes", testing::Schema());
  ASSERT_TRUE(db.status().ok());
  FakeClock clock;
  auth::AuditLog audit(std::string(32, 'a'), clock);
  auth::SecretBox box = testing::TestBox();
  metrics::Registry registry;
  auth::ModuleServices services{db.store(), clock, audit, box, registry, "http://x", "UTC"};
  BackupServiceModule module(services, {}, {});
  server::Router router;
  module.RegisterRoutes(router);
  std::map<std::string, std::string> permissions;
  for (const auto& r : router.routes()) {
    permissions[r.method + " " + r.pattern] = r.permission;
    EXPECT_FALSE(r.doc.summary.empty()) << r.pattern;
    EXPECT_EQ(r.doc.tag, "backup");
  }
  EXPECT_EQ(permissions.size(), 10u);
  EXPECT_EQ(permissions["POST /api/v1/backup/policies"], "backups.admin");
  EXPECT_EQ(permissions["DELETE /api/v1/backup/policies/{name}"], "backups.admin");
  EXPECT_EQ(permissions["POST /api/v1/backup/policies/{name}/run"], "backups.write");
  EXPECT_EQ(permissions["POST /api/v1/backup/policies/{name}/drill"], "backups.write");
  EXPECT_EQ(permissions["GET /api/v1/backup/status"], "backups.read");
  auto doc = server::BuildOpenApi(router, "test");
  EXPECT_TRUE(doc.as_object().at("paths").as_object().contains("/api/v1/backup/status"));
}

}  // namespace
}  // namespace failsafe::backup::service
