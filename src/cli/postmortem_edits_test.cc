#include "cli/postmortem_edits.h"

#include <gtest/gtest.h>

namespace failsafe::cli {
namespace {

TEST(PostmortemEdits, CauseWithFiveWhys) {
  auto c = ParseCause("software_defect| Jira DB disk full |alert muted|no capacity review||");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->at("category").as_string(), "software_defect");
  EXPECT_EQ(c->at("description").as_string(), "Jira DB disk full");
  ASSERT_EQ(c->at("whys").as_array().size(), 2u);  // empty ones dropped
  EXPECT_EQ(c->at("whys").as_array()[1].as_string(), "no capacity review");
  EXPECT_FALSE(ParseCause("|no category").has_value());
}

TEST(PostmortemEdits, EvaluationWithAndWithoutComment) {
  auto plain = ParseEvaluation("notify-groups=worked");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->at("step_key").as_string(), "notify-groups");
  EXPECT_EQ(plain->at("verdict").as_string(), "worked");
  EXPECT_FALSE(plain->contains("comment"));
  auto commented = ParseEvaluation("switch-to-excel = missing: 离线包过期: 3 天前");
  ASSERT_TRUE(commented.has_value());
  EXPECT_EQ(commented->at("verdict").as_string(), "missing");
  EXPECT_EQ(commented->at("comment").as_string(), "离线包过期: 3 天前");
  auto bad = ParseEvaluation("worked");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field(), "step_evaluations");
}

TEST(PostmortemEdits, FlagsWinOverTheFileAndNothingIsAnError) {
  PostmortemEdits e;
  e.from_file = "pm.json";
  e.summary = "flag summary";
  e.went_well = {"Excel fallback in 20 min"};
  auto body = PostmortemPatchBody(e, std::string(R"({"summary":"file","impact":"4 h"})"));
  ASSERT_TRUE(body.has_value()) << body.error().message();
  EXPECT_EQ(body->at("summary").as_string(), "flag summary");
  EXPECT_EQ(body->at("impact").as_string(), "4 h");
  EXPECT_EQ(body->at("went_well").as_array().size(), 1u);

  auto not_json = PostmortemPatchBody(e, std::string("summary: yaml"));
  ASSERT_FALSE(not_json.has_value());
  EXPECT_NE(not_json.error().message().find("pm.json"), std::string::npos);
  EXPECT_FALSE(PostmortemPatchBody(PostmortemEdits{}, std::nullopt).has_value());
}

}  // namespace
}  // namespace failsafe::cli
