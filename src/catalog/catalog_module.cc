#include "catalog/catalog_module.h"

namespace failsafe::catalog {

std::vector<store::Migration> Migrations() {
  return {};
}

CatalogModule::CatalogModule(const auth::ModuleServices& services) : services_(services) {}
CatalogModule::~CatalogModule() = default;

void CatalogModule::RegisterRoutes(server::Router& /*router*/) {}

}  // namespace failsafe::catalog
