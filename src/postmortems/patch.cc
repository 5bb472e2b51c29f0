#include "postmortems/patch.h"

#include "base/json.h"

namespace failsafe::postmortems {
namespace {

namespace bj = boost::json;

constexpr size_t kMaxText = 20'000;
constexpr size_t kMaxItem = 2'000;
constexpr size_t kMaxItems = 100;

// Reads an array of strings at `field`; records the first problem in `error`.
std::vector<std::string> ReadStrings(const bj::array& a, const std::string& field, Status& error) {
  std::vector<std::string> out;
  if (a.size() > kMaxItems) {
    error =
        InvalidArgument(field + " may have at most " + std::to_string(kMaxItems) + " items", field);
    return out;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string item_field = field + "[" + std::to_string(i) + "]";
    if (!a[i].is_string()) {
      error = InvalidArgument(item_field + " must be a string", item_field);
      return {};
    }
    std::string s(a[i].get_string());
    if (s.size() > kMaxItem) {
      error = InvalidArgument(item_field + " is longer than " + std::to_string(kMaxItem) + " bytes",
                              item_field);
      return {};
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

Result<std::vector<RootCause>> ReadRootCauses(const bj::array& a) {
  std::vector<RootCause> out;
  if (a.size() > kMaxItems) return Err(InvalidArgument("too many root causes", "root_causes"));
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string prefix = "root_causes[" + std::to_string(i) + "]";
    if (!a[i].is_object()) return Err(InvalidArgument(prefix + " must be an object", prefix));
    json::ObjectReader r(a[i].get_object(), prefix);
    RootCause c;
    c.category = r.RequiredString("category", 64);
    c.description = r.OptionalString("description", kMaxItem).value_or("");
    const bj::array* whys = r.OptionalArray("whys");
    FS_RETURN_IF_ERROR(r.Finish());
    if (!IsRootCauseCategory(c.category)) {
      return Err(InvalidArgument(prefix + ".category must be one of " +
                                     JoinNames(RootCauseCategories()) + ", got \"" + c.category +
                                     "\"",
                                 prefix + ".category"));
    }
    if (whys != nullptr) {
      if (whys->size() > kMaxWhys) {
        return Err(InvalidArgument(prefix + ".whys may have at most 5 entries (the five whys)",
                                   prefix + ".whys"));
      }
      Status error;
      c.whys = ReadStrings(*whys, prefix + ".whys", error);
      if (!error.ok()) return Err(error);
    }
    out.push_back(std::move(c));
  }
  return out;
}

Status MergeEvaluations(std::vector<StepEvaluation>& evals, const bj::array& a) {
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string prefix = "step_evaluations[" + std::to_string(i) + "]";
    if (!a[i].is_object()) return InvalidArgument(prefix + " must be an object", prefix);
    json::ObjectReader r(a[i].get_object(), prefix);
    const std::string key = r.RequiredString("step_key", 200);
    const auto verdict = r.OptionalString("verdict", 32);
    const auto comment = r.OptionalString("comment", kMaxItem);
    FS_RETURN_STATUS_IF_ERROR(r.Finish());
    StepEvaluation* target = nullptr;
    for (auto& e : evals) {
      if (e.step_key == key) target = &e;
    }
    if (target == nullptr) {
      return InvalidArgument(prefix + ".step_key \"" + key +
                                 "\" is not a step of the plan that ran (see step_evaluations)",
                             prefix + ".step_key");
    }
    if (verdict) {
      if (!IsStepVerdict(*verdict)) {
        return InvalidArgument(prefix + ".verdict must be one of " + JoinNames(StepVerdicts()) +
                                   ", got \"" + *verdict + "\"",
                               prefix + ".verdict");
      }
      target->verdict = *verdict;
    }
    if (comment) target->comment = *comment;
  }
  return Status::Ok();
}

}  // namespace

bool TransitionAllowed(std::string_view from, std::string_view to) {
  if (from == to) return true;
  if (from == kDraft) return to == kInReview;
  if (from == kInReview) return to == kDraft || to == kPublished;
  return false;
}

Status ApplyPatch(Postmortem& p, const boost::json::object& body, std::string_view actor,
                  int64_t now) {
  bj::object rest = body;
  rest.erase("users_affected");  // a string or a number: read below
  json::ObjectReader r(rest);
  const auto title = r.OptionalString("title", 500);
  const auto summary = r.OptionalString("summary", kMaxText);
  const auto impact = r.OptionalString("impact", kMaxText);
  const bj::array* services = r.OptionalArray("impacted_services");
  const bj::array* causes = r.OptionalArray("root_causes");
  const bj::array* well = r.OptionalArray("went_well");
  const bj::array* badly = r.OptionalArray("went_badly");
  const bj::array* evals = r.OptionalArray("step_evaluations");
  const bj::array* extra = r.OptionalArray("extra_revisions");
  const auto status = r.OptionalString("status", 32);
  FS_RETURN_STATUS_IF_ERROR(r.Finish());

  Postmortem next = p;
  if (title) {
    if (title->empty()) return InvalidArgument("title must not be empty", "title");
    next.title = *title;
  }
  if (summary) next.summary = *summary;
  if (impact) next.impact = *impact;
  Status error;
  if (services) next.impacted_services = ReadStrings(*services, "impacted_services", error);
  if (well && error.ok()) next.went_well = ReadStrings(*well, "went_well", error);
  if (badly && error.ok()) next.went_badly = ReadStrings(*badly, "went_badly", error);
  if (extra && error.ok()) next.extra_revisions = ReadStrings(*extra, "extra_revisions", error);
  FS_RETURN_STATUS_IF_ERROR(error);
  if (causes) {
    FS_ASSIGN_OR_RETURN_STATUS(next.root_causes, ReadRootCauses(*causes));
  }
  if (evals) FS_RETURN_STATUS_IF_ERROR(MergeEvaluations(next.step_evaluations, *evals));
  if (const bj::value* users = body.if_contains("users_affected")) {
    if (users->is_string()) {
      if (users->get_string().size() > kMaxItem) {
        return InvalidArgument("users_affected is too long", "users_affected");
      }
      next.users_affected = std::string(users->get_string());
      next.users_affected_count.reset();
    } else if ((users->is_int64() && users->get_int64() >= 0) || users->is_uint64()) {
      const int64_t n =
          users->is_int64() ? users->get_int64() : static_cast<int64_t>(users->get_uint64());
      next.users_affected = std::to_string(n);
      next.users_affected_count = n;
    } else if (users->is_null()) {
      next.users_affected.clear();
      next.users_affected_count.reset();
    } else {
      return InvalidArgument("users_affected must be a text or a non-negative whole number",
                             "users_affected");
    }
  }
  const bool content_changed = body.size() > (status ? 1u : 0u);
  if (p.status == kPublished && (content_changed || (status && *status != kPublished))) {
    return Conflict("postmortem " + std::to_string(p.id) + " is published and no longer changes");
  }
  if (status) {
    if (*status != kDraft && *status != kInReview && *status != kPublished) {
      return InvalidArgument("status must be one of draft, in_review, published", "status");
    }
    if (!TransitionAllowed(p.status, *status)) {
      return Conflict("postmortem " + std::to_string(p.id) + " cannot go from " + p.status +
                      " to " + *status + " (draft -> in_review -> published)");
    }
    if (*status == kPublished && p.status != kPublished) {
      if (next.summary.empty()) {
        return Conflict("write a summary before publishing postmortem " + std::to_string(p.id));
      }
      if (next.root_causes.empty()) {
        return Conflict("name at least one root cause before publishing postmortem " +
                        std::to_string(p.id));
      }
      next.published_at = now;
      next.published_by = std::string(actor);
    }
    next.status = *status;
  }
  next.updated_at = now;
  p = std::move(next);
  return Status::Ok();
}

}  // namespace failsafe::postmortems
