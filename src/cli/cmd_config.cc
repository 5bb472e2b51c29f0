// failsafe config check FILE: validates a server config file without starting anything.
#include <iostream>
#include <memory>

#include "app/config.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli {

void AddConfigCommand(CLI::App& app, Context& ctx) {
  auto* config = app.add_subcommand("config", "Work with server configuration files");
  config->require_subcommand(1);
  auto* check = config->add_subcommand(
      "check", "Check a YAML config file: syntax, unknown keys and value formats");
  check->footer("Exit status 0 when the file is valid, 1 with the file, line and key otherwise.");
  auto file = std::make_shared<std::string>();
  check->add_option("FILE", *file, "the config file")->required();
  check->callback([&ctx, file] {
    ctx.run = [&ctx, file] {
      Status s = app::CheckConfigFile(*file);
      if (ctx.json) {
        boost::json::object o{{"file", *file}, {"ok", s.ok()}};
        if (!s.ok()) o["error"] = s.message();
        std::cout << PrettyJson(o);
        return s.ok() ? kExitOk : kExitError;
      }
      if (!s.ok()) return PrintError(s);
      std::cout << *file << ": OK\n";
      return kExitOk;
    };
  });
}

}  // namespace failsafe::cli
