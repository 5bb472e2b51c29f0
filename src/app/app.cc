#include "app/app.h"

#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>

#include "app/admin_notice.h"
#include "app/migrations.h"
#include "app/version.h"
#include "app/watch_alerts.h"
#include "auth/auth_module.h"
#include "auth/module_services.h"
#include "backup/service/backup_service_module.h"
#include "base/clock.h"
#include "base/env.h"
#include "base/log.h"
#include "base/metrics.h"
#include "catalog/catalog_module.h"
#include "catalog/local_time.h"
#include "incidents/incidents_module.h"
#include "notify/notify_module.h"
#include "plans/plans_module.h"
#include "postmortems/postmortems_module.h"
#include "server/dispatcher.h"
#include "server/http_server.h"
#include "server/process_metrics.h"
#include "server/router.h"
#include "server/static_files.h"
#include "server/system_routes.h"
#include "store/store.h"
#include "watch/alerts/alerts_module.h"
#include "watch/watch_module.h"

namespace failsafe::app {
namespace {

auth::AuthSettings AuthSettingsFrom(const ServerConfig& config) {
  auth::AuthSettings s;
  s.lockout_threshold = config.auth.lockout_threshold;
  s.lockout_duration = config.auth.lockout_duration;
  s.session_idle_timeout = config.auth.session_idle_timeout;
  s.session_max_age = config.auth.session_max_age;
  s.secure_cookies = config.tls();
  return s;
}

server::HttpServerOptions HttpOptionsFrom(const ServerConfig& config) {
  server::HttpServerOptions o;
  o.listen = config.listen;
  o.tls_cert_file = config.tls_cert;
  o.tls_key_file = config.tls_key;
  o.body_limit_bytes = config.http.body_limit_bytes;
  o.header_timeout_ms = static_cast<int>(config.http.header_timeout.count());
  o.idle_timeout_ms = static_cast<int>(config.http.idle_timeout.count());
  o.threads = config.http.threads;
  return o;
}

// The data directory holds the key files: nobody but the service account should read it.
Status PrepareDataDir(const std::string& dir) {
  Status s = Env::Default()->CreateDirs(dir, 0700);
  if (!s.ok()) return s.WithContext("creating data directory " + dir);
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    log::Warn("data_dir_permissions",
              {{"path", dir}, {"detail", "readable by group or others; chmod 700 is advised"}});
  }
  return Status::Ok();
}

std::optional<std::string> AdminPasswordFromEnv() {
  const char* v = std::getenv("FAILSAFE_ADMIN_PASSWORD");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

const char* SignalName(int sig) {
  return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

Status Serve(const ServerConfig& config, const sigset_t& stop_signals) {
  FS_RETURN_STATUS_IF_ERROR(PrepareDataDir(config.data_dir));
  auto keys = auth::LoadOrCreateKeys(*Env::Default(), config.data_dir);
  if (!keys) return keys.error().WithContext("loading key files from " + config.data_dir);

  metrics::Registry registry;
  store::StoreOptions store_options;
  store_options.metrics = &registry;
  auto opened = store::OpenStore(config.db, store_options);
  if (!opened) return opened.error().WithContext("opening the store");
  std::unique_ptr<store::Store> store = std::move(*opened);

  std::vector<store::Migration> migrations = AllMigrations();
  FS_RETURN_STATUS_IF_ERROR(store::Migrate(*store, migrations));

  auto created = auth::AuthModule::Create(*store, SystemClock::Instance(), std::move(*keys),
                                          AuthSettingsFrom(config), registry);
  if (!created) return created.error().WithContext("starting the auth module");
  std::unique_ptr<auth::AuthModule> auth = std::move(*created);

  auto admin_password = auth->EnsureAdmin(AdminPasswordFromEnv());
  if (!admin_password) {
    return admin_password.error().WithContext("creating the admin user");
  }
  if (admin_password->has_value()) PrintAdminPasswordNotice(std::cout, "admin", **admin_password);

  // The domain modules, in dependency order (catalog <- plans <- notify <- incidents <-
  // postmortems). public_url is completed once the listener is bound.
  auth::ModuleServices services{
      *store,
      SystemClock::Instance(),
      auth->audit(),
      auth->secrets(),
      registry,
      config.public_url,
      config.time_zone.empty() ? catalog::LocalTimeZoneName() : config.time_zone};
  catalog::CatalogModule catalog(services);
  plans::PlansModule plans(services);
  notify::NotifySettings notify_settings;
  notify_settings.retry_initial = config.notify.retry_initial;
  notify_settings.retry_max = config.notify.retry_max;
  notify_settings.send_timeout = config.notify.send_timeout;
  notify_settings.max_attempts = config.notify.max_attempts;
  notify::NotifyModule notify(services, notify_settings);
  incidents::IncidentSettings incident_settings;
  incident_settings.ack_link_ttl = config.incidents.ack_link_ttl;
  incident_settings.timer_max_sleep = config.incidents.timer_max_sleep;
  incidents::IncidentsModule incidents(services, notify, incident_settings);
  postmortems::PostmortemsModule postmortems(services);
  watch::alerts::AlertsSettings alerts_settings;
  alerts_settings.routing_file = config.alerts.routing_file;
  alerts_settings.version = std::string(Version());
  auto alerts_created =
      watch::alerts::AlertsModule::Create(services, incidents, *auth, *auth, alerts_settings);
  if (!alerts_created) return alerts_created.error().WithContext("starting the alerts module");
  std::unique_ptr<watch::alerts::AlertsModule> alerts = std::move(*alerts_created);

  // Early warning: the host, scrapes, probes and rules; rule alerts enter the alert intake.
  watch::WatchConfig watch_config;
  if (!config.watch_file.empty()) {
    auto loaded = watch::LoadWatchConfig(config.watch_file);
    if (!loaded) return loaded.error().WithContext("reading the watch file");
    watch_config = std::move(*loaded);
  }
  watch_config.state_dir = config.data_dir + "/logsources";
  auto watch_created = watch::WatchModule::Create(
      SystemClock::Instance(), registry, std::move(watch_config),
      AlertPosterInto(*alerts, config.public_url + "/watch/rules"), LogAlertPosterInto(*alerts));
  if (!watch_created) return watch_created.error().WithContext("starting the watch module");
  std::unique_ptr<watch::WatchModule> watch = std::move(*watch_created);

  // Backups: policies per service, their scheduler and restore drills; failed or missed runs
  // and failed drills enter the alert intake like any other alert.
  backup::service::BackupServiceSettings backup_settings;
  backup_settings.work_dir = config.data_dir + "/backup";
  if (config.db.rfind("sqlite:", 0) == 0) backup_settings.store_sqlite_path = config.db.substr(7);
  // Progress and outcomes reach the console through the live feed, for users with backups.read.
  backup_settings.events = [&incidents](const std::string& event, const std::string& data) {
    incidents.PublishLive(event, data, backup::service::kLiveEventPermission);
  };
  backup::service::BackupServiceModule backups(
      services, backup_settings, BackupAlertSinkInto(*alerts, config.public_url + "/backups"));

  server::Router router;
  server::SystemRouteDeps deps;
  deps.ready_check = [&store] { return store->Ping(); };
  deps.metrics = &registry;
  deps.router = &router;
  deps.version = std::string(Version());
  server::RegisterSystemRoutes(router, std::move(deps));
  auth->RegisterRoutes(router);
  catalog.RegisterRoutes(router);
  plans.RegisterRoutes(router);
  notify.RegisterRoutes(router);
  incidents.RegisterRoutes(router);
  postmortems.RegisterRoutes(router);
  alerts->RegisterRoutes(router);
  watch->RegisterRoutes(router);
  backups.RegisterRoutes(router);
  server::RegisterProcessMetrics(registry);

  // Alert-source tokens are recognised beside users' tokens and sessions.
  server::Dispatcher dispatcher(router, alerts->authenticator(), alerts->authorizer(), registry);
  std::optional<server::StaticFiles> console;
  if (!config.console_dir.empty()) {
    console.emplace(config.console_dir);
    dispatcher.SetFallback([&console](server::Request& r) { return console->Serve(r); });
  }

  server::HttpServer http(HttpOptionsFrom(config), dispatcher);
  FS_RETURN_STATUS_IF_ERROR(http.Start());

  const std::string url = (config.tls() ? "https://" : "http://") + http.BoundAddress();
  if (services.public_url.empty()) services.public_url = url;
  notify.Start();
  incidents.Start();
  alerts->Start();
  backups.Start();
  if (Status s = watch->Start(); !s.ok()) {
    http.Stop();
    backups.Stop();
    alerts->Stop();
    incidents.Stop();
    notify.Stop();
    return s.WithContext("starting the watch module");
  }
  log::Info("server_started", {{"url", url},
                               {"store", store->Describe()},
                               {"version", VersionString()},
                               {"console", config.console_dir}});
  std::cout << "failsafe listening on " << url << "\n";
  if (console) {
    std::cout << "  web console: " << url << "/  (sign in as admin)\n";
  } else {
    std::cout << "  no web console (set console_dir or build web/); the API is at " << url
              << "/api/v1\n";
  }
  std::cout << "  CLI: export FAILSAFE_SERVER=" << url
            << " FAILSAFE_TOKEN=<an API token created after signing in>\n";
  std::cout.flush();

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::Info("server_stopping", {{"signal", SignalName(sig)}});
  http.Stop();
  watch->Stop();
  backups.Stop();
  alerts->Stop();
  incidents.Stop();
  notify.Stop();
  // Returning destroys, in reverse order: the server, dispatcher, auth module, then the store.
  return Status::Ok();
}

}  // namespace

int RunServer(const ServerConfig& config) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  log::Init(config.log_level);
  Status s = Serve(config, stop_signals);
  if (!s.ok()) {
    log::Error("server_failed", {{"error", s.message()}});
    std::cerr << "failsafe: " << s.message() << "\n";
    return 1;
  }
  log::Info("server_stopped");
  return 0;
}

}  // namespace failsafe::app
