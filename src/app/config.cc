#include "app/config.h"

#include <cstdlib>
#include <filesystem>

#include "app/config_file.h"
#include "app/config_values.h"

namespace failsafe::app {
namespace {

namespace fs = std::filesystem;

// One string setting reachable from the environment and a flag.
struct StringKnob {
  const char* env_var;
  const char* flag;
  std::optional<std::string> ConfigFlags::*flag_value;
  std::string ServerConfig::*field;
  Status (*check)(std::string_view);  // may be null
};

const StringKnob kKnobs[] = {
    {"FAILSAFE_DATA", "--data", &ConfigFlags::data_dir, &ServerConfig::data_dir, nullptr},
    {"FAILSAFE_LISTEN", "--listen", &ConfigFlags::listen, &ServerConfig::listen, CheckListen},
    {"FAILSAFE_DB", "--db", &ConfigFlags::db, &ServerConfig::db, CheckDbUrl},
    {"FAILSAFE_TLS_CERT", "--tls-cert", &ConfigFlags::tls_cert, &ServerConfig::tls_cert, nullptr},
    {"FAILSAFE_TLS_KEY", "--tls-key", &ConfigFlags::tls_key, &ServerConfig::tls_key, nullptr},
    {"FAILSAFE_LOG_LEVEL", "--log-level", &ConfigFlags::log_level, &ServerConfig::log_level,
     CheckLogLevel},
    {"FAILSAFE_CONSOLE_DIR", "--console-dir", &ConfigFlags::console_dir, &ServerConfig::console_dir,
     nullptr},
    {"FAILSAFE_PUBLIC_URL", "--public-url", &ConfigFlags::public_url, &ServerConfig::public_url,
     CheckPublicUrl},
    {"FAILSAFE_TIME_ZONE", "--time-zone", &ConfigFlags::time_zone, &ServerConfig::time_zone,
     CheckTimeZoneName},
    {"FAILSAFE_WATCH_FILE", "--watch-file", &ConfigFlags::watch_file, &ServerConfig::watch_file,
     nullptr},
};

Status ApplyValue(const StringKnob& knob, const std::string& value, const std::string& where,
                  const std::string& field, ServerConfig& config) {
  if (knob.check != nullptr) {
    Status s = knob.check(value);
    if (!s.ok()) return InvalidArgument(where + " " + s.message(), field);
  }
  config.*knob.field = value;
  return Status::Ok();
}

bool IsDir(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// <exe dir>/../share/failsafe/web for an installed binary; web/dist (the built console) or
// web/static (the placeholder page shipped until the console exists) for a source checkout.
std::string DefaultConsoleDir(const std::string& exe_path) {
  if (!exe_path.empty()) {
    fs::path installed = fs::path(exe_path).parent_path() / ".." / "share" / "failsafe" / "web";
    if (IsDir(installed.string())) return installed.lexically_normal().string();
  }
  if (IsDir("web/dist")) return "web/dist";
  if (IsDir("web/static")) return "web/static";
  return "";
}

Status Finish(const ConfigSources& sources, ServerConfig& config) {
  if (config.data_dir.empty()) return InvalidArgument("data_dir must not be empty", "data_dir");
  if (config.db.empty()) config.db = "sqlite:" + config.data_dir + "/failsafe.db";
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return InvalidArgument(
        "TLS needs both a certificate and a key: set tls_cert and tls_key "
        "(--tls-cert/--tls-key, FAILSAFE_TLS_CERT/FAILSAFE_TLS_KEY), or neither",
        config.tls_cert.empty() ? "tls_cert" : "tls_key");
  }
  if (config.console_dir.empty()) {
    config.console_dir = DefaultConsoleDir(sources.exe_path);
  } else if (!IsDir(config.console_dir)) {
    return InvalidArgument("console_dir \"" + config.console_dir + "\" is not a directory",
                           "console_dir");
  }
  return Status::Ok();
}

}  // namespace

EnvLookup ProcessEnvLookup() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<ServerConfig> LoadServerConfig(const ConfigSources& sources) {
  ServerConfig config;
  Env* env = sources.file_env != nullptr ? sources.file_env : Env::Default();

  std::optional<std::string> file = sources.config_file;
  if (!file && sources.env) file = sources.env("FAILSAFE_CONFIG");
  if (file && !file->empty()) {
    auto text = env->ReadFile(*file);
    if (!text) return Err(text.error().WithContext("reading config file " + *file));
    FS_RETURN_IF_ERROR(ApplyYamlConfig(*text, *file, config));
  }

  if (sources.env) {
    for (const StringKnob& knob : kKnobs) {
      std::optional<std::string> v = sources.env(knob.env_var);
      // An empty variable counts as unset, as shells make `FOO= cmd` easy to write by mistake.
      if (!v || v->empty()) continue;
      FS_RETURN_IF_ERROR(ApplyValue(knob, *v, std::string("environment variable ") + knob.env_var,
                                    knob.env_var, config));
    }
  }

  for (const StringKnob& knob : kKnobs) {
    const std::optional<std::string>& v = sources.flags.*knob.flag_value;
    if (!v) continue;
    FS_RETURN_IF_ERROR(ApplyValue(knob, *v, std::string("flag ") + knob.flag, knob.flag, config));
  }

  FS_RETURN_IF_ERROR(Finish(sources, config));
  return config;
}

Status CheckConfigFile(const std::string& path, Env* env) {
  if (env == nullptr) env = Env::Default();
  auto text = env->ReadFile(path);
  if (!text) return text.error().WithContext("reading config file " + path);
  ServerConfig config;
  FS_RETURN_STATUS_IF_ERROR(ApplyYamlConfig(*text, path, config));
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return InvalidArgument(path + ": tls_cert and tls_key must be set together, or neither",
                           config.tls_cert.empty() ? "tls_cert" : "tls_key");
  }
  return Status::Ok();
}

}  // namespace failsafe::app
