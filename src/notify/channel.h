#pragma once
// Channels: where notifications go (a chat robot, a webhook, an SMTP server), who they are for
// (audiences, scope) and how fast they may be sent. The URL, signing secret and SMTP password
// are sealed at rest with SecretBox and never leave the module whole.
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/secret_box.h"
#include "base/result.h"
#include "notify/senders.h"
#include "store/store.h"

namespace failsafe::notify {

struct Channel {
  int64_t id = 0;
  std::string name, type;
  std::string url_hint;  // "https://oapi.dingtalk.com/…": what may be shown
  bool enabled = true;
  std::vector<std::string> audiences{"internal"};
  std::vector<std::string> services, teams, severities;  // scope; empty = every incident
  int rate_per_second = 0, rate_per_minute = 0;          // 0 = unlimited
  EmailSettings email;  // email channels; `password` always empty here (see sealed)
  int64_t created_at = 0, updated_at = 0;
  // Sealed values.
  std::string url_sealed;
  std::optional<std::string> secret_sealed, smtp_password_sealed;
};

bool IsChannelType(const std::string& type);
bool IsAudience(const std::string& audience);
// The platform's published limits: DingTalk and WeCom 20/min, Feishu 5/s and 100/min,
// Slack 1/s; webhook and email unlimited.
void DefaultRates(const std::string& type, int* per_second, int* per_minute);

// What a create or patch request says. Unset optionals leave the channel as it is (patch).
struct ChannelInput {
  std::optional<std::string> name, type, url, secret, smtp_password;
  std::optional<bool> enabled;
  std::optional<std::vector<std::string>> audiences, services, teams, severities;
  std::optional<int> rate_per_second, rate_per_minute;
  std::optional<std::string> starttls, smtp_user, from, ca_file;
  std::optional<std::vector<std::string>> to;
};

// Reads the JSON body strictly (unknown fields are errors, each error names its field).
Result<ChannelInput> ParseChannelInput(const boost::json::object& body, bool create);
// Applies `in` to `ch` (sealing secrets under the final name) and validates the result.
// `ch` is a fresh Channel{} on create.
Status ApplyChannelInput(const ChannelInput& in, const auth::SecretBox& box, Channel& ch);

// The channel as the API shows it: no URL, secret or password, only hints and has_* flags.
boost::json::object ChannelJson(const Channel& ch);

// Opens the sealed values for sending. kDataLoss when the key changed.
Result<SendTarget> OpenTarget(const Channel& ch, const auth::SecretBox& box);

// ---- storage ----
Result<int64_t> InsertChannel(store::Tx& tx, const Channel& ch);
Status UpdateChannel(store::Tx& tx, const Channel& ch);
Status DeleteChannel(store::Tx& tx, int64_t id);
Result<std::optional<Channel>> LoadChannel(store::Tx& tx, int64_t id);
Result<std::optional<Channel>> LoadChannelByName(store::Tx& tx, const std::string& name);
Result<std::vector<Channel>> ListChannels(store::Tx& tx);

}  // namespace failsafe::notify
