#include "server/pagination.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace failsafe::server {
namespace {

Request WithQuery(std::map<std::string, std::string> q) {
  Request r;
  r.query = std::move(q);
  return r;
}

TEST(PaginationTest, Defaults) {
  auto page = ParsePageRequest(WithQuery({}));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 50);
  EXPECT_FALSE(page->after_id.has_value());
  page = ParsePageRequest(WithQuery({}), 20, 100);
  EXPECT_EQ(page->limit, 20);
}

TEST(PaginationTest, LimitBounds) {
  EXPECT_EQ(ParsePageRequest(WithQuery({{"limit", "500"}}))->limit, 500);
  EXPECT_EQ(ParsePageRequest(WithQuery({{"limit", "1"}}))->limit, 1);
  for (const char* bad : {"0", "-1", "501", "abc", "5x", "", "99999999999999"}) {
    auto page = ParsePageRequest(WithQuery({{"limit", bad}}));
    ASSERT_FALSE(page) << bad;
    EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(page.error().field(), "limit");
  }
}

TEST(PaginationTest, CursorRoundTrip) {
  std::string cursor = MakeCursor(12345);
  auto page = ParsePageRequest(WithQuery({{"cursor", cursor}}));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->after_id, 12345);
  EXPECT_EQ(cursor.find('='), std::string::npos);
}

TEST(PaginationTest, ForeignCursorsRejected) {
  for (std::string bad : {std::string("!!!"), Base64UrlEncode("12"), Base64UrlEncode("id:x"),
                          Base64UrlEncode("id:-4"), Base64UrlEncode("id:1 ")}) {
    auto page = ParsePageRequest(WithQuery({{"cursor", bad}}));
    ASSERT_FALSE(page) << bad;
    EXPECT_EQ(page.error().field(), "cursor");
  }
}

TEST(PaginationTest, PageJson) {
  auto last = PageJson(boost::json::array{1, 2}, std::nullopt);
  EXPECT_EQ(boost::json::serialize(last), R"({"items":[1,2],"next_cursor":null})");
  auto more = PageJson(boost::json::array{}, 7);
  EXPECT_EQ(more.at("next_cursor").as_string(), MakeCursor(7));
}

TEST(PaginationTest, PageResponseIsByteForByteTheSerialisedPageJson) {
  struct Item {
    int64_t id;
    std::string name;
  };
  const std::vector<Item> items{{1, "one"}, {2, "two \"quoted\"\n"}, {30, ""}};
  auto write = [](json::Writer& w, const Item& i) {
    w.BeginObject();
    w.Field("id", i.id);
    w.Field("name", i.name);
    w.EndObject();
  };
  boost::json::array dom;
  for (const auto& i : items) dom.push_back(boost::json::object{{"id", i.id}, {"name", i.name}});
  for (std::optional<int64_t> next : {std::optional<int64_t>(), std::optional<int64_t>(30)}) {
    Response r = PageResponse(items, next, write);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, boost::json::serialize(PageJson(dom, next)));
  }
  EXPECT_EQ(PageResponse(std::vector<Item>{}, std::nullopt, write).body,
            R"({"items":[],"next_cursor":null})");
}

}  // namespace
}  // namespace failsafe::server
