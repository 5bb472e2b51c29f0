#pragma once
// The `failsafe` command tree. main.cc builds the CLI11 app and each cmd_<noun>.cc adds one
// noun's subcommands. A subcommand's callback does not run the command: it stores the work in
// Context::run, which main runs after parsing, so every command returns an exit code.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "base/status.h"
#include "cli/api_client.h"

namespace failsafe::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

struct Context {
  // Global options (flags, else FAILSAFE_SERVER / FAILSAFE_TOKEN).
  std::string server = "http://127.0.0.1:8080";
  std::string token;
  std::string ca_cert;
  bool json = false;

  std::string exe_path;      // the running binary, for `serve`'s default console directory
  std::function<int()> run;  // set by the chosen command

  ApiClient Client() const;
};

// Footer of the commands that talk to a server.
inline constexpr const char* kApiFooter =
    "Talks to the server at --server (FAILSAFE_SERVER) with the API token in FAILSAFE_TOKEN\n"
    "(or --token); add --json for JSON output. Exit codes: 0 ok, 1 error, 2 usage.";

// Prints "failsafe: <message>" (and the field when the message does not name it) to stderr;
// returns kExitError.
int PrintError(const Status& status);

void AddServeCommand(CLI::App& app, Context& ctx);
void AddVersionCommand(CLI::App& app, Context& ctx);
void AddConfigCommand(CLI::App& app, Context& ctx);
void AddUserCommand(CLI::App& app, Context& ctx);
void AddTokenCommand(CLI::App& app, Context& ctx);
void AddAuditCommand(CLI::App& app, Context& ctx);
void AddLoginCommand(CLI::App& app, Context& ctx);
void AddCompletionCommand(CLI::App& app, Context& ctx);
// Issue 3: the response nouns.
void AddServiceCommand(CLI::App& app, Context& ctx);
void AddTeamCommand(CLI::App& app, Context& ctx);
void AddPersonCommand(CLI::App& app, Context& ctx);
void AddScheduleCommand(CLI::App& app, Context& ctx);
void AddPolicyCommand(CLI::App& app, Context& ctx);
void AddSeverityCommand(CLI::App& app, Context& ctx);
void AddPlanCommand(CLI::App& app, Context& ctx);
void AddChannelCommand(CLI::App& app, Context& ctx);
void AddIncidentCommand(CLI::App& app, Context& ctx);
void AddPostmortemCommand(CLI::App& app, Context& ctx);
// Issue 5: early warning.
void AddRulesCommand(CLI::App& app, Context& ctx);
// Issue 6: the backup engine (needs no server).
void AddBackupCommand(CLI::App& app, Context& ctx);
void AddSilenceCommand(CLI::App& app, Context& ctx);
void AddLogsCommand(CLI::App& app, Context& ctx);

}  // namespace failsafe::cli
