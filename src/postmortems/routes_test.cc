// The module's routes on a real Router: every route registers with a valid doc, and the
// document answers (Markdown/HTML/CSV, or the JSON envelope) are shaped as documented.
#include "postmortems/routes.h"

#include <gtest/gtest.h>

#include "auth/audit_log.h"
#include "auth/secret_box.h"
#include "base/metrics.h"
#include "postmortems/postmortems_module.h"
#include "postmortems/test_support.h"

namespace failsafe::postmortems {
namespace {

TEST(Routes, RegisterWithDocsAndPermissions) {
  testing::TestStore db(store::Engine::kSqlite);
  ASSERT_TRUE(db.status().ok()) << db.status().ToString();
  FakeClock clock;
  auth::AuditLog audit(std::string(32, 'a'), clock);
  auto box = auth::SecretBox::Create(std::string(32, 's'));
  ASSERT_TRUE(box);
  metrics::Registry metrics;
  auth::ModuleServices services{db.store(), clock, audit, *box, metrics, "http://x"};
  PostmortemsModule module(services);
  server::Router router;
  module.RegisterRoutes(router);
  ASSERT_EQ(router.routes().size(), 10u);
  for (const auto& r : router.routes()) {
    EXPECT_FALSE(r.doc.summary.empty()) << r.pattern;
    EXPECT_TRUE(r.permission == "postmortems.read" || r.permission == "postmortems.write" ||
                r.permission == "reports.read")
        << r.pattern;
    EXPECT_EQ(r.permission.ends_with(".write"), r.method != "GET") << r.method << r.pattern;
  }
  // The literal segment wins over {id}.
  auto m = router.Find("GET", "/api/v1/postmortems/actions");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/postmortems/actions");
}

TEST(Routes, DocumentsAnswerAsThemselvesOrInAJsonEnvelope) {
  server::Request browser;
  browser.headers["accept"] = "text/html,application/xhtml+xml,*/*;q=0.8";
  auto page = DocumentResponse(browser, "html", "text/html; charset=utf-8", "p.html", "<p>x</p>");
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body, "<p>x</p>");

  server::Request cli;
  cli.headers["accept"] = "application/json";
  auto wrapped = DocumentResponse(cli, "csv", "text/csv; charset=utf-8", "r.csv", "a,b\r\n");
  EXPECT_EQ(wrapped.content_type, "application/json");
  EXPECT_NE(wrapped.body.find("\"content\":\"a,b\\r\\n\""), std::string::npos) << wrapped.body;
  EXPECT_NE(wrapped.body.find("\"filename\":\"r.csv\""), std::string::npos);
}

}  // namespace
}  // namespace failsafe::postmortems
