// failsafe user create|list|disable: user administration through the API (admin token).
#include <iostream>
#include <iterator>
#include <memory>

#include "base/random.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/secret_input.h"

namespace failsafe::cli {
namespace {

struct CreateOptions {
  std::string username, role, display_name, email;
  bool password_stdin = false;
};

int Create(const Context& ctx, const CreateOptions& o) {
  std::string password;
  bool generated = false;
  if (o.password_stdin) {
    auto p = ReadPasswordFromStdin();
    if (!p) return PrintError(p.error());
    password = std::move(*p);
  } else {
    password = RandomToken(18);  // 24 characters of base64url: 144 bits
    generated = true;
  }
  boost::json::object body{{"username", o.username}, {"password", password}, {"role", o.role}};
  if (!o.display_name.empty()) body["display_name"] = o.display_name;
  if (!o.email.empty()) body["email"] = o.email;

  auto user = ctx.Client().Post("/api/v1/users", body);
  if (!user) return PrintError(user.error());
  const boost::json::object empty;
  const boost::json::object& u = user->is_object() ? user->get_object() : empty;
  if (ctx.json) {
    boost::json::object out = u;
    if (generated) out["generated_password"] = password;
    std::cout << PrettyJson(out);
    return kExitOk;
  }
  std::cout << "created user " << SanitizeForTerminal(CellText(u, "username")) << " (id "
            << CellText(u, "id") << ", role " << SanitizeForTerminal(CellText(u, "role")) << ")\n";
  if (generated) {
    std::cout << "password: " << password << "\n"
              << "It is shown only once; give it to the user, who should change it at first "
                 "sign-in.\n"
              << "此密码只显示这一次；请交给用户，并提醒其首次登录后修改。\n";
  }
  return kExitOk;
}

int List(const Context& ctx) {
  auto users = ctx.Client().GetItems("/api/v1/users?limit=500");
  if (!users) return PrintError(users.error());
  if (ctx.json) {
    std::cout << PrettyJson(*users);
    return kExitOk;
  }
  Table table({"ID", "USERNAME", "ROLE", "DISPLAY NAME", "EMAIL", "DISABLED", "2FA", "CREATED"});
  for (const auto& v : *users) {
    if (!v.is_object()) continue;
    const auto& u = v.get_object();
    table.AddRow({CellText(u, "id"), CellText(u, "username"), CellText(u, "role"),
                  CellText(u, "display_name"), CellText(u, "email"), CellText(u, "disabled"),
                  CellText(u, "totp_enabled"), TimeCell(u, "created_at")});
  }
  std::cout << table.Render();
  return kExitOk;
}

// An exact username match wins; an all-digit argument that names no user is taken as an ID
// (usernames may be all digits too, so the name is looked up first).
Result<std::pair<int64_t, std::string>> ResolveUser(ApiClient& client, const std::string& who) {
  FS_ASSIGN_OR_RETURN(boost::json::array users, client.GetItems("/api/v1/users?limit=500"));
  for (const auto& v : users) {
    if (!v.is_object()) continue;
    const auto& u = v.get_object();
    const auto* id = u.if_contains("id");
    if (CellText(u, "username") == who && id != nullptr && id->is_int64()) {
      return std::make_pair(id->get_int64(), who);
    }
  }
  bool numeric =
      !who.empty() && who.size() < 19 && who.find_first_not_of("0123456789") == std::string::npos;
  if (numeric) return std::make_pair(std::stoll(who), "id " + who);
  return Err(NotFound("no user named \"" + who + "\""));
}

int Disable(const Context& ctx, const std::string& who) {
  ApiClient client = ctx.Client();
  auto target = ResolveUser(client, who);
  if (!target) return PrintError(target.error());
  auto user = client.Patch("/api/v1/users/" + std::to_string(target->first),
                           boost::json::object{{"disabled", true}});
  if (!user) return PrintError(user.error());
  if (ctx.json) {
    std::cout << PrettyJson(*user);
  } else {
    std::cout << "disabled user " << SanitizeForTerminal(target->second)
              << "; their sessions and API tokens no longer work\n";
  }
  return kExitOk;
}

}  // namespace

void AddUserCommand(CLI::App& app, Context& ctx) {
  auto* user = app.add_subcommand("user", "Manage users (needs an admin token)");
  user->require_subcommand(1);
  user->footer(kApiFooter);

  auto create_opts = std::make_shared<CreateOptions>();
  auto* create = user->add_subcommand("create", "Create a user");
  create->add_option("--username", create_opts->username, "login name: a-z 0-9 . _ -")->required();
  create->add_option("--role", create_opts->role, "admin, responder or viewer")->required();
  create->add_option("--display-name", create_opts->display_name, "name shown in the console");
  create->add_option("--email", create_opts->email, "e-mail address");
  create->add_flag("--password-stdin", create_opts->password_stdin,
                   "read the password from standard input instead of generating one");
  create->footer(
      "Without --password-stdin a strong password is generated and printed once.\n"
      "Example: failsafe user create --username li.wei --role responder --display-name 李伟\n" +
      std::string(kApiFooter));
  create->callback(
      [&ctx, create_opts] { ctx.run = [&ctx, create_opts] { return Create(ctx, *create_opts); }; });

  auto* list = user->add_subcommand("list", "List users");
  list->callback([&ctx] { ctx.run = [&ctx] { return List(ctx); }; });

  auto who = std::make_shared<std::string>();
  auto* disable = user->add_subcommand(
      "disable", "Disable a user: they cannot sign in and their sessions and tokens stop working");
  disable->add_option("USER", *who, "username or numeric ID")->required();
  disable->callback([&ctx, who] { ctx.run = [&ctx, who] { return Disable(ctx, *who); }; });
}

}  // namespace failsafe::cli
