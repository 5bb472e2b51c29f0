#pragma once
// `--contact "kind=external;name=Atlassian 技术支持;role=vendor support;phone=+86 400 000 0000"`:
// one service contact (the plan's "external resources") written on the command line. Fields
// are separated by ';' (names often contain commas); the server validates the values.
#include <boost/json.hpp>
#include <string>

#include "base/result.h"

namespace failsafe::cli {

// The contact as the API's `contacts[]` item. Errors name the offending part and list the
// fields that exist; `kind` defaults to "external" (the usual case: vendors, lawyers).
Result<boost::json::object> ParseContactSpec(const std::string& spec);

}  // namespace failsafe::cli
