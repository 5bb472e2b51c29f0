#pragma once
// The incident lifecycle as a pure function: which action moves which status where.
//
//   declared --ack--> acknowledged --mitigate--> mitigating --resolve--> recovered
//       \                  \______________________resolve______________/  |
//        \__mitigate / resolve (acknowledging implicitly)                 verify
//                                                                         v
//   recovered | verified | closed --reopen--> acknowledged      verified --close--> closed
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::incidents {

// The actions people take. "resolve" means recovered (service restored).
inline constexpr std::string_view kActions[] = {"ack",    "mitigate", "resolve",
                                                "verify", "close",    "reopen"};

// The status `action` leads to from `current`, or kConflict naming both
// ("cannot verify an incident that is acknowledged: resolve it first"); kInvalidArgument for
// an unknown action.
Result<std::string> NextStatus(std::string_view current, std::string_view action);

// True for declared, acknowledged and mitigating.
bool IsOpen(std::string_view status);

}  // namespace failsafe::incidents
