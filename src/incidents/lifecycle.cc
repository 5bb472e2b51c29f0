#include "incidents/lifecycle.h"

#include "incidents/incident.h"

namespace failsafe::incidents {
namespace {

struct Rule {
  std::string_view action;
  std::string_view from;
  std::string_view to;
};

// Every allowed move; anything else is refused.
constexpr Rule kRules[] = {
    {"ack", kDeclared, kAcknowledged},        {"mitigate", kDeclared, kMitigating},
    {"mitigate", kAcknowledged, kMitigating}, {"resolve", kDeclared, kRecovered},
    {"resolve", kAcknowledged, kRecovered},   {"resolve", kMitigating, kRecovered},
    {"verify", kRecovered, kVerified},        {"close", kVerified, kClosed},
    {"reopen", kRecovered, kAcknowledged},    {"reopen", kVerified, kAcknowledged},
    {"reopen", kClosed, kAcknowledged},
};

std::string Hint(std::string_view current, std::string_view action) {
  if (action == "close" && current != kVerified) return ": verify the recovery first";
  if (action == "verify" && IsOpen(current)) return ": resolve it first";
  if (action == "reopen" && IsOpen(current)) return ": it is still open";
  return "";
}

}  // namespace

bool IsOpen(std::string_view status) {
  return status == kDeclared || status == kAcknowledged || status == kMitigating;
}

Result<std::string> NextStatus(std::string_view current, std::string_view action) {
  bool known = false;
  for (std::string_view a : kActions) known = known || a == action;
  if (!known) {
    return Err(InvalidArgument("unknown action '" + std::string(action) +
                                   "' (ack, mitigate, resolve, verify, close, reopen)",
                               "action"));
  }
  for (const Rule& r : kRules) {
    if (r.action == action && r.from == current) return std::string(r.to);
  }
  return Err(Conflict("cannot " + std::string(action) + " an incident that is " +
                      std::string(current) + Hint(current, action)));
}

}  // namespace failsafe::incidents
