// Request bodies: every rule names its field; PATCH changes only what is given.
#include "catalog/catalog_input.h"

#include <gtest/gtest.h>

#include "base/json.h"

namespace failsafe::catalog {
namespace {

boost::json::object Obj(const std::string& text) {
  auto o = json::ParseObject(text);
  EXPECT_TRUE(o) << text;
  return o ? *o : boost::json::object{};
}

TEST(CatalogInput, ServiceCreateReadsTheScriptedForm) {
  Service s;
  s.group = "default";
  ASSERT_TRUE(
      ApplyServiceInput(
          Obj(R"({"key":"jira","name":"Jira","tier":"critical","rto":"4h","rpo":"1h"})"), true, s)
          .ok());
  EXPECT_EQ(s.key, "jira");
  EXPECT_EQ(s.rto_ms, 4 * 3600 * 1000);
  EXPECT_EQ(s.rpo_ms, 3600 * 1000);
  EXPECT_EQ(s.group, "default");
}

TEST(CatalogInput, ServiceErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  const Case cases[] = {
      {R"({"name":"Jira","tier":"critical"})", "key"},
      {R"({"key":"Jira","name":"Jira","tier":"critical"})", "key"},
      {R"({"key":"-jira","name":"Jira","tier":"critical"})", "key"},
      {R"({"key":"jira","name":"","tier":"critical"})", "name"},
      {R"({"key":"jira","name":"Jira","tier":"urgent"})", "tier"},
      {R"({"key":"jira","name":"Jira","tier":"low","rto":"4 hours"})", "rto"},
      {R"({"key":"jira","name":"Jira","tier":"low","rpo":"-1h"})", "rpo"},
      {R"({"key":"jira","name":"Jira","tier":"low","rto":"400d"})", "rto"},
      {R"({"key":"jira","name":"Jira","tier":"low","depends_on":["ok","Not Ok"]})",
       "depends_on[1]"},
      {R"({"key":"jira","name":"Jira","tier":"low","contacts":[{"kind":"vendor","name":"x"}]})",
       "contacts[0].kind"},
      {R"({"key":"jira","name":"Jira","tier":"low","contacts":[{"kind":"external"}]})",
       "contacts[0].name"},
      {R"({"key":"jira","name":"Jira","tier":"low","contacts":[{"kind":"external","name":"x","email":"nope"}]})",
       "contacts[0].email"},
      {R"({"key":"jira","name":"Jira","tier":"low","contacts":[{"kind":"external","name":"x","fax":"1"}]})",
       "contacts[0].fax"},
      {R"({"key":"jira","name":"Jira","tier":"low","colour":"red"})", "colour"},
      {R"({"key":"jira","name":"Jira","tier":"low","owner_team":"Ops Team"})", "owner_team"},
  };
  for (const auto& c : cases) {
    Service s;
    Status st = ApplyServiceInput(Obj(c.body), true, s);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << c.body;
    EXPECT_EQ(st.field(), c.field) << c.body << " -> " << st.ToString();
  }
}

TEST(CatalogInput, PatchChangesOnlyWhatIsGivenAndNullClears) {
  Service s;
  s.key = "erp";
  s.name = "ERP";
  s.tier = "high";
  s.owner_team_key = "ops";
  s.rto_ms = 1000;
  ASSERT_TRUE(ApplyServiceInput(Obj(R"({"name":"ERP 财务","owner_team":null})"), false, s).ok());
  EXPECT_EQ(s.key, "erp");
  EXPECT_EQ(s.name, "ERP 财务");
  EXPECT_EQ(s.tier, "high");
  EXPECT_EQ(s.owner_team_key, "");
  EXPECT_EQ(s.rto_ms, 1000);
}

TEST(CatalogInput, PeopleSchedulesPoliciesAndSeverities) {
  Person p;
  p.language = "zh-CN";
  EXPECT_EQ(ApplyPersonInput(Obj(R"({"handle":"li.lei","name":"x"})"), true, p).field(), "handle");
  EXPECT_EQ(
      ApplyPersonInput(Obj(R"({"handle":"lilei","name":"李雷","language":"fr"})"), true, p).field(),
      "language");
  EXPECT_EQ(ApplyPersonInput(Obj(R"({"handle":"lilei","name":"李雷","phone":"call me"})"), true, p)
                .field(),
            "phone");
  ASSERT_TRUE(ApplyPersonInput(Obj(R"({"handle":"lilei","name":"李雷","user_id":3,
      "dingtalk_user_id":"manager4021","phone":"+86 138 0000 0000"})"),
                               true, p)
                  .ok());
  EXPECT_EQ(p.user_id, 3);
  ASSERT_TRUE(ApplyPersonInput(Obj(R"({"user_id":null})"), false, p).ok());
  EXPECT_FALSE(p.user_id);

  Schedule s;
  EXPECT_EQ(ApplyScheduleInput(Obj(R"({"key":"a","name":"A"})"), true, s).field(), "start_date");
  EXPECT_EQ(
      ApplyScheduleInput(
          Obj(R"({"key":"a","name":"A","start_date":"2026-01-01","time_zone":"Asia/Beijing"})"),
          true, s)
          .field(),
      "time_zone");
  EXPECT_EQ(
      ApplyScheduleInput(
          Obj(R"({"key":"a","name":"A","start_date":"2026-01-01","rotation":"hourly"})"), true, s)
          .field(),
      "rotation");
  ASSERT_TRUE(ApplyScheduleInput(Obj(R"({"key":"a","name":"A","start_date":"2026-01-01",
      "rotation":"daily","handoff_time":"08:30","time_zone":"Asia/Shanghai","members":["x","y"]})"),
                                 true, s)
                  .ok());
  EXPECT_EQ(s.handoff_minutes, 8 * 60 + 30);
  EXPECT_EQ(s.rotation, RotationKind::kDaily);

  EscalationPolicy pol;
  EXPECT_EQ(ApplyPolicyInput(Obj(R"({"key":"p","name":"P"})"), true, pol).field(), "levels");
  EXPECT_EQ(ApplyPolicyInput(Obj(R"({"key":"p","name":"P","levels":[{"delay":"5s","targets":[
      {"type":"pager","key":"x"}]}]})"),
                             true, pol)
                .field(),
            "levels[0].targets[0].type");
  EXPECT_EQ(ApplyPolicyInput(
                Obj(R"({"key":"p","name":"P","levels":[{"delay":"5s","targets":[]}]})"), true, pol)
                .field(),
            "levels[0].targets");
  EXPECT_EQ(ApplyPolicyInput(Obj(R"({"key":"p","name":"P","levels":[{"delay":"5s","targets":[
      {"type":"role"}]}]})"),
                             true, pol)
                .field(),
            "levels[0].targets[0].role");
  ASSERT_TRUE(ApplyPolicyInput(Obj(R"({"key":"p","name":"P","repeat":1,"levels":[
      {"targets":[{"type":"schedule","key":"primary"}]},
      {"delay":"5s","targets":[{"type":"role","role":"commander"},{"type":"team","key":"ops"}]}]})"),
                               true, pol)
                  .ok());
  ASSERT_EQ(pol.levels.size(), 2u);
  EXPECT_EQ(pol.levels[0].delay_ms, 0);
  EXPECT_EQ(pol.levels[1].delay_ms, 5000);
  EXPECT_EQ(pol.levels[1].targets[0].role, "commander");

  SeverityLevel sev;
  sev.escalation_policy_key = "p";
  EXPECT_EQ(ApplySeverityInput(Obj(R"({"ack_target":"soon"})"), sev).field(), "ack_target");
  EXPECT_EQ(ApplySeverityInput(Obj(R"({"level":"P0"})"), sev).field(), "level");
  ASSERT_TRUE(ApplySeverityInput(Obj(R"({"ack_target":"5s","audiences":["leadership"],
      "escalation_policy":null})"),
                                 sev)
                  .ok());
  EXPECT_EQ(sev.ack_target_ms, 5000);
  EXPECT_EQ(sev.escalation_policy_key, "");
  EXPECT_EQ(sev.audiences, (std::vector<std::string>{"leadership"}));
  const Status all_hands =
      ApplySeverityInput(Obj(R"({"audiences":["internal","all-hands"]})"), sev);
  EXPECT_EQ(all_hands.field(), "audiences[1]");
  EXPECT_NE(all_hands.message().find("internal, customers or leadership"), std::string::npos);
  EXPECT_EQ(ApplySeverityInput(Obj(R"({"audiences":["customers","customers"]})"), sev).field(),
            "audiences[1]");

  ScheduleOverride o;
  EXPECT_EQ(ReadOverrideInput(Obj(R"({"person":"x","start":"2026-01-02T00:00:00Z",
      "end":"2026-01-01T00:00:00Z"})"),
                              o)
                .field(),
            "end");
  EXPECT_EQ(ReadOverrideInput(
                Obj(R"({"person":"x","start":"yesterday","end":"2026-01-01T00:00:00Z"})"), o)
                .field(),
            "start");
}

}  // namespace
}  // namespace failsafe::catalog
