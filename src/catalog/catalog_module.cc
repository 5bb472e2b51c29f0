#include "catalog/catalog_module.h"

#include "catalog/catalog_routes.h"

namespace failsafe::catalog {

CatalogModule::CatalogModule(const auth::ModuleServices& services) : services_(services) {}
CatalogModule::~CatalogModule() = default;

void CatalogModule::RegisterRoutes(server::Router& router) {
  RegisterResourceRoutes(services_, router);
  RegisterScheduleRoutes(services_, router);
  RegisterSeverityRoutes(services_, router);
}

}  // namespace failsafe::catalog
