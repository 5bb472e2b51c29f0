// failsafe person ...: not implemented yet (issue 3).
#include "cli/commands.h"

namespace failsafe::cli {

void AddPersonCommand(CLI::App& /*app*/, Context& /*ctx*/) {}

}  // namespace failsafe::cli
