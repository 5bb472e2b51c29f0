#include "backup/service/status.h"

#include <algorithm>
#include <map>
#include <set>

#include "backup/service/policy_json.h"
#include "backup/service/policy_store.h"
#include "catalog/catalog.h"

namespace failsafe::backup::service {
namespace bj = boost::json;
namespace {

constexpr int64_t kDefaultRecentMs = 7LL * 24 * 3600 * 1000;

bj::value Opt(const std::optional<int64_t>& v) {
  return v ? bj::value(*v) : bj::value(nullptr);
}

}  // namespace

ThreeTwoOne AssessThreeTwoOne(const std::vector<CopyState>& copies) {
  ThreeTwoOne out;
  std::set<std::string> media;
  for (const auto& c : copies) {
    if (!c.recent) continue;
    ++out.copies;
    media.insert(c.media);
    if (c.offsite) ++out.offsite;
  }
  out.media.assign(media.begin(), media.end());
  out.media_kinds = static_cast<int>(media.size());
  if (out.copies < 3) out.missing.push_back("copies: " + std::to_string(out.copies) + " of 3");
  if (out.media_kinds < 2) {
    out.missing.push_back("media: " + std::to_string(out.media_kinds) + " kind(s) of 2");
  }
  if (out.offsite < 1) out.missing.push_back("offsite: none of 1");
  return out;
}

Result<bj::array> ServiceStatuses(store::Tx& tx, const auth::SecretBox& box, int64_t now_ms,
                                  const std::string& only) {
  FS_ASSIGN_OR_RETURN(auto policies, ListPolicies(tx, box));
  std::map<std::string, std::vector<const Policy*>> by_service;
  for (const auto& p : policies) {
    if (only.empty() || p.service == only) by_service[p.service].push_back(&p);
  }
  bj::array out;
  for (const auto& [key, list] : by_service) {
    FS_ASSIGN_OR_RETURN(auto svc, catalog::FindServiceByKey(tx, key));
    const int64_t rpo = svc ? svc->rpo_ms : 0;
    const int64_t rto = svc ? svc->rto_ms : 0;
    const int64_t recent_ms = rpo > 0 ? rpo : kDefaultRecentMs;
    bj::object o{{"service", key},
                 {"name", svc ? svc->name : std::string()},
                 {"tier", svc ? svc->tier : std::string()},
                 {"in_catalog", svc.has_value()},
                 {"rpo_ms", rpo},
                 {"rto_ms", rto}};
    bj::array names;
    std::vector<CopyState> copies;
    bj::array dests;
    for (const Policy* p : list) {
      names.emplace_back(p->name);
      for (const auto& d : p->destinations) {
        FS_ASSIGN_OR_RETURN(auto good, LastGoodRunTo(tx, p->id, d.url));
        CopyState c{d.url, d.media, d.offsite,
                    p->enabled && good && now_ms - good->started_at <= recent_ms};
        copies.push_back(c);
        dests.push_back(bj::object{
            {"policy", p->name},
            {"url", d.url},
            {"media", d.media},
            {"offsite", d.offsite},
            {"recent", c.recent},
            {"last_good_at", Opt(good ? std::optional(good->started_at) : std::nullopt)}});
      }
    }
    o["policies"] = std::move(names);
    FS_ASSIGN_OR_RETURN(auto good, LastGoodRun(tx, key));
    if (good) {
      const int64_t age = now_ms - good->started_at;
      o["last_good_backup"] = RunJson(*good);
      o["backup_age_ms"] = age;
      o["rpo_met"] = rpo > 0 ? bj::value(age <= rpo) : bj::value(nullptr);
    } else {
      o["last_good_backup"] = nullptr;
      o["backup_age_ms"] = nullptr;
      o["rpo_met"] = false;
    }
    FS_ASSIGN_OR_RETURN(auto drill, LastPassedDrill(tx, key));
    if (drill) {
      o["last_verified_restore"] = DrillJson(*drill);
      o["rto_met"] = rto > 0 ? bj::value(drill->projected_ms <= rto) : bj::value(nullptr);
    } else {
      o["last_verified_restore"] = nullptr;
      o["rto_met"] = false;
    }
    const ThreeTwoOne t = AssessThreeTwoOne(copies);
    bj::array media, missing;
    for (const auto& m : t.media) media.emplace_back(m);
    for (const auto& m : t.missing) missing.emplace_back(m);
    o["three_two_one"] = bj::object{{"ok", t.ok()},
                                    {"copies", t.copies},
                                    {"media_kinds", t.media_kinds},
                                    {"media", std::move(media)},
                                    {"offsite", t.offsite},
                                    {"missing", std::move(missing)},
                                    {"destinations", std::move(dests)}};
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace failsafe::backup::service
