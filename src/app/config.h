#pragma once
// ServerConfig: everything `failsafe serve` needs to start, assembled from four layers.
// Precedence, lowest first: built-in defaults < YAML file (--config FILE or FAILSAFE_CONFIG)
// < FAILSAFE_* environment variables < command-line flags.
//
// Errors are kInvalidArgument and say where the bad value came from, so an operator can fix
// it without reading code:
//   config.yaml:7: key 'http.idle_timout' is unknown (did you mean 'idle_timeout'?)
//   config.yaml:3: key 'listen' must be HOST:PORT, got "8080"
//   environment variable FAILSAFE_LISTEN must be HOST:PORT, got "8080"
//   flag --listen must be HOST:PORT, got "8080"
// The Status field is the dotted key ("http.idle_timeout"), the variable or the flag.
//
// Thread-safety: the functions here are pure apart from reading files through the Env seam
// and checking whether console directories exist; they may be called from any thread.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "base/env.h"
#include "base/result.h"

namespace failsafe::app {

struct HttpConfig {
  size_t body_limit_bytes = 1 << 20;  // YAML accepts 1048576 or "1MiB"
  std::chrono::milliseconds header_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);
  int threads = 0;  // 0: one per core (at least 2)
};

struct AuthConfig {
  int lockout_threshold = 5;
  std::chrono::milliseconds lockout_duration = std::chrono::minutes(15);
  std::chrono::milliseconds session_idle_timeout = std::chrono::hours(12);
  std::chrono::milliseconds session_max_age = std::chrono::hours(24 * 7);
};

// Delivery of notifications (the outbox worker). Short values make retries testable.
struct NotifyConfig {
  std::chrono::milliseconds retry_initial = std::chrono::seconds(2);
  std::chrono::milliseconds retry_max = std::chrono::minutes(5);
  std::chrono::milliseconds send_timeout = std::chrono::seconds(10);
  int max_attempts = 10;
};

struct IncidentsConfig {
  std::chrono::milliseconds ack_link_ttl = std::chrono::hours(24);
  std::chrono::milliseconds timer_max_sleep = std::chrono::seconds(5);
};

// Alerts from outside (docs/watch/alerts.md).
struct AlertsConfig {
  std::string routing_file;  // empty: the built-in default routing
};

struct ServerConfig {
  std::string data_dir = "./var";
  std::string listen = "127.0.0.1:8080";
  std::string db;  // always filled by LoadServerConfig: default "sqlite:<data_dir>/failsafe.db"
  std::string tls_cert;  // TLS is on when both are set; setting only one is an error
  std::string tls_key;
  std::string log_level = "info";  // debug | info | warn | error
  std::string console_dir;         // empty: no web console is served
  // The URL people reach this server at, for links in notifications (acknowledge, open the
  // incident). Empty: the listening address.
  std::string public_url;
  // The organisation's time zone, for times in messages people read (status updates).
  // Empty: the server's own zone.
  std::string time_zone;
  // What the server watches on its own (docs/watch/config.md). Empty: the host, with the
  // built-in host rules.
  std::string watch_file;
  HttpConfig http;
  AuthConfig auth;
  NotifyConfig notify;
  IncidentsConfig incidents;
  AlertsConfig alerts;

  bool tls() const { return !tls_cert.empty(); }
};

// Values given on the command line; nullopt means "flag not given".
struct ConfigFlags {
  std::optional<std::string> data_dir;     // --data
  std::optional<std::string> listen;       // --listen
  std::optional<std::string> db;           // --db
  std::optional<std::string> tls_cert;     // --tls-cert
  std::optional<std::string> tls_key;      // --tls-key
  std::optional<std::string> log_level;    // --log-level
  std::optional<std::string> console_dir;  // --console-dir
  std::optional<std::string> public_url;   // --public-url
  std::optional<std::string> time_zone;    // --time-zone
  std::optional<std::string> watch_file;   // --watch-file
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv). Tests pass their own lookup instead.
EnvLookup ProcessEnvLookup();

struct ConfigSources {
  std::optional<std::string> config_file;  // --config; when unset, FAILSAFE_CONFIG is used
  EnvLookup env;                           // null: no environment variables are read
  ConfigFlags flags;
  // The running executable, for the default console directory
  // (<exe dir>/../share/failsafe/web). Empty: that candidate is skipped.
  std::string exe_path;
  Env* file_env = nullptr;  // null: Env::Default()
};

// Assembles and validates the configuration. Fails with kInvalidArgument naming the file and
// line, the environment variable or the flag that is wrong; with the Env's error when the
// config file cannot be read.
Result<ServerConfig> LoadServerConfig(const ConfigSources& sources);

// Validates one config file on its own (`failsafe config check FILE`): syntax, unknown keys,
// value formats. OK when the file would be accepted.
Status CheckConfigFile(const std::string& path, Env* env = nullptr);

}  // namespace failsafe::app
