// failsafe channel add|test|list|show|remove: notification channels through the API.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

namespace bj = boost::json;

struct AddOptions {
  std::string type, name, url, secret;
  std::vector<std::string> audiences, services, teams, severities;
  int rate_per_second = -1, rate_per_minute = -1;
  bool disabled = false;
  std::string smtp_user, smtp_password, from, starttls, ca_file;
  std::vector<std::string> to;
};

bj::array Strings(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// A channel given as its ID or its name.
Result<bj::object> Resolve(const Context& ctx, const std::string& ref) {
  ApiClient client = ctx.Client();
  const bool numeric = !ref.empty() && ref.find_first_not_of("0123456789") == std::string::npos;
  if (numeric) {
    auto ch = client.Get("/api/v1/channels/" + ref);
    if (!ch) return Err(ch.error());
    if (ch->is_object()) return ch->as_object();
  }
  auto all = client.GetItems("/api/v1/channels");
  if (!all) return Err(all.error());
  for (const auto& v : *all) {
    if (v.is_object() && v.as_object().contains("name") && v.as_object().at("name").is_string() &&
        v.as_object().at("name").as_string() == ref) {
      return v.as_object();
    }
  }
  return Err(NotFound("no channel named '" + ref + "' (see `failsafe channel list`)"));
}

std::string List(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  if (!v || !v->is_array() || v->as_array().empty()) return "-";
  std::string out;
  for (const auto& s : v->as_array()) {
    if (!out.empty()) out += ",";
    out += s.is_string() ? std::string(s.as_string()) : bj::serialize(s);
  }
  return out;
}

std::string ScopeText(const bj::object& ch) {
  const bj::value* scope = ch.if_contains("scope");
  if (!scope || !scope->is_object()) return "all";
  const auto& s = scope->as_object();
  std::string out;
  for (const char* k : {"services", "teams", "severities"}) {
    const std::string l = List(s, k);
    if (l != "-") out += (out.empty() ? "" : " ") + std::string(k) + "=" + l;
  }
  return out.empty() ? "all incidents" : out;
}

std::string RateText(const bj::object& ch) {
  const bj::value* r = ch.if_contains("rate_limit");
  if (!r || !r->is_object()) return "-";
  std::string out;
  const auto& o = r->as_object();
  if (CellText(o, "per_second") != "0") out += CellText(o, "per_second") + "/s";
  if (CellText(o, "per_minute") != "0")
    out += (out.empty() ? "" : " ") + CellText(o, "per_minute") + "/min";
  return out.empty() ? "unlimited" : out;
}

void PrintChannel(const bj::object& ch) {
  auto line = [](const char* k, const std::string& v) {
    std::cout << k << std::string(12 - std::string(k).size(), ' ') << SanitizeForTerminal(v)
              << "\n";
  };
  line("id", CellText(ch, "id"));
  line("name", CellText(ch, "name"));
  line("type", CellText(ch, "type"));
  line("url", CellText(ch, "url"));
  line("secret", CellText(ch, "has_secret") == "yes" ? "set" : "none");
  line("enabled", CellText(ch, "enabled"));
  line("audiences", List(ch, "audiences"));
  line("scope", ScopeText(ch));
  line("rate limit", RateText(ch));
  if (const bj::value* e = ch.if_contains("email"); e && e->is_object()) {
    const auto& m = e->as_object();
    line("from", CellText(m, "from"));
    line("to", List(m, "to"));
    line("starttls", CellText(m, "starttls"));
    line("smtp user", CellText(m, "user"));
  }
}

int Add(const Context& ctx, const AddOptions& o) {
  bj::object body{{"name", o.name}, {"type", o.type}, {"url", o.url}};
  if (!o.secret.empty()) body["secret"] = o.secret;
  if (!o.audiences.empty()) body["audiences"] = Strings(o.audiences);
  if (o.disabled) body["enabled"] = false;
  bj::object scope;
  if (!o.services.empty()) scope["services"] = Strings(o.services);
  if (!o.teams.empty()) scope["teams"] = Strings(o.teams);
  if (!o.severities.empty()) scope["severities"] = Strings(o.severities);
  if (!scope.empty()) body["scope"] = scope;
  bj::object rate;
  if (o.rate_per_second >= 0) rate["per_second"] = o.rate_per_second;
  if (o.rate_per_minute >= 0) rate["per_minute"] = o.rate_per_minute;
  if (!rate.empty()) body["rate_limit"] = rate;
  bj::object email;
  if (!o.smtp_user.empty()) email["user"] = o.smtp_user;
  if (!o.smtp_password.empty()) email["password"] = o.smtp_password;
  if (!o.from.empty()) email["from"] = o.from;
  if (!o.to.empty()) email["to"] = Strings(o.to);
  if (!o.starttls.empty()) email["starttls"] = o.starttls;
  if (!o.ca_file.empty()) email["ca_file"] = o.ca_file;
  if (!email.empty()) body["email"] = email;
  auto ch = ctx.Client().Post("/api/v1/channels", body);
  if (!ch) return PrintError(ch.error());
  if (ctx.json) {
    std::cout << PrettyJson(*ch);
    return kExitOk;
  }
  const bj::object& c = ch->as_object();
  std::cout << "added channel " << CellText(c, "id") << " \""
            << SanitizeForTerminal(CellText(c, "name")) << "\" (" << CellText(c, "type") << ", "
            << ScopeText(c) << ", " << RateText(c) << ")\n"
            << "Try it: failsafe channel test " << SanitizeForTerminal(CellText(c, "name")) << "\n";
  return kExitOk;
}

int ListChannels(const Context& ctx) {
  auto all = ctx.Client().GetItems("/api/v1/channels");
  if (!all) return PrintError(all.error());
  if (ctx.json) {
    std::cout << PrettyJson(*all);
    return kExitOk;
  }
  Table table({"ID", "NAME", "TYPE", "ENABLED", "AUDIENCES", "SCOPE", "RATE", "URL"});
  for (const auto& v : *all) {
    if (!v.is_object()) continue;
    const auto& c = v.as_object();
    table.AddRow({CellText(c, "id"), CellText(c, "name"), CellText(c, "type"),
                  CellText(c, "enabled"), List(c, "audiences"), ScopeText(c), RateText(c),
                  CellText(c, "url")});
  }
  std::cout << table.Render();
  return kExitOk;
}

int Show(const Context& ctx, const std::string& ref) {
  auto ch = Resolve(ctx, ref);
  if (!ch) return PrintError(ch.error());
  if (ctx.json) {
    std::cout << PrettyJson(*ch);
  } else {
    PrintChannel(*ch);
  }
  return kExitOk;
}

struct TestOptions {
  std::string ref, title, message, language;
  std::vector<std::string> to;
};

int Test(const Context& ctx, const TestOptions& o) {
  auto ch = Resolve(ctx, o.ref);
  if (!ch) return PrintError(ch.error());
  bj::object body;
  if (!o.title.empty()) body["title"] = o.title;
  if (!o.message.empty()) body["markdown"] = o.message;
  if (!o.language.empty()) body["language"] = o.language;
  if (!o.to.empty()) body["to"] = Strings(o.to);
  auto r = ctx.Client().Post("/api/v1/channels/" + CellText(*ch, "id") + "/test", body);
  if (!r) return PrintError(r.error());
  const bj::object empty;
  const bj::object& res = r->is_object() ? r->as_object() : empty;
  const bool ok = CellText(res, "delivered") == "yes";
  if (ctx.json) {
    std::cout << PrettyJson(*r);
  } else if (ok) {
    std::cout << "test message delivered to " << SanitizeForTerminal(CellText(*ch, "name")) << "\n";
  } else {
    std::cerr << "failsafe: test message to " << SanitizeForTerminal(CellText(*ch, "name"))
              << " failed: " << SanitizeForTerminal(CellText(res, "error")) << "\n";
  }
  return ok ? kExitOk : kExitError;
}

int Remove(const Context& ctx, const std::string& ref) {
  auto ch = Resolve(ctx, ref);
  if (!ch) return PrintError(ch.error());
  auto r = ctx.Client().Delete("/api/v1/channels/" + CellText(*ch, "id"));
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"id", ch->at("id")}, {"removed", true}});
  } else {
    std::cout << "removed channel " << SanitizeForTerminal(CellText(*ch, "name")) << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddChannelCommand(CLI::App& app, Context& ctx) {
  auto* channel = app.add_subcommand(
      "channel", "Manage notification channels (DingTalk, Feishu, WeCom, Slack, webhook, email)");
  channel->require_subcommand(1);
  channel->footer(kApiFooter);

  auto a = std::make_shared<AddOptions>();
  auto* add = channel->add_subcommand("add", "Add a channel");
  add->add_option("--type", a->type, "dingtalk, feishu, wecom, slack, webhook or email")
      ->required()
      ->check(CLI::IsMember({"dingtalk", "feishu", "wecom", "slack", "webhook", "email"}));
  add->add_option("--name", a->name, "a unique name, e.g. ops-dingtalk")->required();
  add->add_option("--url", a->url,
                  "the robot's webhook URL, or smtp://host:port / smtps://host:port for email")
      ->required();
  add->add_option("--secret", a->secret, "signing secret (DingTalk 加签, Feishu, webhook)");
  add->add_option("--audience", a->audiences, "internal, customers or leadership (repeatable)");
  add->add_option("--service", a->services, "only incidents of this service (repeatable)");
  add->add_option("--team", a->teams, "only incidents of this team (repeatable)");
  add->add_option("--severity", a->severities, "only these severities, P1..P4 (repeatable)");
  add->add_option("--rate-per-minute", a->rate_per_minute, "override the platform's limit");
  add->add_option("--rate-per-second", a->rate_per_second, "override the platform's limit");
  add->add_flag("--disabled", a->disabled, "add it switched off");
  add->add_option("--smtp-user", a->smtp_user, "email: SMTP AUTH user");
  add->add_option("--smtp-password", a->smtp_password, "email: SMTP AUTH password");
  add->add_option("--from", a->from, "email: sender address");
  add->add_option("--to", a->to, "email: default recipient (repeatable)");
  add->add_option("--starttls", a->starttls, "email: required (default), optional or off")
      ->check(CLI::IsMember({"required", "optional", "off"}));
  add->add_option("--smtp-ca-file", a->ca_file, "email: PEM CA file (on the server) to trust");
  add->callback([&ctx, a] { ctx.run = [&ctx, a] { return Add(ctx, *a); }; });

  auto t = std::make_shared<TestOptions>();
  auto* test = channel->add_subcommand("test", "Send a test message now and report the outcome");
  test->add_option("CHANNEL", t->ref, "the channel's ID or name")->required();
  test->add_option("--title", t->title, "title of the test message");
  test->add_option("--message", t->message, "body (Markdown)");
  test->add_option("--language", t->language, "en or zh-CN")->check(CLI::IsMember({"en", "zh-CN"}));
  test->add_option("--to", t->to, "email: send the test to this address (repeatable)");
  test->callback([&ctx, t] { ctx.run = [&ctx, t] { return Test(ctx, *t); }; });

  auto* list = channel->add_subcommand("list", "List channels (URLs redacted)");
  list->callback([&ctx] { ctx.run = [&ctx] { return ListChannels(ctx); }; });

  auto show_ref = std::make_shared<std::string>();
  auto* show = channel->add_subcommand("show", "Show one channel");
  show->add_option("CHANNEL", *show_ref, "the channel's ID or name")->required();
  show->callback([&ctx, show_ref] { ctx.run = [&ctx, show_ref] { return Show(ctx, *show_ref); }; });

  auto rm_ref = std::make_shared<std::string>();
  auto* remove = channel->add_subcommand("remove", "Remove a channel");
  remove->add_option("CHANNEL", *rm_ref, "the channel's ID or name")->required();
  remove->callback([&ctx, rm_ref] { ctx.run = [&ctx, rm_ref] { return Remove(ctx, *rm_ref); }; });
}

}  // namespace failsafe::cli
