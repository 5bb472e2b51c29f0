#pragma once
// Shell completion scripts generated from the CLI11 command tree, so they can never drift
// from the real commands: every subcommand (with its description) and every option of each
// level is offered, plus the root's options at every level (the binary enables CLI11's
// fallthrough, so `failsafe user list --json` works). Pure functions; `app` is only read.
#include <CLI/CLI.hpp>
#include <string>

namespace failsafe::cli {

// A bash script defining `_failsafe` and `complete -F _failsafe <name>`.
std::string BashCompletion(CLI::App& app);
// A zsh script (#compdef) using _describe, with descriptions.
std::string ZshCompletion(CLI::App& app);

}  // namespace failsafe::cli
