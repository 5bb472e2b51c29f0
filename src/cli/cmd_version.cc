// failsafe version: the build's version and commit.
#include <iostream>

#include "app/version.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli {

void AddVersionCommand(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("version", "Print the version and the git commit it was built from");
  cmd->callback([&ctx] {
    ctx.run = [&ctx] {
      if (ctx.json) {
        std::cout << PrettyJson(
            {{"version", std::string(app::Version())}, {"commit", std::string(app::GitCommit())}});
      } else {
        std::cout << "failsafe " << app::VersionString() << "\n";
      }
      return kExitOk;
    };
  });
}

}  // namespace failsafe::cli
