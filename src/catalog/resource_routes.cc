// The catalog's plain resources, each described once and served by crud_routes.h.
#include "catalog/catalog_input.h"
#include "catalog/catalog_json.h"
#include "catalog/catalog_routes.h"
#include "catalog/crud_routes.h"

namespace failsafe::catalog {

void RegisterResourceRoutes(const auth::ModuleServices& services, server::Router& router) {
  Service service_defaults;
  service_defaults.group = "default";
  RegisterCrud<Service>(
      services, router,
      {"service", "/api/v1/services", "catalog", "catalog.write", service_defaults,
       [](const Service& s) { return s.key; }, FindServiceByKey, ListServices, ApplyServiceInput,
       InsertService, UpdateService, DeleteService, ServiceJson, ServiceSchema(true),
       PatchSchemaOf(ServiceSchema(true)), ServiceSchema(false)});

  RegisterCrud<Team>(services, router,
                     {"team", "/api/v1/teams", "catalog", "catalog.write", Team{},
                      [](const Team& t) { return t.key; }, FindTeamByKey, ListTeams, ApplyTeamInput,
                      InsertTeam, UpdateTeam, DeleteTeam, TeamJson, TeamSchema(true),
                      PatchSchemaOf(TeamSchema(true)), TeamSchema(false)});

  Person person_defaults;
  person_defaults.language = "zh-CN";
  RegisterCrud<Person>(
      services, router,
      {"person", "/api/v1/people", "catalog", "catalog.write", person_defaults,
       [](const Person& p) { return p.handle; }, FindPersonByHandle, ListPeople, ApplyPersonInput,
       InsertPerson, UpdatePerson, DeletePerson, PersonJson, PersonSchema(true),
       PatchSchemaOf(PersonSchema(true)), PersonSchema(false)});

  Schedule schedule_defaults;  // weekly, 09:00, UTC
  RegisterCrud<Schedule>(
      services, router,
      {"schedule", "/api/v1/schedules", "catalog", "catalog.write", schedule_defaults,
       [](const Schedule& s) { return s.key; }, FindScheduleByKey, ListSchedules,
       ApplyScheduleInput, InsertSchedule, UpdateSchedule, DeleteSchedule, ScheduleJson,
       ScheduleSchema(true), PatchSchemaOf(ScheduleSchema(true)), ScheduleSchema(false)});

  // Escalation policies decide who gets woken: editing them is an admin act.
  RegisterCrud<EscalationPolicy>(
      services, router,
      {"policy", "/api/v1/policies", "catalog", "catalog.admin", EscalationPolicy{},
       [](const EscalationPolicy& p) { return p.key; }, FindPolicyByKey, ListPolicies,
       ApplyPolicyInput, InsertPolicy, UpdatePolicy, DeletePolicy, PolicyJson, PolicySchema(true),
       PatchSchemaOf(PolicySchema(true)), PolicySchema(false)});
}

}  // namespace failsafe::catalog
