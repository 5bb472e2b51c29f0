#pragma once
// The one ordered table of every module's schema migrations. New modules append theirs here,
// continuing the numbering (auth owns 1..99). Versions are strictly increasing; a released
// migration is never renumbered or edited.
#include <vector>

#include "store/migrations.h"

namespace failsafe::app {

std::vector<store::Migration> AllMigrations();

}  // namespace failsafe::app
