#pragma once
// Shared by the catalog's commands (cmd_service.cc, cmd_team.cc, cmd_person.cc,
// cmd_schedule.cc, cmd_policy.cc, cmd_severity.cc): list / show / delete through the API and
// the text or --json output they share. Header-only; each function returns an exit code.
#include <cctype>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli::catalog_cli {

// "/api/v1/services" + "/" + the URL-encoded key.
inline std::string ItemPath(const std::string& collection, const std::string& key) {
  return collection + "/" + UrlEncode(key);
}

// Prints one object: --json as is; otherwise "field: value" lines (nested values compact).
inline int PrintObject(const Context& ctx, const Result<boost::json::value>& v) {
  if (!v) return PrintError(v.error());
  if (ctx.json) {
    std::cout << PrettyJson(*v);
    return kExitOk;
  }
  if (!v->is_object()) {
    std::cout << PrettyJson(*v);
    return kExitOk;
  }
  const auto& o = v->get_object();
  size_t width = 0;
  for (const auto& kv : o) width = std::max(width, kv.key().size());
  for (const auto& kv : o) {
    const std::string key(kv.key());
    std::cout << key << ":" << std::string(width + 2 - key.size(), ' ')
              << SanitizeForTerminal(CellText(o, key)) << "\n";
  }
  return kExitOk;
}

// A list as a table of `columns` (JSON keys) under `headers`, or the items as --json.
inline int PrintList(const Context& ctx, const std::string& path,
                     const std::vector<std::string>& headers,
                     const std::vector<std::string>& columns) {
  auto items = ctx.Client().GetItems(path);
  if (!items) return PrintError(items.error());
  if (ctx.json) {
    std::cout << PrettyJson(*items);
    return kExitOk;
  }
  Table table(headers);
  for (const auto& v : *items) {
    if (!v.is_object()) continue;
    std::vector<std::string> row;
    for (const auto& c : columns) row.push_back(SanitizeForTerminal(CellText(v.get_object(), c)));
    table.AddRow(std::move(row));
  }
  std::cout << table.Render();
  return kExitOk;
}

inline int Delete(const Context& ctx, const std::string& collection, const std::string& noun,
                  const std::string& key) {
  auto r = ctx.Client().Delete(ItemPath(collection, key));
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(boost::json::object{{"key", key}, {"deleted", true}});
  } else {
    std::cout << "deleted " << noun << " " << SanitizeForTerminal(key) << "\n";
  }
  return kExitOk;
}

// Prints "created|updated <noun> <key>" (or the object with --json).
inline int PrintChanged(const Context& ctx, const Result<boost::json::value>& v,
                        const std::string& verb, const std::string& noun,
                        const std::string& key_field) {
  if (!v) return PrintError(v.error());
  if (ctx.json) {
    std::cout << PrettyJson(*v);
    return kExitOk;
  }
  const boost::json::object empty;
  const auto& o = v->is_object() ? v->get_object() : empty;
  std::cout << verb << " " << noun << " " << SanitizeForTerminal(CellText(o, key_field)) << "\n";
  return kExitOk;
}

// A list flag as a JSON array of strings.
inline boost::json::array Strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// True when the option was given on the command line (so PATCH sends only those fields).
inline bool Given(const CLI::Option* o) {
  return o != nullptr && o->count() > 0;
}

// The body a Flags type builds: a plain object, or a Result when some flags are parsed here.
inline Result<boost::json::object> AsBody(boost::json::object body) {
  return body;
}
inline Result<boost::json::object> AsBody(Result<boost::json::object> body) {
  return body;
}

// `add` (POST to `collection`) and `update KEY` (PATCH of one item, only the flags given)
// from one Flags type: `Flags::Add(cmd, creating)` declares the flags, `Flags::Body()` builds
// the JSON body. `key_name` is the positional's name ("KEY", "HANDLE") and `key_field` the
// JSON field PrintChanged names the item by.
template <class Flags>
void AddCreateAndUpdate(CLI::App* parent, Context& ctx, const char* collection,
                        const std::string& noun, const std::string& add_help,
                        const std::string& key_name, const std::string& key_field) {
  const std::string path = collection;
  auto add_flags = std::make_shared<Flags>();
  auto* add = parent->add_subcommand("add", add_help);
  add_flags->Add(add, true);
  add->callback([&ctx, add_flags, path, noun, key_field] {
    ctx.run = [&ctx, add_flags, path, noun, key_field] {
      auto body = AsBody(add_flags->Body());
      if (!body) return PrintError(body.error());
      return PrintChanged(ctx, ctx.Client().Post(path, *body), "created", noun, key_field);
    };
  });

  auto update_key = std::make_shared<std::string>();
  auto update_flags = std::make_shared<Flags>();
  auto* update = parent->add_subcommand("update", "Change a " + noun + " (only the flags given)");
  std::string lower = key_name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  update->add_option(key_name, *update_key, "the " + noun + "'s " + lower)->required();
  update_flags->Add(update, false);
  update->callback([&ctx, update_key, update_flags, path, noun, key_field] {
    ctx.run = [&ctx, update_key, update_flags, path, noun, key_field] {
      auto body = AsBody(update_flags->Body());
      if (!body) return PrintError(body.error());
      return PrintChanged(ctx, ctx.Client().Patch(ItemPath(path, *update_key), *body), "updated",
                          noun, key_field);
    };
  });
}

// Registers `show KEY` and `delete KEY` under `parent` for a resource.
inline void AddShowAndDelete(CLI::App* parent, Context& ctx, const std::string& collection,
                             const std::string& noun, const std::string& key_name) {
  auto show_key = std::make_shared<std::string>();
  auto* show = parent->add_subcommand("show", "Show one " + noun);
  show->add_option(key_name, *show_key, "the " + noun + "'s " + key_name)->required();
  show->callback([&ctx, show_key, collection] {
    ctx.run = [&ctx, show_key, collection] {
      return PrintObject(ctx, ctx.Client().Get(ItemPath(collection, *show_key)));
    };
  });
  auto del_key = std::make_shared<std::string>();
  auto* del = parent->add_subcommand("delete", "Delete a " + noun + " (refused while in use)");
  del->add_option(key_name, *del_key, "the " + noun + "'s " + key_name)->required();
  del->callback([&ctx, del_key, collection, noun] {
    ctx.run = [&ctx, del_key, collection, noun] { return Delete(ctx, collection, noun, *del_key); };
  });
}

}  // namespace failsafe::cli::catalog_cli
