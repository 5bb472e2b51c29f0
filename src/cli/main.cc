// failsafe: the server and its command-line client in one binary.
#include <unistd.h>

#include <iostream>

#include "app/version.h"
#include "cli/commands.h"

namespace failsafe::cli {
namespace {

constexpr const char* kFooter = R"(Environment:
  FAILSAFE_SERVER   server URL for API commands (like --server)
  FAILSAFE_TOKEN    API token for API commands (like --token; preferred: flags show in `ps`)
  FAILSAFE_CA_CERT  CA certificate to trust for an https server (like --ca-cert)
  FAILSAFE_CONFIG, FAILSAFE_DATA, FAILSAFE_LISTEN, FAILSAFE_DB, ...: see `failsafe serve --help`

Exit codes:
  0  success
  1  error (the reason is printed as "failsafe: ...")
  2  usage error (unknown command or option, missing argument)

Run `failsafe <command> --help` for a command's options.)";

std::string ExePath(const char* argv0) {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n > 0) return std::string(buf, static_cast<size_t>(n));
  return argv0 != nullptr ? argv0 : "";
}

// "failsafe token create": the deepest command the parser got to, for usage hints.
std::string CommandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (const CLI::App* sub : app->get_subcommands()) {
      if (sub->parsed()) {
        path += " " + sub->get_name();
        app = sub;
        deeper = true;
        break;
      }
    }
  }
  return path;
}

int Run(int argc, char** argv) {
  Context ctx;
  ctx.exe_path = ExePath(argc > 0 ? argv[0] : nullptr);

  CLI::App app(
      "failsafe: incident response and emergency plans (应急预案), server and command line",
      "failsafe");
  app.require_subcommand(1);
  // `failsafe --version` as well as `failsafe version`: scripts and package checks try both.
  app.set_version_flag("--version", "failsafe " + app::VersionString(),
                       "print the version and the commit, then exit");
  app.fallthrough();  // global options may follow the command: `failsafe user list --json`
  app.failure_message([](const CLI::App* root, const CLI::Error& e) {
    return "failsafe: " + std::string(e.what()) + "\nRun `" + CommandPath(root) +
           " --help` for usage.\n";
  });
  app.add_option("--server", ctx.server, "URL of the failsafe server for API commands")
      ->envname("FAILSAFE_SERVER")
      ->capture_default_str();
  app.add_option("--token", ctx.token, "API token for API commands (prefer FAILSAFE_TOKEN)")
      ->envname("FAILSAFE_TOKEN");
  app.add_option("--ca-cert", ctx.ca_cert, "CA certificate (PEM) to trust for an https server")
      ->envname("FAILSAFE_CA_CERT")
      ->type_name("FILE");
  app.add_flag("--json", ctx.json, "print results as JSON instead of a table");

  AddServeCommand(app, ctx);
  AddVersionCommand(app, ctx);
  AddConfigCommand(app, ctx);
  AddUserCommand(app, ctx);
  AddTokenCommand(app, ctx);
  AddAuditCommand(app, ctx);
  AddLoginCommand(app, ctx);
  AddServiceCommand(app, ctx);
  AddTeamCommand(app, ctx);
  AddPersonCommand(app, ctx);
  AddScheduleCommand(app, ctx);
  AddPolicyCommand(app, ctx);
  AddSeverityCommand(app, ctx);
  AddPlanCommand(app, ctx);
  AddChannelCommand(app, ctx);
  AddIncidentCommand(app, ctx);
  AddPostmortemCommand(app, ctx);
  AddRulesCommand(app, ctx);
  AddSilenceCommand(app, ctx);
  AddLogsCommand(app, ctx);
  AddBackupCommand(app, ctx);
  AddCompletionCommand(app, ctx);
  // Set last: CLI11 copies a parent's footer into subcommands added after it.
  app.footer(kFooter);

  if (argc <= 1) {
    std::cout << app.help();
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!ctx.run) return kExitOk;
  return ctx.run();
}

}  // namespace

ApiClient Context::Client() const {
  ApiClientOptions options;
  options.server = server;
  options.token = token;
  options.ca_file = ca_cert;
  return ApiClient(options);
}

int PrintError(const Status& status) {
  std::string message = status.message();
  if (!status.field().empty() && message.find(status.field()) == std::string::npos) {
    message += " (field: " + status.field() + ")";
  }
  std::cerr << "failsafe: " << message << "\n";
  return kExitError;
}

}  // namespace failsafe::cli

int main(int argc, char** argv) {
  try {
    return failsafe::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    // A bug: report it plainly rather than abort with a core dump.
    std::cerr << "failsafe: internal error: " << e.what() << "\n";
    return failsafe::cli::kExitError;
  }
}
