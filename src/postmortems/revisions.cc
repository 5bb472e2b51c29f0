#include "postmortems/revisions.h"

#include <algorithm>

namespace failsafe::postmortems {

std::vector<RevisionProposal> ProposeRevisions(const Postmortem& p) {
  std::vector<const StepEvaluation*> steps;
  for (const auto& e : p.step_evaluations) steps.push_back(&e);
  std::stable_sort(
      steps.begin(), steps.end(),
      [](const StepEvaluation* a, const StepEvaluation* b) { return a->position < b->position; });
  std::vector<RevisionProposal> out;
  for (const StepEvaluation* e : steps) {
    const std::string where = "step " + std::to_string(e->position) + " \"" + e->title + "\" (" +
                              e->step_key + ", " + e->phase + ")";
    const std::string why = e->comment.empty() ? std::string() : ": " + e->comment;
    if (e->verdict == "missing") {
      out.push_back({"step", "add", e->step_key, "Add what was missing at " + where + why});
    } else if (e->verdict == "wrong") {
      out.push_back({"step", "change", e->step_key, "Correct " + where + why});
    }
  }
  for (const auto& item : p.extra_revisions) out.push_back({"free", "other", "", item});
  return out;
}

}  // namespace failsafe::postmortems
