#pragma once
// The catalog module's public face: services, teams, people, contact methods, on-call schedules,
// escalation policies, severities.
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::catalog {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

class CatalogModule {
 public:
  // `services` must outlive the module.
  explicit CatalogModule(const auth::ModuleServices& services);
  ~CatalogModule();
  CatalogModule(const CatalogModule&) = delete;
  CatalogModule& operator=(const CatalogModule&) = delete;

  void RegisterRoutes(server::Router& router);

 private:
  const auth::ModuleServices& services_;  // owned by app/, outlives the module
};

}  // namespace failsafe::catalog
