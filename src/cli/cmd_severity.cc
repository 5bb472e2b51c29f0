// failsafe severity ...: not implemented yet (issue 3).
#include "cli/commands.h"

namespace failsafe::cli {

void AddSeverityCommand(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace failsafe::cli
