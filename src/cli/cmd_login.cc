// failsafe login: signs in as a person and mints an API token for the shell, so the first
// token does not need the console. The session used for it is closed again at once.
#include <iostream>
#include <memory>

#include "base/duration.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/secret_input.h"

namespace failsafe::cli {
namespace {

struct LoginOptions {
  std::string username, totp, name = "cli", role, expires_in = "30d";
  bool password_stdin = false;
};

int Login(const Context& ctx, const LoginOptions& o) {
  if (auto d = ParseDuration(o.expires_in); !d || d->count() <= 0) {
    return PrintError(InvalidArgument("--expires-in must be a duration such as 30d or 12h, got \"" +
                                      o.expires_in + "\""));
  }
  auto password = o.password_stdin ? ReadPasswordFromStdin()
                                   : PromptPassword("password for " + o.username + ": ");
  if (!password) return PrintError(password.error());

  ApiClientOptions options;
  options.server = ctx.server;
  options.ca_file = ctx.ca_cert;
  ApiClient client(options);
  if (Status s = client.Login(o.username, *password, o.totp); !s.ok()) return PrintError(s);

  boost::json::object body{{"name", o.name}, {"expires_in", o.expires_in}};
  if (!o.role.empty()) body["role"] = o.role;
  auto token = client.Post("/api/v1/tokens", body);
  (void)client.Post("/api/v1/auth/logout", boost::json::object{});
  if (!token) return PrintError(token.error());
  if (ctx.json) {
    std::cout << PrettyJson(*token);
    return kExitOk;
  }
  const boost::json::object empty;
  const boost::json::object& t = token->is_object() ? token->get_object() : empty;
  std::cerr << "signed in as " << SanitizeForTerminal(o.username) << "; token " << CellText(t, "id")
            << " (role " << SanitizeForTerminal(CellText(t, "role")) << ", expires "
            << TimeCell(t, "expires_at") << ")\n"
            << "Shown once. 仅显示一次。 Use it with: eval \"$(failsafe login ...)\"\n";
  std::cout << "export FAILSAFE_SERVER=" << ctx.server << "\n"
            << "export FAILSAFE_TOKEN=" << SanitizeForTerminal(CellText(t, "token")) << "\n";
  return kExitOk;
}

}  // namespace

void AddLoginCommand(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<LoginOptions>();
  auto* login = app.add_subcommand(
      "login", "Sign in as a person and print an API token for this shell (登录并获取令牌)");
  login->add_option("--username,-u", opts->username, "Your username")->required();
  login->add_flag("--password-stdin", opts->password_stdin,
                  "Read the password from standard input instead of asking on the terminal");
  login->add_option("--totp", opts->totp, "The current code of your authenticator app");
  login->add_option("--name", opts->name, "A name for the token")->capture_default_str();
  login->add_option("--role", opts->role, "The token's role (default: yours; never higher)");
  login->add_option("--expires-in", opts->expires_in, "Token lifetime, e.g. 30d, 12h")
      ->capture_default_str();
  login->footer(
      "Prints `export FAILSAFE_SERVER=...` and `export FAILSAFE_TOKEN=...` lines on stdout:\n"
      "  eval \"$(failsafe login -u admin)\"\n"
      "Exit codes: 0 ok, 1 error, 2 usage.");
  login->callback([&ctx, opts] { ctx.run = [&ctx, opts] { return Login(ctx, *opts); }; });
}

}  // namespace failsafe::cli
