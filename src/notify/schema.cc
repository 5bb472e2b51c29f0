// Migrations() (declared in notify_module.h): the notify module's tables, versions 120..129.
// Released versions are never edited; add new ones at the end.
#include "notify/notify_module.h"

namespace failsafe::notify {

std::vector<store::Migration> Migrations() {
  return {
      {120, "notify_channels", R"sql(
CREATE TABLE notify_channels (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  url_sealed TEXT NOT NULL,
  url_hint TEXT NOT NULL,
  secret_sealed TEXT,
  enabled {{int}} NOT NULL DEFAULT 1,
  audiences TEXT NOT NULL DEFAULT '["internal"]',
  scope_services TEXT NOT NULL DEFAULT '[]',
  scope_teams TEXT NOT NULL DEFAULT '[]',
  scope_severities TEXT NOT NULL DEFAULT '[]',
  rate_per_second {{int}} NOT NULL DEFAULT 0,
  rate_per_minute {{int}} NOT NULL DEFAULT 0,
  email_settings TEXT NOT NULL DEFAULT '{}',
  smtp_password_sealed TEXT,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
)
)sql"},
      {121, "notify_outbox", R"sql(
CREATE TABLE notify_outbox (
  id {{id}},
  idempotency_key TEXT NOT NULL,
  channel_id {{int}} NOT NULL,
  channel_name TEXT NOT NULL,
  channel_type TEXT NOT NULL,
  incident_id {{int}},
  kind TEXT NOT NULL,
  audience TEXT NOT NULL,
  title TEXT NOT NULL,
  message TEXT NOT NULL,
  email_to TEXT NOT NULL DEFAULT '[]',
  state TEXT NOT NULL,
  attempts {{int}} NOT NULL DEFAULT 0,
  next_attempt_at {{int}} NOT NULL,
  lease_until {{int}} NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  digest_id {{int}},
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL,
  delivered_at {{int}},
  UNIQUE (idempotency_key, channel_id)
);
CREATE INDEX notify_outbox_due ON notify_outbox (state, next_attempt_at);
CREATE INDEX notify_outbox_incident ON notify_outbox (incident_id, id);
CREATE INDEX notify_outbox_channel ON notify_outbox (channel_id, state)
)sql"},
  };
}

}  // namespace failsafe::notify
