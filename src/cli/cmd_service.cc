// failsafe service add|list|show|update|delete: the protected services (catalog).
#include <memory>

#include "cli/catalog_cli.h"
#include "cli/contact_spec.h"

namespace failsafe::cli {
namespace {

using namespace catalog_cli;

constexpr const char* kPath = "/api/v1/services";

struct ServiceFlags {
  std::string key, name, tier, rto, rpo, owner_team, group;
  std::vector<std::string> depends_on, contacts;
  std::map<std::string, CLI::Option*> given;

  void Add(CLI::App* cmd, bool creating) {
    auto* k = cmd->add_option("--key", key, "lowercase key, e.g. jira or erp-finance");
    auto* n = cmd->add_option("--name", name, "display name");
    auto* t = cmd->add_option("--tier", tier, "critical, high, medium or low")
                  ->check(CLI::IsMember({"critical", "high", "medium", "low"}));
    if (creating) {
      k->required();
      n->required();
      t->required();
    }
    given["key"] = k;
    given["name"] = n;
    given["tier"] = t;
    given["rto"] =
        cmd->add_option("--rto", rto, "recovery time objective, e.g. 4h")->type_name("DURATION");
    given["rpo"] =
        cmd->add_option("--rpo", rpo, "recovery point objective, e.g. 1h")->type_name("DURATION");
    given["owner_team"] = cmd->add_option("--owner-team", owner_team, "owning team's key");
    given["status_group"] =
        cmd->add_option("--group", group, "status page group (default \"default\")");
    given["depends_on"] = cmd->add_option("--depends-on", depends_on,
                                          "a service this one needs (repeat for several)");
    given["contacts"] = cmd->add_option(
        "--contact", contacts,
        "a contact, e.g. \"name=Atlassian support;role=vendor;phone=+86 400 000 0000\" "
        "(fields kind (external|internal), name, organisation, role, phone, email, notes; "
        "repeatable; on update the list replaces the old one)");
  }

  Result<boost::json::object> Body() const {
    boost::json::object b;
    auto put = [&](const char* field, const std::string& value) {
      if (Given(given.at(field))) b[field] = value;
    };
    put("key", key);
    put("name", name);
    put("tier", tier);
    put("rto", rto);
    put("rpo", rpo);
    put("owner_team", owner_team);
    put("status_group", group);
    if (Given(given.at("depends_on"))) b["depends_on"] = Strings(depends_on);
    if (Given(given.at("contacts"))) {
      boost::json::array list;
      for (const auto& spec : contacts) {
        FS_ASSIGN_OR_RETURN(auto contact, ParseContactSpec(spec));
        list.push_back(std::move(contact));
      }
      b["contacts"] = std::move(list);
    }
    return b;
  }
};

}  // namespace

void AddServiceCommand(CLI::App& app, Context& ctx) {
  auto* service = app.add_subcommand("service", "Protected services: tier, RTO/RPO, owners");
  service->require_subcommand(1);
  service->footer(kApiFooter);

  AddCreateAndUpdate<ServiceFlags>(service, ctx, kPath, "service", "Add a service", "KEY", "key");

  auto* list = service->add_subcommand("list", "List services");
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      return PrintList(
          ctx, std::string(kPath) + "?limit=500",
          {"KEY", "NAME", "TIER", "RTO", "RPO", "OWNER", "GROUP", "DEPENDS ON"},
          {"key", "name", "tier", "rto", "rpo", "owner_team", "status_group", "depends_on"});
    };
  });

  AddShowAndDelete(service, ctx, kPath, "service", "KEY");
}

}  // namespace failsafe::cli
