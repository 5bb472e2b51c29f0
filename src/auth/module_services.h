#pragma once
// What the platform hands every domain module (catalog, plans, notify, incidents, ...) at
// start: the store, the clock, the audit log (append inside your own transaction), the key for
// secrets at rest, the metrics registry and the server's public URL (for links in messages).
// All references outlive the modules.
#include <string>

#include "auth/audit_log.h"
#include "auth/secret_box.h"
#include "base/clock.h"
#include "base/metrics.h"
#include "store/store.h"

namespace failsafe::auth {

struct ModuleServices {
  store::Store& store;
  const Clock& clock;
  AuditLog& audit;
  const SecretBox& secrets;
  metrics::Registry& metrics;
  std::string public_url;         // "https://failsafe.example.com" (no trailing slash)
  std::string time_zone = "UTC";  // IANA name for times in messages people read
};

}  // namespace failsafe::auth
