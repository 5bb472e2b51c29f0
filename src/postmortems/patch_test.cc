#include "postmortems/patch.h"

#include <gtest/gtest.h>

#include "base/json.h"
#include "postmortems/revisions.h"

namespace failsafe::postmortems {
namespace {

Postmortem Draft() {
  Postmortem p;
  p.id = 7;
  p.status = std::string(kDraft);
  p.title = "Jira unreachable";
  p.step_evaluations = {
      {"notify-groups", 2, "communicate", "comms_liaison", "Tell every group", true, "worked", ""},
      {"confirm-cause", 1, "assess", "tech_support", "Confirm the cause", true, "worked", ""},
      {"switch-excel", 3, "respond", "business_coordinator", "Switch to Excel", false, "not_used",
       ""}};
  return p;
}

Status Patch(Postmortem& p, std::string_view body) {
  auto obj = json::ParseObject(body);
  EXPECT_TRUE(obj) << body;
  return ApplyPatch(p, *obj, "carol", 1000);
}

TEST(Patch, EditsContent) {
  Postmortem p = Draft();
  ASSERT_TRUE(Patch(p, R"({"summary":"Cloud network failure","users_affected":300,
    "root_causes":[{"category":"vendor","description":"provider outage",
      "whys":["Jira down","network down","single cloud"]}],
    "went_well":["switched to Excel in 30 min"],"went_badly":["no second cloud"],
    "extra_revisions":["Add a monthly drill"]})")
                  .ok());
  EXPECT_EQ(p.summary, "Cloud network failure");
  EXPECT_EQ(p.users_affected, "300");
  EXPECT_EQ(p.users_affected_count, 300);
  ASSERT_EQ(p.root_causes.size(), 1u);
  EXPECT_EQ(p.root_causes[0].whys.size(), 3u);
  EXPECT_EQ(p.updated_at, 1000);
  ASSERT_TRUE(Patch(p, R"({"users_affected":"about 300 engineers"})").ok());
  EXPECT_EQ(p.users_affected, "about 300 engineers");
  EXPECT_FALSE(p.users_affected_count);
}

TEST(Patch, RejectsBadInputNamingTheFieldAndChangesNothing) {
  Postmortem p = Draft();
  const Postmortem before = p;
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"({"root_causes":[{"category":"aliens"}]})", "root_causes[0].category"},
      {R"({"root_causes":[{"category":"network","whys":["1","2","3","4","5","6"]}]})",
       "root_causes[0].whys"},
      {R"({"root_causes":[{"category":"network","colour":"red"}]})", "root_causes[0].colour"},
      {R"({"step_evaluations":[{"step_key":"nope","verdict":"wrong"}]})",
       "step_evaluations[0].step_key"},
      {R"({"step_evaluations":[{"step_key":"switch-excel","verdict":"meh"}]})",
       "step_evaluations[0].verdict"},
      {R"({"went_well":[1]})", "went_well[0]"},
      {R"({"users_affected":-3})", "users_affected"},
      {R"({"status":"archived"})", "status"},
      {R"({"title":""})", "title"},
      {R"({"summary":"ok","bogus":1})", "bogus"},
  };
  for (const auto& c : cases) {
    Status st = Patch(p, c.body);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << c.body;
    EXPECT_EQ(st.field(), c.field) << c.body << " -> " << st.ToString();
  }
  EXPECT_EQ(p.summary, before.summary);
  EXPECT_EQ(p.updated_at, before.updated_at);
}

TEST(Patch, StatusRules) {
  Postmortem p = Draft();
  EXPECT_EQ(Patch(p, R"({"status":"published"})").code(), ErrorCode::kConflict);
  ASSERT_TRUE(Patch(p, R"({"status":"in_review"})").ok());
  // Publishing needs a summary and a root cause.
  Status st = Patch(p, R"({"status":"published"})");
  EXPECT_EQ(st.code(), ErrorCode::kConflict);
  EXPECT_NE(st.message().find("summary"), std::string::npos);
  ASSERT_TRUE(Patch(p, R"({"summary":"s","root_causes":[{"category":"network"}],
                           "status":"published"})")
                  .ok());
  EXPECT_EQ(p.status, kPublished);
  EXPECT_EQ(p.published_by, "carol");
  EXPECT_EQ(p.published_at, 1000);
  // Published is final.
  EXPECT_EQ(Patch(p, R"({"summary":"later"})").code(), ErrorCode::kConflict);
  EXPECT_EQ(Patch(p, R"({"status":"draft"})").code(), ErrorCode::kConflict);
  EXPECT_TRUE(Patch(p, R"({"status":"published"})").ok());
}

TEST(Patch, InReviewMayGoBackToDraft) {
  EXPECT_TRUE(TransitionAllowed(kInReview, kDraft));
  EXPECT_FALSE(TransitionAllowed(kDraft, kPublished));
  EXPECT_FALSE(TransitionAllowed(kPublished, kInReview));
}

TEST(Revisions, ProposedFromMissingAndWrongStepsInStepOrderThenFreeItems) {
  Postmortem p = Draft();
  ASSERT_TRUE(Patch(p, R"({"step_evaluations":[
      {"step_key":"switch-excel","verdict":"missing","comment":"no link to the Excel template"},
      {"step_key":"confirm-cause","verdict":"wrong","comment":"vendor status page URL is old"}],
    "extra_revisions":["Second cloud for Jira"]})")
                  .ok());
  auto r = ProposeRevisions(p);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].step_key, "confirm-cause");
  EXPECT_EQ(r[0].action, "change");
  EXPECT_NE(r[0].text.find("vendor status page URL is old"), std::string::npos);
  EXPECT_EQ(r[1].step_key, "switch-excel");
  EXPECT_EQ(r[1].action, "add");
  EXPECT_EQ(r[2].source, "free");
  EXPECT_EQ(r[2].text, "Second cloud for Jira");
}

}  // namespace
}  // namespace failsafe::postmortems
