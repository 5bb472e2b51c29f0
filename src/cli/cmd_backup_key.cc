// failsafe backup key add|list|remove: the keys that open a repository. Each wraps the same
// master key, so adding or removing one re-encrypts nothing.
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/backup_cli.h"
#include "cli/output.h"
#include "cli/secret_input.h"

namespace failsafe::cli {
namespace {

struct KeyAddArgs {
  RepoArgs repo;
  std::string new_password_file;
  std::string new_key_file;
};

struct KeyRemoveArgs {
  RepoArgs repo;
  std::string id;
};

int RunKeyAdd(const Context& ctx, const KeyAddArgs& args) {
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  backup::NewKey key;
  if (!args.new_key_file.empty()) {
    key.new_key_file = args.new_key_file;
  } else if (!args.new_password_file.empty()) {
    std::ifstream in(args.new_password_file);
    std::string password((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
      password.pop_back();
    if (password.empty())
      return PrintError(InvalidArgument(args.new_password_file + " is empty or unreadable",
                                        "--new-password-file"));
    key.password = password;
  } else {
    auto first = PromptPassword("New password: ");
    if (!first) return PrintError(first.error());
    auto again = PromptPassword("Repeat the new password: ");
    if (!again) return PrintError(again.error());
    if (*first != *again) return PrintError(InvalidArgument("the passwords differ", "password"));
    key.password = *first;
  }
  auto id = (*repo)->AddKey(key);
  if (!id) return PrintError(id.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"id", id->Hex()}});
  } else {
    std::cout << "added key " << ShortId(*id)
              << (args.new_key_file.empty() ? "" : " (key file " + args.new_key_file + ")") << "\n";
  }
  return kExitOk;
}

int RunKeyList(const Context& ctx, const RepoArgs& args) {
  auto repo = OpenRepository(args);
  if (!repo) return PrintError(repo.error());
  auto keys = (*repo)->ListKeys();
  if (!keys) return PrintError(keys.error());
  if (ctx.json) {
    boost::json::array out;
    for (const auto& k : *keys)
      out.push_back({{"id", k.id.Hex()},
                     {"kind", k.kind},
                     {"created", k.created},
                     {"host", k.host},
                     {"user", k.user},
                     {"current", k.current}});
    std::cout << PrettyJson(out);
    return kExitOk;
  }
  Table table({" ", "ID", "Kind", "Created", "Host", "User"});
  for (const auto& k : *keys)
    table.AddRow({k.current ? "*" : "", ShortId(k.id), k.kind, k.created,
                  SanitizeForTerminal(k.host), SanitizeForTerminal(k.user)});
  std::cout << table.Render();
  return kExitOk;
}

int RunKeyRemove(const Context& ctx, const KeyRemoveArgs& args) {
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  auto keys = (*repo)->ListKeys();
  if (!keys) return PrintError(keys.error());
  std::optional<backup::Id> match;
  for (const auto& k : *keys) {
    if (args.id.size() < 8 || k.id.Hex().compare(0, args.id.size(), args.id) != 0) continue;
    if (match) return PrintError(InvalidArgument("key id '" + args.id + "' is ambiguous", "ID"));
    match = k.id;
  }
  if (!match) return PrintError(NotFound("no key " + args.id + " (ids need 8+ hex digits)"));
  if (Status s = (*repo)->RemoveKey(*match); !s.ok()) return PrintError(s);
  if (ctx.json) {
    std::cout << PrettyJson({{"removed", match->Hex()}});
  } else {
    std::cout << "removed key " << ShortId(*match) << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddBackupKeyCommand(CLI::App* backup, Context& ctx) {
  auto* key = backup->add_subcommand("key", "Keys that open the repository");
  key->require_subcommand(1);

  auto add_args = std::make_shared<KeyAddArgs>();
  auto* add = key->add_subcommand(
      "add", "Add a key: a new password (prompted, or --new-password-file) or a new key file");
  AddRepoOptions(add, add_args->repo);
  add->add_option("--new-password-file", add_args->new_password_file,
                  "read the new key's password from this file");
  add->add_option("--new-key-file", add_args->new_key_file,
                  "write a new random key to this file (mode 0600) for unattended servers");
  add->callback(
      [&ctx, add_args] { ctx.run = [&ctx, add_args] { return RunKeyAdd(ctx, *add_args); }; });

  auto list_args = std::make_shared<RepoArgs>();
  auto* list = key->add_subcommand("list", "List keys (* marks the one used now)");
  AddRepoOptions(list, *list_args);
  list->callback(
      [&ctx, list_args] { ctx.run = [&ctx, list_args] { return RunKeyList(ctx, *list_args); }; });

  auto remove_args = std::make_shared<KeyRemoveArgs>();
  auto* remove = key->add_subcommand(
      "remove", "Remove a key (not the last one, nor the one used to open the repository)");
  AddRepoOptions(remove, remove_args->repo);
  remove->add_option("ID", remove_args->id, "key id or a unique prefix of 8+ hex digits")
      ->required();
  remove->callback([&ctx, remove_args] {
    ctx.run = [&ctx, remove_args] { return RunKeyRemove(ctx, *remove_args); };
  });
}

}  // namespace failsafe::cli
