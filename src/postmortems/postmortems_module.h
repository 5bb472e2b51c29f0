#pragma once
// The postmortems module's public face: reviews after incidents, action items and reports.
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::postmortems {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

class PostmortemsModule {
 public:
  // `services` must outlive the module.
  explicit PostmortemsModule(const auth::ModuleServices& services);
  ~PostmortemsModule();
  PostmortemsModule(const PostmortemsModule&) = delete;
  PostmortemsModule& operator=(const PostmortemsModule&) = delete;

  void RegisterRoutes(server::Router& router);

 private:
  const auth::ModuleServices& services_;  // owned by app/, outlives the module
};

}  // namespace failsafe::postmortems
