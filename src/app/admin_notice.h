#pragma once
// The one-time notice with a generated admin password, printed to stdout (never the log).
#include <ostream>
#include <string>

namespace failsafe::app {

// Writes a framed bilingual (English / 中文) notice with the username and password.
void PrintAdminPasswordNotice(std::ostream& out, const std::string& username,
                              const std::string& password);

}  // namespace failsafe::app
