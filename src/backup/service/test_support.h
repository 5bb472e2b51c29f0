#pragma once
// Test-only: the schema the backup service needs (auth, catalog, its own) on a real store, and
// a catalog service to attach policies to.
#include <gtest/gtest.h>

#include "auth/auth_module.h"
#include "auth/secret_box.h"
#include "backup/service/backup_service_module.h"
#include "catalog/catalog_module.h"
#include "catalog/catalog_store.h"
#include "store/testing/migrated_store.h"

namespace failsafe::backup::service::testing {

inline std::vector<store::Migration> Schema() {
  std::vector<store::Migration> all;
  for (auto list : {auth::Migrations(), catalog::Migrations(), Migrations()}) {
    for (auto& m : list) all.push_back(std::move(m));
  }
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  return all;
}

inline auth::SecretBox TestBox() {
  return *auth::SecretBox::Create(std::string(32, 'k'));
}

inline Status AddService(store::Store& store, const std::string& key, const std::string& tier,
                         int64_t rto_ms, int64_t rpo_ms) {
  catalog::Service s;
  s.key = key;
  s.name = "Service " + key;
  s.tier = tier;
  s.group = "default";
  s.rto_ms = rto_ms;
  s.rpo_ms = rpo_ms;
  return store.Write(
      [&](store::Tx& tx) { return StatusOf(catalog::InsertService(tx, s, 1'700'000'000'000)); });
}

}  // namespace failsafe::backup::service::testing
