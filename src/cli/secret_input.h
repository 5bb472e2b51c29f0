#pragma once
// Reading passwords for the CLI without putting them on the command line (where `ps` and the
// shell history would see them).
#include <string>

#include "base/result.h"

namespace failsafe::cli {

// The whole of standard input, less one trailing newline. kInvalidArgument (field `flag`)
// when it is empty.
Result<std::string> ReadPasswordFromStdin(const std::string& flag = "--password-stdin");

// Asks on the terminal with echo off. kInvalidArgument when standard input is not a terminal
// (scripts must use --password-stdin).
Result<std::string> PromptPassword(const std::string& prompt);

}  // namespace failsafe::cli
