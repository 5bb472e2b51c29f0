#pragma once
// IntakeAuth: the server's Authenticator and Authorizer with alert-source tokens added.
// A request bearing a source token ("Authorization: Bearer fsa_...", or HTTP Basic with the
// token as password, as Grafana's contact points send it) becomes the principal
// "source:<name>" with role "alert_source", which holds only "alerts.write" (the intake
// routes). Everything else is passed to the wrapped auth module unchanged.
#include "server/auth_hooks.h"
#include "watch/alerts/sources.h"

namespace failsafe {
class Clock;
}

namespace failsafe::watch::alerts {

inline constexpr std::string_view kSourceRole = "alert_source";
inline constexpr std::string_view kIntakePermission = "alerts.write";

class IntakeAuth : public server::Authenticator, public server::Authorizer {
 public:
  IntakeAuth(server::Authenticator& authenticator, const server::Authorizer& authorizer,
             SourceTokens& tokens, const Clock& clock)
      : authenticator_(authenticator), authorizer_(authorizer), tokens_(tokens), clock_(clock) {}

  Result<std::optional<server::Principal>> Authenticate(const server::Request& request) override;
  bool CsrfValid(const server::Request& request, const server::Principal& principal) override;
  bool Allowed(const std::string& role, const std::string& permission) const override;

 private:
  server::Authenticator& authenticator_;
  const server::Authorizer& authorizer_;
  SourceTokens& tokens_;
  const Clock& clock_;
};

// The source token a request carries, if any (Bearer fsa_..., or Basic with it as password).
std::optional<std::string> SourceTokenOf(const server::Request& request);

}  // namespace failsafe::watch::alerts
