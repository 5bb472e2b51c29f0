// failsafe completion bash|zsh: prints a shell completion script for the command tree.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/completion.h"

namespace failsafe::cli {

void AddCompletionCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script (bash or zsh)");
  cmd->footer(
      "Load it in the current shell:  source <(failsafe completion bash)\n"
      "or install it, e.g.:            failsafe completion zsh > \"${fpath[1]}/_failsafe\"");
  auto shell = std::make_shared<std::string>();
  cmd->add_option("SHELL", *shell, "bash or zsh")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
  CLI::App* root = &app;
  cmd->callback([&ctx, shell, root] {
    ctx.run = [shell, root] {
      std::cout << (*shell == "bash" ? BashCompletion(*root) : ZshCompletion(*root));
      return kExitOk;
    };
  });
}

}  // namespace failsafe::cli
