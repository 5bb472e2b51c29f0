#pragma once
// Plan revisions a postmortem proposes: one per checklist step judged "missing" or "wrong",
// then the reviewers' free items. A proposal is a suggestion for the plan's owner; nothing
// changes the plan until someone imports a new version.
#include <string>
#include <vector>

#include "postmortems/postmortem.h"

namespace failsafe::postmortems {

struct RevisionProposal {
  std::string source;    // "step" | "free"
  std::string action;    // "add" (something missing at/after the step) | "change" | "other"
  std::string step_key;  // "" for free items
  std::string text;      // English sentence; the comment is quoted in it
};

// In step order, then the free items in the order given.
std::vector<RevisionProposal> ProposeRevisions(const Postmortem& p);

}  // namespace failsafe::postmortems
