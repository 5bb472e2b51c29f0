#include "server/openapi.h"

#include <gtest/gtest.h>

namespace failsafe::server {
namespace {

namespace json = boost::json;

Route MakeRoute(std::string method, std::string pattern, std::string permission) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.permission = std::move(permission);
  r.handler = [](Request&) -> Result<Response> { return Response::NoContent(); };
  return r;
}

class OpenApiTest : public ::testing::Test {
 protected:
  OpenApiTest() {
    Route list = MakeRoute("GET", "/api/v1/users", "users.read");
    list.doc.summary = "List users";
    list.doc.tag = "users";
    list.doc.query_params = {"limit", "cursor"};
    list.doc.response_schema = json::object{{"type", "object"}};
    router_.Add(list);
    Route create = MakeRoute("POST", "/api/v1/users", "users.write");
    create.doc.tag = "users";
    create.doc.request_schema =
        json::object{{"type", "object"}, {"required", json::array{"username"}}};
    create.doc.success_status = 201;
    router_.Add(create);
    router_.Add(MakeRoute("DELETE", "/api/v1/users/{id}/tokens/{token_id}", "tokens.write"));
    Route health = MakeRoute("GET", "/healthz", "");
    health.doc.tag = "system";
    router_.Add(health);
    // The document must survive a round trip through text (what clients download).
    doc_ = json::parse(json::serialize(BuildOpenApi(router_, "1.2.3")));
  }
  const json::object& Op(const std::string& path, const std::string& method) {
    return doc_.at("paths").at(path).at(method).as_object();
  }
  Router router_;
  json::value doc_;
};

TEST_F(OpenApiTest, Header) {
  EXPECT_EQ(doc_.at("openapi").as_string(), "3.1.0");
  EXPECT_EQ(doc_.at("info").at("title").as_string(), "failsafe");
  EXPECT_EQ(doc_.at("info").at("version").as_string(), "1.2.3");
  EXPECT_FALSE(doc_.at("servers").as_array().empty());
  const auto& schemes = doc_.at("components").at("securitySchemes");
  EXPECT_EQ(schemes.at("bearerAuth").at("scheme").as_string(), "bearer");
  EXPECT_EQ(schemes.at("cookieAuth").at("in").as_string(), "cookie");
  EXPECT_EQ(schemes.at("cookieAuth").at("name").as_string(), "failsafe_session");
  const auto& error = doc_.at("components").at("schemas").at("Error");
  EXPECT_TRUE(error.at("properties").at("error").at("properties").as_object().contains("field"));
}

TEST_F(OpenApiTest, EveryRouteIsAnOperation) {
  size_t ops = 0;
  for (const auto& [path, item] : doc_.at("paths").as_object()) ops += item.as_object().size();
  EXPECT_EQ(ops, router_.routes().size());
  for (const Route& r : router_.routes()) {
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(Op(r.pattern, method).contains("operationId")) << r.pattern;
  }
}

TEST_F(OpenApiTest, OperationDetails) {
  const auto& list = Op("/api/v1/users", "get");
  EXPECT_EQ(list.at("operationId").as_string(), "getApiV1Users");
  EXPECT_EQ(list.at("summary").as_string(), "List users");
  EXPECT_EQ(list.at("tags").as_array().at(0).as_string(), "users");
  const auto& params = list.at("parameters").as_array();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].at("in").as_string(), "query");
  EXPECT_EQ(params[0].at("name").as_string(), "limit");
  const auto& responses = list.at("responses").as_object();
  EXPECT_TRUE(responses.at("200").as_object().contains("content"));
  for (const char* code : {"400", "401", "403", "429"}) {
    EXPECT_EQ(responses.at(code).at("content").at("application/json").at("schema").at("$ref"),
              "#/components/schemas/Error")
        << code;
  }
  EXPECT_FALSE(list.contains("security"));  // inherits the document's bearer/cookie security

  const auto& create = Op("/api/v1/users", "post");
  EXPECT_EQ(
      create.at("requestBody").at("content").at("application/json").at("schema").at("required"),
      json::array{"username"});
  EXPECT_TRUE(create.at("responses").as_object().contains("201"));
  EXPECT_TRUE(create.at("responses").as_object().contains("409"));
  EXPECT_TRUE(create.at("responses").as_object().contains("413"));
}

TEST_F(OpenApiTest, PathParameters) {
  const auto& del = Op("/api/v1/users/{id}/tokens/{token_id}", "delete");
  EXPECT_EQ(del.at("operationId").as_string(), "deleteApiV1UsersIdTokensTokenId");
  const auto& params = del.at("parameters").as_array();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].at("name").as_string(), "id");
  EXPECT_EQ(params[0].at("in").as_string(), "path");
  EXPECT_TRUE(params[0].at("required").as_bool());
  EXPECT_EQ(params[1].at("name").as_string(), "token_id");
  EXPECT_TRUE(del.at("responses").as_object().contains("404"));
}

TEST_F(OpenApiTest, PublicRoutesHaveNoSecurityOrAuthErrors) {
  const auto& health = Op("/healthz", "get");
  EXPECT_TRUE(health.at("security").as_array().empty());
  EXPECT_FALSE(health.at("responses").as_object().contains("401"));
  EXPECT_FALSE(health.at("responses").as_object().contains("403"));
}

TEST(OperationIdTest, Derivation) {
  EXPECT_EQ(OperationId("GET", "/"), "get");
  EXPECT_EQ(OperationId("PATCH", "/api/v1/me/password"), "patchApiV1MePassword");
  EXPECT_EQ(OperationId("GET", "/api/v1/openapi.json"), "getApiV1OpenapiJson");
}

}  // namespace
}  // namespace failsafe::server
