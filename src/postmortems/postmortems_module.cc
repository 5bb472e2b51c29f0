#include "postmortems/postmortems_module.h"

#include "postmortems/routes.h"

namespace failsafe::postmortems {

PostmortemsModule::PostmortemsModule(const auth::ModuleServices& services) : services_(services) {}
PostmortemsModule::~PostmortemsModule() = default;

void PostmortemsModule::RegisterRoutes(server::Router& router) {
  RegisterPostmortemRoutes(services_, router);
  RegisterActionRoutes(services_, router);
  RegisterReportRoutes(services_, router);
}

}  // namespace failsafe::postmortems
