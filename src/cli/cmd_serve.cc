// failsafe serve: runs the server until SIGTERM/SIGINT.
#include <memory>

#include "app/app.h"
#include "app/config.h"
#include "cli/commands.h"

namespace failsafe::cli {

void AddServeCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("serve", "Run the failsafe server (REST API and web console)");
  cmd->footer(
      "Settings come from, lowest precedence first: built-in defaults, the YAML config file,\n"
      "FAILSAFE_* environment variables, then these flags. Check a file with\n"
      "`failsafe config check FILE`. On the first start an `admin` user is created with the\n"
      "password in FAILSAFE_ADMIN_PASSWORD, or a generated one printed once.\n"
      "Stop with SIGTERM or Ctrl-C: in-flight requests finish first.");
  auto config_file = std::make_shared<std::optional<std::string>>();
  auto flags = std::make_shared<app::ConfigFlags>();
  // CLI11 2.1 cannot bind std::optional directly; empty-string sentinels would hide "--db ''".
  auto add = [cmd](const std::string& name, std::optional<std::string>& target,
                   const std::string& help, const std::string& env) {
    return cmd
        ->add_option_function<std::string>(
            name, [&target](const std::string& v) { target = v; }, help + " [env: " + env + "]")
        ->type_name("VALUE");
  };
  add("--config", *config_file, "YAML config file", "FAILSAFE_CONFIG")->type_name("FILE");
  add("--data", flags->data_dir, "data directory (keys, SQLite database); default ./var",
      "FAILSAFE_DATA")
      ->type_name("DIR");
  add("--listen", flags->listen, "address to listen on; default 127.0.0.1:8080", "FAILSAFE_LISTEN")
      ->type_name("HOST:PORT");
  add("--db", flags->db,
      "database: sqlite:PATH or postgresql://...; default sqlite:DATA/failsafe.db", "FAILSAFE_DB")
      ->type_name("URL");
  add("--tls-cert", flags->tls_cert, "TLS certificate (PEM); TLS needs --tls-key too",
      "FAILSAFE_TLS_CERT")
      ->type_name("FILE");
  add("--tls-key", flags->tls_key, "TLS private key (PEM)", "FAILSAFE_TLS_KEY")->type_name("FILE");
  add("--log-level", flags->log_level, "debug, info, warn or error; default info",
      "FAILSAFE_LOG_LEVEL")
      ->type_name("LEVEL");
  add("--console-dir", flags->console_dir, "directory of the built web console",
      "FAILSAFE_CONSOLE_DIR")
      ->type_name("DIR");
  add("--public-url", flags->public_url,
      "URL people reach this server at, for links in notifications", "FAILSAFE_PUBLIC_URL")
      ->type_name("URL");
  add("--time-zone", flags->time_zone,
      "time zone for times in messages, e.g. Asia/Shanghai; default the server's own",
      "FAILSAFE_TIME_ZONE")
      ->type_name("ZONE");
  add("--watch-file", flags->watch_file,
      "what to watch besides this host: scrapes, rule files, probes (docs/watch/config.md)",
      "FAILSAFE_WATCH_FILE")
      ->type_name("FILE");

  cmd->callback([&ctx, config_file, flags] {
    ctx.run = [&ctx, config_file, flags] {
      app::ConfigSources sources;
      sources.config_file = *config_file;
      sources.env = app::ProcessEnvLookup();
      sources.flags = *flags;
      sources.exe_path = ctx.exe_path;
      auto config = app::LoadServerConfig(sources);
      if (!config) return PrintError(config.error());
      return app::RunServer(*config);
    };
  });
}

}  // namespace failsafe::cli
