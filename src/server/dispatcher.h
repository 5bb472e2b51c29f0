#pragma once
// Dispatcher: turns a Request into a Response. For each request it finds the route (404/405),
// authenticates (401 on bad credentials, or on a non-public route without any), checks CSRF on
// session writes (403), checks the route's permission for the caller's role (403), runs the
// handler, maps a failed Status to the error shape, catches exceptions (500, logged, no details
// to the client), records metrics and writes one structured log line. Thread-safe.
#include <memory>

#include "base/metrics.h"
#include "server/auth_hooks.h"
#include "server/router.h"

namespace failsafe::server {

class Dispatcher {
 public:
  Dispatcher(const Router& router, Authenticator& authenticator, const Authorizer& authorizer,
             metrics::Registry& metrics);
  Response Handle(Request& request);

 private:
  const Router& router_;
  Authenticator& authenticator_;
  const Authorizer& authorizer_;
  metrics::Family<metrics::Counter>& requests_total_;
  metrics::Family<metrics::Histogram>& request_seconds_;
};

}  // namespace failsafe::server
