// failsafe team ...: not implemented yet (issue 3).
#include "cli/commands.h"

namespace failsafe::cli {

void AddTeamCommand(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace failsafe::cli
