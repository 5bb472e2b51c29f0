#include "server/static_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace failsafe::server {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fs-static-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    base_ = tmpl;
    root_ = base_ / "www";
    WriteFile(root_ / "index.html", "<html>console</html>");
    WriteFile(root_ / "assets" / "app-3f2a.js", "console.log(1)");
    WriteFile(root_ / "assets" / "app-3f2a.css", "body{}");
    WriteFile(root_ / "favicon.ico", "ico");
    WriteFile(root_ / ".env", "SECRET=1");
    WriteFile(base_ / "secret.txt", "outside");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    fs::create_directory_symlink(base_, root_ / "up");
    files_.emplace(root_.string());
  }
  void TearDown() override { fs::remove_all(base_); }

  std::optional<Response> Get(const std::string& target, const std::string& method = "GET") {
    Request r;
    r.method = method;
    r.target = target;
    std::map<std::string, std::string> query;
    Status st = ParseTarget(target, r.path, query);
    if (!st.ok()) return Response::Error(st);  // what the dispatcher does with a bad target
    return files_->Serve(r);
  }

  static std::string Header(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  fs::path base_, root_;
  std::optional<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  auto js = Get("/assets/app-3f2a.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/assets/app-3f2a.css")->content_type, "text/css; charset=utf-8");
  auto ico = Get("/favicon.ico");
  EXPECT_EQ(ico->content_type, "image/x-icon");
  EXPECT_EQ(Header(*ico, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, IndexAndSpaFallback) {
  for (const char* path : {"/", "/incidents/INC-2026-0042", "/settings?tab=users", "/assets"}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body, "<html>console</html>") << path;
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(Header(*r, "Cache-Control"), "no-cache");
  }
  EXPECT_EQ(Get("/missing.js")->status, 404);
  EXPECT_EQ(Get("/assets/app-0000.js")->status, 404);  // no SPA fallback for assets
}

TEST_F(StaticFilesTest, NotForApiOrWrites) {
  EXPECT_FALSE(Get("/api/v1/nothing"));
  EXPECT_FALSE(Get("/api"));
  EXPECT_FALSE(Get("/", "POST"));
  EXPECT_TRUE(Get("/", "HEAD"));
}

TEST_F(StaticFilesTest, TraversalIsRefused) {
  for (const char* attack :
       {"/../etc/passwd", "/%2e%2e/etc/passwd", "/a/..%2f..%2fsecret.txt", "/a/..%2F../secret.txt",
        "/assets/..", "/./index.html", "/..%5c..%5csecret.txt", "/a\\..\\secret.txt", "/a%00.html",
        "/%2e%2e%2f%2e%2e%2fsecret.txt"}) {
    auto r = Get(attack);
    ASSERT_TRUE(r) << attack;
    EXPECT_TRUE(r->status == 400 || r->status == 404) << attack << " -> " << r->status;
    EXPECT_EQ(r->body.find("outside"), std::string::npos) << attack;
    EXPECT_NE(r->body.find("\"error\""), std::string::npos) << attack;
  }
}

TEST_F(StaticFilesTest, SymlinksOutOfRootAndHiddenFilesAreRefused) {
  auto leak = Get("/leak.txt");
  EXPECT_EQ(leak->status, 404);
  EXPECT_EQ(leak->body.find("outside"), std::string::npos);
  auto up = Get("/up/secret.txt");
  EXPECT_EQ(up->status, 404);
  EXPECT_EQ(up->body.find("outside"), std::string::npos);
  EXPECT_EQ(Get("/.env")->status, 404);
}

TEST_F(StaticFilesTest, MissingRootServesNothing) {
  StaticFiles none((base_ / "no-such-dir").string());
  Request r;
  r.method = "GET";
  r.target = r.path = "/";
  EXPECT_FALSE(none.Serve(r));
}

}  // namespace
}  // namespace failsafe::server
