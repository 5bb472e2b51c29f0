#pragma once
// The plans module's public face: emergency plans (预案): versions, review cycle, YAML
// import/export, templates.
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::plans {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

class PlansModule {
 public:
  // `services` must outlive the module.
  explicit PlansModule(const auth::ModuleServices& services);
  ~PlansModule();
  PlansModule(const PlansModule&) = delete;
  PlansModule& operator=(const PlansModule&) = delete;

  void RegisterRoutes(server::Router& router);

 private:
  const auth::ModuleServices& services_;  // owned by app/, outlives the module
};

}  // namespace failsafe::plans
