// failsafe silence add|list|expire: silences (静默) through the Alertmanager-compatible API.
#include <iostream>
#include <memory>

#include "base/clock.h"
#include "base/duration.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "watch/alerts/matcher.h"

namespace failsafe::cli {
namespace {

namespace bj = boost::json;

struct AddOptions {
  std::vector<std::string> matchers;
  std::string duration = "1h";
  std::string comment, author;
};

int Add(const Context& ctx, const AddOptions& o) {
  bj::array matchers;
  for (size_t i = 0; i < o.matchers.size(); ++i) {
    auto m = watch::alerts::Matcher::Parse(o.matchers[i], "MATCHER " + std::to_string(i + 1));
    if (!m) return PrintError(m.error());
    matchers.push_back(bj::object{{"name", m->name()},
                                  {"value", m->value()},
                                  {"isRegex", m->is_regex()},
                                  {"isEqual", m->is_equal()}});
  }
  auto d = ParseDuration(o.duration);
  if (!d || d->count() <= 0) {
    return PrintError(InvalidArgument("--duration must be a duration such as 2h or 30m, got \"" +
                                      o.duration + "\""));
  }
  const int64_t now = SystemClock::Instance().NowMillis();
  const char* user = std::getenv("USER");
  bj::object body{{"matchers", std::move(matchers)},
                  {"startsAt", FormatRfc3339(now)},
                  {"endsAt", FormatRfc3339(now + d->count())},
                  {"createdBy", !o.author.empty() ? o.author : (user ? user : "failsafe-cli")},
                  {"comment", o.comment}};
  auto r = ctx.Client().Post("/api/v2/silences", body);
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
  } else {
    std::cout << CellText(r->as_object(), "silenceID") << "\n";
  }
  return kExitOk;
}

std::string MatchersText(const bj::object& s) {
  std::string out;
  if (const auto* ms = s.if_contains("matchers"); ms && ms->is_array()) {
    for (const auto& m : ms->as_array()) {
      if (!m.is_object()) continue;
      const auto& mo = m.as_object();
      const bool regex = mo.contains("isRegex") && mo.at("isRegex") == true;
      const bool equal = !mo.contains("isEqual") || mo.at("isEqual") == true;
      out += (out.empty() ? "" : " ") + CellText(mo, "name") +
             (regex ? (equal ? "=~" : "!~") : (equal ? "=" : "!=")) + "\"" + CellText(mo, "value") +
             "\"";
    }
  }
  return out;
}

int List(const Context& ctx, bool expired) {
  auto r = ctx.Client().Get("/api/v2/silences");
  if (!r) return PrintError(r.error());
  bj::array shown;
  if (r->is_array()) {
    for (const auto& v : r->as_array()) {
      if (!v.is_object()) continue;
      const auto* status = v.as_object().if_contains("status");
      const bool is_expired =
          status && status->is_object() && CellText(status->as_object(), "state") == "expired";
      if (is_expired == expired) shown.push_back(v);
    }
  }
  if (ctx.json) {
    std::cout << PrettyJson(shown);
    return kExitOk;
  }
  Table table({"ID", "MATCHERS", "STATE", "ENDS", "CREATED BY", "COMMENT"});
  for (const auto& v : shown) {
    const auto& s = v.as_object();
    table.AddRow({CellText(s, "id"), SanitizeForTerminal(MatchersText(s)),
                  CellText(s.at("status").as_object(), "state"), CellText(s, "endsAt"),
                  SanitizeForTerminal(CellText(s, "createdBy")),
                  SanitizeForTerminal(CellText(s, "comment"))});
  }
  std::cout << table.Render();
  return kExitOk;
}

int Expire(const Context& ctx, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    auto r = ctx.Client().Delete("/api/v2/silence/" + id);
    if (!r) return PrintError(r.error());
    if (!ctx.json) std::cout << "expired silence " << id << "\n";
  }
  if (ctx.json) std::cout << PrettyJson(bj::object{{"expired", bj::value_from(ids)}});
  return kExitOk;
}

}  // namespace

void AddSilenceCommand(CLI::App& app, Context& ctx) {
  auto* silence = app.add_subcommand("silence", "Mute alerts by label matchers for a while");
  silence->require_subcommand(1);
  silence->footer(kApiFooter);

  auto add_opts = std::make_shared<AddOptions>();
  auto* add = silence->add_subcommand("add", "Add a silence and print its id");
  add->add_option("MATCHER", add_opts->matchers,
                  "label matchers: service=jira, severity=~\"P3|P4\", alertname!=Heartbeat")
      ->required();
  add->add_option("--duration", add_opts->duration, "how long, e.g. 2h (default 1h)")
      ->type_name("DURATION");
  add->add_option("--comment,-c", add_opts->comment, "why (shown to everyone)")->required();
  add->add_option("--author,-a", add_opts->author, "who (default: $USER)");
  add->callback([&ctx, add_opts] { ctx.run = [&ctx, add_opts] { return Add(ctx, *add_opts); }; });

  auto expired = std::make_shared<bool>(false);
  auto* list = silence->add_subcommand("list", "List active and pending silences");
  list->add_flag("--expired", *expired, "list expired silences instead");
  list->callback([&ctx, expired] { ctx.run = [&ctx, expired] { return List(ctx, *expired); }; });

  auto ids = std::make_shared<std::vector<std::string>>();
  auto* expire = silence->add_subcommand("expire", "End silences now (they stay listed)");
  expire->add_option("ID", *ids, "silence ids (see `failsafe silence list`)")->required();
  expire->callback([&ctx, ids] { ctx.run = [&ctx, ids] { return Expire(ctx, *ids); }; });
}

}  // namespace failsafe::cli
