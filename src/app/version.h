#pragma once
// The build's identity, fixed when CMake configures the tree (version.cc is generated from
// version.cc.in). Thread-safe: these return static strings.
#include <string>
#include <string_view>

namespace failsafe::app {

// The project version from CMake, e.g. "0.1.0".
std::string_view Version();
// The short git commit of the source tree at configure time; "unknown" outside a checkout.
std::string_view GitCommit();
// "0.1.0 (commit 1a2b3c4)", for `failsafe version`, logs and the OpenAPI document.
std::string VersionString();

}  // namespace failsafe::app
