// The catalog's storage on both engines: round trips, references, cycles, on-call and
// escalation resolution, and the seeded severity policy.
#include "catalog/catalog_store.h"

#include <gtest/gtest.h>

#include "auth/auth_module.h"
#include "base/clock.h"
#include "catalog/catalog_module.h"
#include "store/migrations.h"
#include "store/testing/migrated_store.h"
#include "store/tx_result.h"

namespace failsafe::catalog {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::vector<store::Migration> CatalogSchema() {
  auto all = auth::Migrations();
  for (auto& m : Migrations()) all.push_back(std::move(m));
  return all;
}

class CatalogStoreTest : public ::testing::TestWithParam<store::Engine> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::MigratedStore>(GetParam(), "catalog", CatalogSchema());
    if (!db_->status().ok() && GetParam() == store::Engine::kPostgres) {
      GTEST_SKIP() << db_->status().ToString();
    }
    ASSERT_TRUE(db_->status().ok()) << db_->status().ToString();
    store_ = &db_->store();
  }

  // Runs `fn` in a write transaction and returns its Status.
  Status W(const std::function<Status(store::Tx&)>& fn) { return store_->Write(fn); }

  template <typename T, typename Fn>
  T Read(Fn fn) {
    auto r = store::ReadResult<T>(*store_, fn);
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? std::move(*r) : T{};
  }

  void AddPerson(const std::string& handle, std::optional<int64_t> user_id = std::nullopt) {
    Person p;
    p.handle = handle;
    p.name = "Person " + handle;
    p.language = "zh-CN";
    p.email = handle + "@example.com";
    p.user_id = user_id;
    ASSERT_TRUE(W([&](store::Tx& tx) { return StatusOf(InsertPerson(tx, p, kNow)); }).ok());
  }

  Status AddService(const std::string& key, std::vector<std::string> deps = {},
                    std::string owner = "") {
    Service s;
    s.key = key;
    s.name = key;
    s.tier = "critical";
    s.group = "default";
    s.rto_ms = 4 * 3600 * 1000;
    s.depends_on = std::move(deps);
    s.owner_team_key = std::move(owner);
    return W([&](store::Tx& tx) { return StatusOf(InsertService(tx, s, kNow)); });
  }

  std::unique_ptr<store::testing::MigratedStore> db_;
  store::Store* store_ = nullptr;
};

TEST_P(CatalogStoreTest, SeverityPolicyIsSeededAndEditable) {
  auto levels = Read<std::vector<SeverityLevel>>([](store::Tx& tx) { return ListSeverities(tx); });
  ASSERT_EQ(levels.size(), 4u);
  EXPECT_EQ(levels[0].level, "P1");
  EXPECT_EQ(levels[0].name_zh, "一级");
  EXPECT_EQ(levels[0].ack_target_ms, 5 * 60 * 1000);
  EXPECT_EQ(levels[0].update_cadence_ms, 30 * 60 * 1000);
  EXPECT_EQ(levels[0].resolve_target_ms, 4 * 3600 * 1000);
  // Seeded with free words, mapped onto the one vocabulary by migration 161.
  EXPECT_EQ(levels[0].audiences, (std::vector<std::string>{"internal", "leadership", "customers"}));
  EXPECT_EQ(levels[1].audiences, (std::vector<std::string>{"internal", "leadership"}));
  EXPECT_EQ(levels[3].audiences, (std::vector<std::string>{"internal"}));
  EXPECT_EQ(levels[3].level, "P4");
  EXPECT_EQ(levels[3].name_zh, "四级");

  AddPerson("alice");
  EscalationPolicy p;
  p.key = "default";
  p.name = "Default";
  p.levels = {{5000, {{"person", 0, "", "alice"}}}};
  ASSERT_TRUE(W([&](store::Tx& tx) { return StatusOf(InsertPolicy(tx, p, kNow)); }).ok());

  SeverityLevel p1 = levels[0];
  p1.ack_target_ms = 5000;
  p1.escalation_policy_key = "default";
  ASSERT_TRUE(W([&](store::Tx& tx) { return UpdateSeverity(tx, p1, kNow); }).ok());
  auto got =
      Read<std::optional<SeverityLevel>>([](store::Tx& tx) { return FindSeverity(tx, "P1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->ack_target_ms, 5000);
  EXPECT_EQ(got->escalation_policy_key, "default");
  ASSERT_TRUE(got->escalation_policy_id);
  auto policy = Read<std::optional<EscalationPolicy>>(
      [&](store::Tx& tx) { return FindPolicyById(tx, *got->escalation_policy_id); });
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->key, "default");

  // The policy is used by P1: deleting it is a conflict naming the severity.
  Status del = W([&](store::Tx& tx) { return DeletePolicy(tx, *policy); });
  EXPECT_EQ(del.code(), ErrorCode::kConflict);
  EXPECT_NE(del.message().find("severity P1"), std::string::npos) << del.message();

  SeverityLevel unknown = levels[1];
  unknown.escalation_policy_key = "nope";
  Status bad = W([&](store::Tx& tx) { return UpdateSeverity(tx, unknown, kNow); });
  EXPECT_EQ(bad.field(), "escalation_policy");
}

TEST_P(CatalogStoreTest, ServicesKeepDependenciesAndContactsAndRefuseCycles) {
  ASSERT_TRUE(AddService("network").ok());
  ASSERT_TRUE(AddService("database", {"network"}).ok());
  Service jira;
  jira.key = "jira";
  jira.name = "Jira";
  jira.tier = "critical";
  jira.group = "pm-tools";
  jira.rto_ms = 4 * 3600 * 1000;
  jira.rpo_ms = 3600 * 1000;
  jira.depends_on = {"network", "database"};
  jira.contacts = {{"external", "Atlassian support", "Atlassian", "vendor support line",
                    "+1 800 000 0000", "support@example.com", "24x7"},
                   {"external", "王律师", "某律师事务所", "lawyer", "", "", ""}};
  ASSERT_TRUE(W([&](store::Tx& tx) { return StatusOf(InsertService(tx, jira, kNow)); }).ok());

  auto got =
      Read<std::optional<Service>>([](store::Tx& tx) { return FindServiceByKey(tx, "jira"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->depends_on, (std::vector<std::string>{"database", "network"}));
  ASSERT_EQ(got->contacts.size(), 2u);
  EXPECT_EQ(got->contacts[1].name, "王律师");
  EXPECT_EQ(got->group, "pm-tools");
  EXPECT_EQ(got->rpo_ms, 3600 * 1000);
  auto by_id =
      Read<std::optional<Service>>([&](store::Tx& tx) { return FindServiceById(tx, got->id); });
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->key, "jira");

  // network -> jira would close network -> ... -> jira -> network.
  auto network =
      Read<std::optional<Service>>([](store::Tx& tx) { return FindServiceByKey(tx, "network"); });
  ASSERT_TRUE(network);
  network->depends_on = {"jira"};
  Status cycle = W([&](store::Tx& tx) { return UpdateService(tx, *network, kNow); });
  EXPECT_EQ(cycle.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(cycle.field(), "depends_on");
  network->depends_on = {"network"};
  EXPECT_EQ(W([&](store::Tx& tx) { return UpdateService(tx, *network, kNow); }).field(),
            "depends_on");

  EXPECT_EQ(AddService("x", {"missing"}).field(), "depends_on");
  EXPECT_EQ(AddService("jira").code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(AddService("y", {}, "no-team").field(), "owner_team");

  Status del = W([&](store::Tx& tx) { return DeleteService(tx, *network); });
  EXPECT_EQ(del.code(), ErrorCode::kConflict);
  EXPECT_NE(del.message().find("service database"), std::string::npos) << del.message();
  EXPECT_TRUE(W([&](store::Tx& tx) { return DeleteService(tx, *got); }).ok());
  auto page = Read<std::vector<Service>>([](store::Tx& tx) {
    return ListServices(tx, Page{0, 10});
  });
  EXPECT_EQ(page.size(), 2u);
}

TEST_P(CatalogStoreTest, PeopleTeamsAndReferences) {
  ASSERT_TRUE(W([](store::Tx& tx) {
                return StatusOf(
                    tx.Exec("INSERT INTO users (username, role, password_hash, created_at, "
                            "updated_at) VALUES ('alice', 'responder', 'x', 0, 0)"));
              }).ok());
  auto uid = Read<int64_t>([](store::Tx& tx) -> Result<int64_t> {
    FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM users WHERE username = 'alice'"));
    return row->Int(0);
  });
  AddPerson("alice", uid);
  AddPerson("bob");
  auto alice =
      Read<std::optional<Person>>([&](store::Tx& tx) { return FindPersonByUserId(tx, uid); });
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->handle, "alice");
  EXPECT_EQ(alice->email, "alice@example.com");
  auto bob =
      Read<std::optional<Person>>([](store::Tx& tx) { return FindPersonByHandle(tx, "bob"); });
  ASSERT_TRUE(bob);
  EXPECT_FALSE(bob->user_id);

  // A user is at most one person.
  bob->user_id = uid;
  EXPECT_EQ(W([&](store::Tx& tx) { return UpdatePerson(tx, *bob, kNow); }).field(), "user_id");
  bob->user_id = 999999;
  EXPECT_EQ(W([&](store::Tx& tx) { return UpdatePerson(tx, *bob, kNow); }).field(), "user_id");

  Team ops{0, "ops", "运维组", {"bob", "alice"}};
  ASSERT_TRUE(W([&](store::Tx& tx) { return StatusOf(InsertTeam(tx, ops, kNow)); }).ok());
  auto team = Read<std::optional<Team>>([](store::Tx& tx) { return FindTeamByKey(tx, "ops"); });
  ASSERT_TRUE(team);
  EXPECT_EQ(team->members, (std::vector<std::string>{"bob", "alice"}));
  Team bad{0, "bad", "Bad", {"carol"}};
  EXPECT_EQ(W([&](store::Tx& tx) { return StatusOf(InsertTeam(tx, bad, kNow)); }).field(),
            "members");

  ASSERT_TRUE(AddService("erp", {}, "ops").ok());
  Status del_team = W([&](store::Tx& tx) { return DeleteTeam(tx, *team); });
  EXPECT_EQ(del_team.code(), ErrorCode::kConflict);
  EXPECT_NE(del_team.message().find("service erp"), std::string::npos);
  Status del_person = W([&](store::Tx& tx) { return DeletePerson(tx, *bob); });
  EXPECT_EQ(del_person.code(), ErrorCode::kConflict);
  EXPECT_NE(del_person.message().find("team ops"), std::string::npos);

  team->members = {"alice"};
  ASSERT_TRUE(W([&](store::Tx& tx) { return UpdateTeam(tx, *team, kNow); }).ok());
  bob = Read<std::optional<Person>>([](store::Tx& tx) { return FindPersonByHandle(tx, "bob"); });
  EXPECT_TRUE(W([&](store::Tx& tx) { return DeletePerson(tx, *bob); }).ok());
}

TEST_P(CatalogStoreTest, OnCallAndEscalationLevelsResolveToPeople) {
  for (const char* h : {"alice", "bob", "carol", "dave"}) AddPerson(h);
  Schedule primary;
  primary.key = "primary";
  primary.name = "Primary";
  primary.rotation = RotationKind::kDaily;
  primary.handoff_minutes = 9 * 60;
  primary.time_zone = "Asia/Shanghai";
  primary.start_date = "2026-01-01";
  primary.members = {"alice", "bob"};
  ASSERT_TRUE(W([&](store::Tx& tx) { return StatusOf(InsertSchedule(tx, primary, kNow)); }).ok());
  auto schedule =
      Read<std::optional<Schedule>>([](store::Tx& tx) { return FindScheduleByKey(tx, "primary"); });
  ASSERT_TRUE(schedule);
  const int64_t day1 = *ParseRfc3339("2026-01-01T12:00:00+08:00");
  const int64_t day2 = *ParseRfc3339("2026-01-02T12:00:00+08:00");
  auto on_call = [&](int64_t at) {
    auto people =
        Read<std::vector<Person>>([&](store::Tx& tx) { return OnCallAt(tx, schedule->id, at); });
    return people.empty() ? std::string("-") : people[0].handle;
  };
  EXPECT_EQ(on_call(day1), "alice");
  EXPECT_EQ(on_call(day2), "bob");
  EXPECT_EQ(on_call(*ParseRfc3339("2025-12-31T12:00:00+08:00")), "-");

  ScheduleOverride o{0, schedule->id, "carol", day2 - 3600000, day2 + 3600000};
  int64_t override_id = 0;
  ASSERT_TRUE(W([&](store::Tx& tx) -> Status {
                auto id = InsertOverride(tx, o, kNow);
                if (id) override_id = *id;
                return StatusOf(id);
              }).ok());
  EXPECT_EQ(on_call(day2), "carol");
  auto overrides = Read<std::vector<ScheduleOverride>>(
      [&](store::Tx& tx) { return ListOverrides(tx, schedule->id, day1, day2 + 86400000); });
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0].person, "carol");

  // Person carol + schedule (carol now, by override) + team {dave, alice} + a role.
  Team ops{0, "ops", "Ops", {"dave", "alice"}};
  ASSERT_TRUE(W([&](store::Tx& tx) { return StatusOf(InsertTeam(tx, ops, kNow)); }).ok());
  EscalationPolicy p;
  p.key = "p1-default";
  p.name = "P1 default";
  p.repeat = 2;
  p.levels = {{0, {{"person", 0, "", "carol"}, {"schedule", 0, "", "primary"}}},
              {5000, {{"team", 0, "", "ops"}, {"role", 0, "commander", ""}}}};
  ASSERT_TRUE(W([&](store::Tx& tx) { return StatusOf(InsertPolicy(tx, p, kNow)); }).ok());
  auto policy = Read<std::optional<EscalationPolicy>>(
      [](store::Tx& tx) { return FindPolicyByKey(tx, "p1-default"); });
  ASSERT_TRUE(policy);
  ASSERT_EQ(policy->levels.size(), 2u);
  EXPECT_EQ(policy->repeat, 2);
  EXPECT_EQ(policy->levels[1].delay_ms, 5000);
  EXPECT_EQ(policy->levels[1].targets[1].type, "role");
  EXPECT_EQ(policy->levels[1].targets[1].role, "commander");
  EXPECT_EQ(policy->levels[0].targets[1].key, "primary");

  auto handles = [&](const EscalationLevel& level, int64_t at) {
    auto people =
        Read<std::vector<Person>>([&](store::Tx& tx) { return ResolveLevel(tx, level, at); });
    std::vector<std::string> out;
    for (const auto& x : people) out.push_back(x.handle);
    return out;
  };
  EXPECT_EQ(handles(policy->levels[0], day2), (std::vector<std::string>{"carol"}))
      << "deduplicated";
  EXPECT_EQ(handles(policy->levels[0], day1), (std::vector<std::string>{"carol", "alice"}));
  EXPECT_EQ(handles(policy->levels[1], day1), (std::vector<std::string>{"dave", "alice"}));

  // Referenced schedules and people cannot go; an override can.
  EXPECT_EQ(W([&](store::Tx& tx) { return DeleteSchedule(tx, *schedule); }).code(),
            ErrorCode::kConflict);
  EXPECT_TRUE(W([&](store::Tx& tx) { return DeleteOverride(tx, schedule->id, override_id); }).ok());
  EXPECT_EQ(W([&](store::Tx& tx) { return DeleteOverride(tx, schedule->id, override_id); }).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(W([&](store::Tx& tx) { return DeletePolicy(tx, *policy); }).ok());
  EXPECT_TRUE(W([&](store::Tx& tx) { return DeleteSchedule(tx, *schedule); }).ok());

  EscalationPolicy dangling = p;
  dangling.levels = {{0, {{"schedule", 0, "", "gone"}}}};
  EXPECT_EQ(W([&](store::Tx& tx) { return StatusOf(InsertPolicy(tx, dangling, kNow)); }).field(),
            "levels[0].targets[0].key");
}

INSTANTIATE_TEST_SUITE_P(Engines, CatalogStoreTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         [](const ::testing::TestParamInfo<store::Engine>& param) {
                           return std::string(store::EngineName(param.param));
                         });

}  // namespace
}  // namespace failsafe::catalog
