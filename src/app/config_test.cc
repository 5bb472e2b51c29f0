#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace failsafe::app {
namespace {

using std::chrono::milliseconds;

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest() : files_(NewMemEnv()) {}

  void WriteFile(const std::string& path, const std::string& text) {
    ASSERT_TRUE(files_->WriteFileAtomic(path, text).ok());
  }

  ConfigSources Sources() {
    ConfigSources s;
    s.env = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    s.file_env = files_.get();
    return s;
  }

  // Loads with `yaml` as config.yaml and returns the error message ("" on success).
  std::string ErrorFor(const std::string& yaml) {
    WriteFile("config.yaml", yaml);
    ConfigSources s = Sources();
    s.config_file = "config.yaml";
    auto c = LoadServerConfig(s);
    if (c) return "";
    last_error_ = c.error();
    return c.error().message();
  }

  std::unique_ptr<Env> files_;
  std::map<std::string, std::string> env_;
  Status last_error_;
};

TEST_F(ConfigTest, DefaultsWithNoSources) {
  auto c = LoadServerConfig(Sources());
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->data_dir, "./var");
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->db, "sqlite:./var/failsafe.db");
  EXPECT_EQ(c->log_level, "info");
  EXPECT_FALSE(c->tls());
  EXPECT_EQ(c->http.body_limit_bytes, 1u << 20);
  EXPECT_EQ(c->http.header_timeout, milliseconds(10'000));
  EXPECT_EQ(c->http.idle_timeout, milliseconds(60'000));
  EXPECT_EQ(c->http.threads, 0);
  EXPECT_EQ(c->auth.lockout_threshold, 5);
  EXPECT_EQ(c->auth.lockout_duration, std::chrono::minutes(15));
  EXPECT_EQ(c->auth.session_idle_timeout, std::chrono::hours(12));
  EXPECT_EQ(c->auth.session_max_age, std::chrono::hours(24 * 7));
}

TEST_F(ConfigTest, DefaultDbFollowsTheFinalDataDir) {
  WriteFile("c.yaml", "data_dir: /from/file\n");
  env_["FAILSAFE_DATA"] = "/from/env";
  ConfigSources s = Sources();
  s.config_file = "c.yaml";
  s.flags.data_dir = "/from/flag";
  auto c = LoadServerConfig(s);
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->data_dir, "/from/flag");
  EXPECT_EQ(c->db, "sqlite:/from/flag/failsafe.db");
}

TEST_F(ConfigTest, PrecedenceDefaultsFileEnvFlags) {
  WriteFile("c.yaml", "listen: 10.0.0.1:1000\nlog_level: warn\ndb: sqlite:/file.db\n");
  ConfigSources s = Sources();
  s.config_file = "c.yaml";

  auto file_only = LoadServerConfig(s);
  ASSERT_TRUE(file_only) << file_only.error().ToString();
  EXPECT_EQ(file_only->listen, "10.0.0.1:1000");
  EXPECT_EQ(file_only->log_level, "warn");
  EXPECT_EQ(file_only->db, "sqlite:/file.db");

  env_["FAILSAFE_LISTEN"] = "10.0.0.2:2000";
  env_["FAILSAFE_DB"] = "postgresql://failsafe@db/failsafe";
  auto with_env = LoadServerConfig(s);
  ASSERT_TRUE(with_env);
  EXPECT_EQ(with_env->listen, "10.0.0.2:2000");
  EXPECT_EQ(with_env->db, "postgresql://failsafe@db/failsafe");
  EXPECT_EQ(with_env->log_level, "warn");  // untouched by env

  s.flags.listen = "[::1]:0";
  s.flags.log_level = "debug";
  auto with_flags = LoadServerConfig(s);
  ASSERT_TRUE(with_flags);
  EXPECT_EQ(with_flags->listen, "[::1]:0");
  EXPECT_EQ(with_flags->log_level, "debug");
  EXPECT_EQ(with_flags->db, "postgresql://failsafe@db/failsafe");  // env still wins over file
}

TEST_F(ConfigTest, ConfigFileFromEnvironmentUnlessFlagGiven) {
  WriteFile("env.yaml", "listen: 127.0.0.1:1111\n");
  WriteFile("flag.yaml", "listen: 127.0.0.1:2222\n");
  env_["FAILSAFE_CONFIG"] = "env.yaml";
  auto from_env = LoadServerConfig(Sources());
  ASSERT_TRUE(from_env) << from_env.error().ToString();
  EXPECT_EQ(from_env->listen, "127.0.0.1:1111");

  ConfigSources s = Sources();
  s.config_file = "flag.yaml";
  auto from_flag = LoadServerConfig(s);
  ASSERT_TRUE(from_flag);
  EXPECT_EQ(from_flag->listen, "127.0.0.1:2222");
}

TEST_F(ConfigTest, FullFileIsRead) {
  EXPECT_EQ(ErrorFor(R"(# failsafe server
data_dir: /var/lib/failsafe
listen: 0.0.0.0:8443
db: sqlite:/var/lib/failsafe/main.db
tls_cert: /etc/failsafe/cert.pem
tls_key: /etc/failsafe/key.pem
log_level: error
http:
  body_limit: 512KiB
  header_timeout: 5s
  idle_timeout: 2m
  threads: 8
auth:
  lockout_threshold: 3
  lockout_duration: 30m
  session_idle_timeout: 1h30m
  session_max_age: 7d
)"),
            "");
  ConfigSources s = Sources();
  s.config_file = "config.yaml";
  auto c = LoadServerConfig(s);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->data_dir, "/var/lib/failsafe");
  EXPECT_EQ(c->listen, "0.0.0.0:8443");
  EXPECT_EQ(c->db, "sqlite:/var/lib/failsafe/main.db");
  EXPECT_TRUE(c->tls());
  EXPECT_EQ(c->tls_key, "/etc/failsafe/key.pem");
  EXPECT_EQ(c->log_level, "error");
  EXPECT_EQ(c->http.body_limit_bytes, 512u * 1024);
  EXPECT_EQ(c->http.header_timeout, milliseconds(5000));
  EXPECT_EQ(c->http.idle_timeout, milliseconds(120'000));
  EXPECT_EQ(c->http.threads, 8);
  EXPECT_EQ(c->auth.lockout_threshold, 3);
  EXPECT_EQ(c->auth.lockout_duration, std::chrono::minutes(30));
  EXPECT_EQ(c->auth.session_idle_timeout, milliseconds(5'400'000));
  EXPECT_EQ(c->auth.session_max_age, std::chrono::hours(24 * 7));
}

TEST_F(ConfigTest, EmptyFileAndEmptyValuesKeepDefaults) {
  EXPECT_EQ(ErrorFor(""), "");
  EXPECT_EQ(ErrorFor("# only a comment\n"), "");
  EXPECT_EQ(ErrorFor("tls_cert:\nhttp:\n"), "");
}

TEST_F(ConfigTest, UnknownNestedKeyNamesFileLineAndSuggestion) {
  std::string yaml =
      "data_dir: /x\n"
      "listen: 127.0.0.1:8080\n"
      "log_level: info\n"
      "http:\n"
      "  body_limit: 1MiB\n"
      "  header_timeout: 10s\n"
      "  idle_timout: 30s\n";
  EXPECT_EQ(ErrorFor(yaml),
            "config.yaml:7: key 'http.idle_timout' is unknown (did you mean 'idle_timeout'?)");
  EXPECT_EQ(last_error_.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(last_error_.field(), "http.idle_timout");
}

TEST_F(ConfigTest, UnknownKeyWithoutCloseMatchHasNoSuggestion) {
  EXPECT_EQ(ErrorFor("colour: blue\n"), "config.yaml:1: key 'colour' is unknown");
  EXPECT_EQ(ErrorFor("\n\nlistn: 127.0.0.1:1\n"),
            "config.yaml:3: key 'listn' is unknown (did you mean 'listen'?)");
}

TEST_F(ConfigTest, BadListenNamesLineAndValue) {
  EXPECT_EQ(ErrorFor("# comment\ndata_dir: /x\nlisten: 8080\n"),
            "config.yaml:3: key 'listen' must be HOST:PORT, got \"8080\"");
  EXPECT_EQ(last_error_.field(), "listen");
  EXPECT_EQ(ErrorFor("listen: \"localhost:99999\"\n"),
            "config.yaml:1: key 'listen' port must be 0..65535, got \"localhost:99999\"");
}

TEST_F(ConfigTest, TimeZoneIsCheckedAgainstTheZoneDatabase) {
  EXPECT_EQ(ErrorFor("time_zone: Beijing\n"),
            "config.yaml:1: key 'time_zone' must be a time zone name such as Asia/Shanghai or "
            "UTC, got \"Beijing\"");
  WriteFile("tz.yaml", "time_zone: Asia/Shanghai\n");
  ConfigSources s = Sources();
  s.config_file = "tz.yaml";
  auto c = LoadServerConfig(s);
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->time_zone, "Asia/Shanghai");
  env_["FAILSAFE_TIME_ZONE"] = "Mars/Olympus";
  EXPECT_FALSE(LoadServerConfig(Sources()));
}

TEST_F(ConfigTest, YamlSyntaxErrorNamesLine) {
  std::string msg = ErrorFor("listen: 127.0.0.1:8080\nhttp:\n  threads: [1, 2\n");
  EXPECT_TRUE(msg.starts_with("config.yaml:")) << msg;
  EXPECT_NE(msg.find("invalid YAML"), std::string::npos) << msg;

  msg = ErrorFor("listen: 127.0.0.1:8080\n  bad indent: x\n");
  EXPECT_TRUE(msg.starts_with("config.yaml:2: invalid YAML")) << msg;
}

TEST_F(ConfigTest, StructureErrors) {
  EXPECT_EQ(ErrorFor("- listen\n- db\n"),
            "config.yaml:1: the config must be a mapping of keys to values");
  EXPECT_EQ(ErrorFor("http: 5\n"), "config.yaml:1: key 'http' must be a mapping of keys to values");
  EXPECT_EQ(ErrorFor("listen:\n  - a\n  - b\n"),
            "config.yaml:1: key 'listen' must be a single value, not a list or a mapping");
  EXPECT_EQ(ErrorFor("listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\n"),
            "config.yaml:2: key 'listen' is given twice");
}

TEST_F(ConfigTest, DurationErrors) {
  EXPECT_EQ(ErrorFor("auth:\n  lockout_duration: 30\n"),
            "config.yaml:2: key 'auth.lockout_duration' must be a duration such as \"30s\", "
            "\"5m\" or \"1h30m\", got \"30\"");
  EXPECT_EQ(ErrorFor("http:\n  idle_timeout: 0s\n"),
            "config.yaml:2: key 'http.idle_timeout' must be longer than zero, got \"0s\"");
  EXPECT_EQ(ErrorFor("http:\n  idle_timeout: -5s\n").substr(0, 40),
            "config.yaml:2: key 'http.idle_timeout' m");
}

TEST_F(ConfigTest, NumberAndSizeErrors) {
  EXPECT_EQ(ErrorFor("http:\n  threads: many\n"),
            "config.yaml:2: key 'http.threads' must be a whole number, got \"many\"");
  EXPECT_EQ(ErrorFor("http:\n  threads: -1\n"),
            "config.yaml:2: key 'http.threads' must be between 0 and 256, got \"-1\"");
  EXPECT_EQ(ErrorFor("auth:\n  lockout_threshold: 0\n"),
            "config.yaml:2: key 'auth.lockout_threshold' must be between 1 and 1000, got \"0\"");
  EXPECT_EQ(ErrorFor("http:\n  body_limit: 2GiB\n"),
            "config.yaml:2: key 'http.body_limit' must be between 1 byte and 1GiB, got \"2GiB\"");
  EXPECT_EQ(ErrorFor("http:\n  body_limit: lots\n"),
            "config.yaml:2: key 'http.body_limit' must be a size in bytes such as 1048576 or "
            "\"1MiB\", got \"lots\"");
  EXPECT_EQ(ErrorFor("log_level: verbose\n"),
            "config.yaml:1: key 'log_level' must be one of debug, info, warn, error, got "
            "\"verbose\"");
}

TEST_F(ConfigTest, DbErrorNeverEchoesTheUrl) {
  std::string msg = ErrorFor("db: mysql://root:hunter2@db/x\n");
  EXPECT_TRUE(msg.starts_with("config.yaml:1: key 'db' must be sqlite:PATH or postgresql://"))
      << msg;
  EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
}

TEST_F(ConfigTest, MalformedEnvironmentNamesTheVariable) {
  env_["FAILSAFE_LISTEN"] = "8080";
  auto c = LoadServerConfig(Sources());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message(),
            "environment variable FAILSAFE_LISTEN must be HOST:PORT, got \"8080\"");
  EXPECT_EQ(c.error().field(), "FAILSAFE_LISTEN");

  env_.clear();
  env_["FAILSAFE_LOG_LEVEL"] = "loud";
  c = LoadServerConfig(Sources());
  ASSERT_FALSE(c);
  EXPECT_TRUE(c.error().message().starts_with("environment variable FAILSAFE_LOG_LEVEL must be"));
}

TEST_F(ConfigTest, EmptyEnvironmentVariableIsIgnored) {
  env_["FAILSAFE_LISTEN"] = "";
  auto c = LoadServerConfig(Sources());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
}

TEST_F(ConfigTest, MalformedFlagNamesTheFlag) {
  ConfigSources s = Sources();
  s.flags.listen = "localhost";
  auto c = LoadServerConfig(s);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message(), "flag --listen must be HOST:PORT, got \"localhost\"");
  EXPECT_EQ(c.error().field(), "--listen");
}

TEST_F(ConfigTest, MissingConfigFileIsNamed) {
  ConfigSources s = Sources();
  s.config_file = "/nowhere/failsafe.yaml";
  auto c = LoadServerConfig(s);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("/nowhere/failsafe.yaml"), std::string::npos)
      << c.error().message();
}

TEST_F(ConfigTest, TlsNeedsCertAndKey) {
  ConfigSources s = Sources();
  s.flags.tls_cert = "/etc/cert.pem";
  auto c = LoadServerConfig(s);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field(), "tls_key");
  EXPECT_NE(c.error().message().find("tls_key"), std::string::npos);
}

TEST_F(ConfigTest, ConsoleDirDefaultsAndExplicit) {
  namespace fs = std::filesystem;
  fs::path root =
      fs::temp_directory_path() /
      ("failsafe_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(root / "bin");
  fs::create_directories(root / "share" / "failsafe" / "web");

  ConfigSources s = Sources();
  s.exe_path = (root / "bin" / "failsafe").string();
  auto c = LoadServerConfig(s);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->console_dir, (root / "share" / "failsafe" / "web").string());

  s.flags.console_dir = (root / "missing").string();
  c = LoadServerConfig(s);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field(), "console_dir");

  s.flags.console_dir = root.string();
  c = LoadServerConfig(s);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->console_dir, root.string());
  fs::remove_all(root);
}

TEST_F(ConfigTest, CheckConfigFile) {
  WriteFile("good.yaml", "listen: 127.0.0.1:9000\nhttp:\n  threads: 2\n");
  EXPECT_TRUE(CheckConfigFile("good.yaml", files_.get()).ok());

  WriteFile("bad.yaml", "listen: 127.0.0.1:9000\nauth:\n  lockout_treshold: 2\n");
  Status s = CheckConfigFile("bad.yaml", files_.get());
  EXPECT_EQ(s.message(),
            "bad.yaml:3: key 'auth.lockout_treshold' is unknown (did you mean "
            "'lockout_threshold'?)");

  EXPECT_FALSE(CheckConfigFile("absent.yaml", files_.get()).ok());
}

}  // namespace
}  // namespace failsafe::app
