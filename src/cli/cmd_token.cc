// failsafe token create|list|revoke: API tokens through the API.
#include <iostream>
#include <memory>

#include "base/duration.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

struct CreateOptions {
  std::string name, role, expires_in;
};

int Create(const Context& ctx, const CreateOptions& o) {
  boost::json::object body{{"name", o.name}};
  if (!o.role.empty()) body["role"] = o.role;
  if (!o.expires_in.empty()) {
    // Checked here too so the error names the flag rather than a JSON field.
    if (auto d = ParseDuration(o.expires_in); !d || d->count() <= 0) {
      return PrintError(
          InvalidArgument("--expires-in must be a duration such as 30d, 12h or 1h30m, got \"" +
                          o.expires_in + "\""));
    }
    body["expires_in"] = o.expires_in;
  }
  auto token = ctx.Client().Post("/api/v1/tokens", body);
  if (!token) return PrintError(token.error());
  if (ctx.json) {
    std::cout << PrettyJson(*token);
    return kExitOk;
  }
  const boost::json::object empty;
  const boost::json::object& t = token->is_object() ? token->get_object() : empty;
  std::cout << "created token " << CellText(t, "id") << " \""
            << SanitizeForTerminal(CellText(t, "name")) << "\" (role "
            << SanitizeForTerminal(CellText(t, "role")) << ", expires " << TimeCell(t, "expires_at")
            << ")\n\n"
            << "  " << SanitizeForTerminal(CellText(t, "token")) << "\n\n"
            << "Store it now: it is shown only once. 请立即保存：此令牌只显示这一次。\n";
  return kExitOk;
}

int List(const Context& ctx, bool all) {
  auto tokens =
      ctx.Client().GetItems(all ? "/api/v1/tokens?all=true&limit=500" : "/api/v1/tokens?limit=500");
  if (!tokens) return PrintError(tokens.error());
  if (ctx.json) {
    std::cout << PrettyJson(*tokens);
    return kExitOk;
  }
  std::vector<std::string> headers = {"ID",      "NAME",      "ROLE",   "CREATED",
                                      "EXPIRES", "LAST USED", "REVOKED"};
  if (all) headers.insert(headers.begin() + 1, "USER ID");
  Table table(headers);
  for (const auto& v : *tokens) {
    if (!v.is_object()) continue;
    const auto& t = v.get_object();
    std::vector<std::string> row = {CellText(t, "id"),         CellText(t, "name"),
                                    CellText(t, "role"),       TimeCell(t, "created_at"),
                                    TimeCell(t, "expires_at"), TimeCell(t, "last_used_at"),
                                    TimeCell(t, "revoked_at")};
    if (all) row.insert(row.begin() + 1, CellText(t, "user_id"));
    table.AddRow(std::move(row));
  }
  std::cout << table.Render();
  return kExitOk;
}

int Revoke(const Context& ctx, int64_t id) {
  auto r = ctx.Client().Delete("/api/v1/tokens/" + std::to_string(id));
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"id", id}, {"revoked", true}});
  } else {
    std::cout << "revoked token " << id << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddTokenCommand(CLI::App& app, Context& ctx) {
  auto* token = app.add_subcommand("token", "Manage API tokens (for the CLI and integrations)");
  token->require_subcommand(1);
  token->footer(kApiFooter);

  auto create_opts = std::make_shared<CreateOptions>();
  auto* create = token->add_subcommand("create", "Create an API token and print it once");
  create->add_option("--name", create_opts->name, "what the token is for, e.g. \"ci-deploy\"")
      ->required();
  create->add_option("--role", create_opts->role,
                     "admin, responder or viewer; at most your own role (default: yours)");
  create
      ->add_option("--expires-in", create_opts->expires_in,
                   "lifetime such as 30d or 12h (default 90d, at most 1 year)")
      ->type_name("DURATION");
  create->callback(
      [&ctx, create_opts] { ctx.run = [&ctx, create_opts] { return Create(ctx, *create_opts); }; });

  auto all = std::make_shared<bool>(false);
  auto* list = token->add_subcommand("list", "List your API tokens");
  list->add_flag("--all", *all, "everyone's tokens (admin)");
  list->callback([&ctx, all] { ctx.run = [&ctx, all] { return List(ctx, *all); }; });

  auto id = std::make_shared<int64_t>(0);
  auto* revoke = token->add_subcommand("revoke", "Revoke an API token: it stops working at once");
  revoke->add_option("ID", *id, "the token's ID (see `failsafe token list`)")
      ->required()
      ->check(CLI::PositiveNumber);
  revoke->callback([&ctx, id] { ctx.run = [&ctx, id] { return Revoke(ctx, *id); }; });
}

}  // namespace failsafe::cli
