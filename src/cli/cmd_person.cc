// failsafe person add|list|show|update|delete: people and how to reach them (catalog).
#include <memory>

#include "cli/catalog_cli.h"

namespace failsafe::cli {
namespace {

using namespace catalog_cli;

constexpr const char* kPath = "/api/v1/people";

struct PersonFlags {
  std::string handle, name, language, email, phone, dingtalk, feishu, wecom;
  int64_t user_id = 0;
  std::map<std::string, std::pair<CLI::Option*, const std::string*>> text;
  CLI::Option* user_opt = nullptr;

  void Add(CLI::App* cmd, bool creating) {
    auto* h = cmd->add_option("--handle", handle, "lowercase handle, e.g. lilei");
    auto* n = cmd->add_option("--name", name, "full name, e.g. 李雷");
    if (creating) {
      h->required();
      n->required();
    }
    text["handle"] = {h, &handle};
    text["name"] = {n, &name};
    text["language"] = {cmd->add_option("--language", language, "zh-CN (default) or en")
                            ->check(CLI::IsMember({"zh-CN", "en"})),
                        &language};
    text["email"] = {cmd->add_option("--email", email, "email address"), &email};
    text["phone"] = {cmd->add_option("--phone", phone, "phone number"), &phone};
    text["dingtalk_user_id"] = {cmd->add_option("--dingtalk", dingtalk, "DingTalk user id"),
                                &dingtalk};
    text["feishu_user_id"] = {cmd->add_option("--feishu", feishu, "Feishu user id"), &feishu};
    text["wecom_user_id"] = {cmd->add_option("--wecom", wecom, "WeCom user id"), &wecom};
    user_opt = cmd->add_option("--user-id", user_id, "the person's login user id (0 clears)");
  }
  boost::json::object Body() const {
    boost::json::object b;
    for (const auto& [field, opt] : text) {
      if (Given(opt.first)) b[field] = *opt.second;
    }
    if (Given(user_opt)) {
      b["user_id"] = user_id > 0 ? boost::json::value(user_id) : boost::json::value(nullptr);
    }
    return b;
  }
};

}  // namespace

void AddPersonCommand(CLI::App& app, Context& ctx) {
  auto* person = app.add_subcommand("person", "People: contact methods and language");
  person->require_subcommand(1);
  person->footer(kApiFooter);

  AddCreateAndUpdate<PersonFlags>(person, ctx, kPath, "person",
                                  "Add a person (with or without a login)", "HANDLE", "handle");

  auto* list = person->add_subcommand("list", "List people");
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      return PrintList(ctx, std::string(kPath) + "?limit=500",
                       {"HANDLE", "NAME", "LANGUAGE", "EMAIL", "PHONE", "USER ID"},
                       {"handle", "name", "language", "email", "phone", "user_id"});
    };
  });

  AddShowAndDelete(person, ctx, kPath, "person", "HANDLE");
}

}  // namespace failsafe::cli
