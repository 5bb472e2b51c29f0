#pragma once
// The YAML layer of ServerConfig (internal to app/). See config.h for the precedence rules.
#include <string>
#include <string_view>

#include "app/config.h"

namespace failsafe::app {

// Applies the YAML document `text` over `config`. `file_name` is used in error messages,
// which name the line and the dotted key: "config.yaml:7: key 'http.idle_timout' is unknown
// (did you mean 'idle_timeout'?)". Unknown and repeated keys are errors; a key with an empty
// value (`tls_cert:`) leaves the current value alone. On failure `config` may be partly
// updated and should be discarded.
Status ApplyYamlConfig(std::string_view text, const std::string& file_name, ServerConfig& config);

}  // namespace failsafe::app
