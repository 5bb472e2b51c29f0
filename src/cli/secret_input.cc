#include "cli/secret_input.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <iterator>

namespace failsafe::cli {

Result<std::string> ReadPasswordFromStdin(const std::string& flag) {
  std::string text(std::istreambuf_iterator<char>(std::cin), {});
  // `echo secret | failsafe ...` adds a newline that is not part of the password.
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.empty()) return Err(InvalidArgument("no password on standard input", flag));
  return text;
}

Result<std::string> PromptPassword(const std::string& prompt) {
  if (!::isatty(STDIN_FILENO)) {
    return Err(
        InvalidArgument("standard input is not a terminal: pass the password with --password-stdin",
                        "--password-stdin"));
  }
  termios saved{};
  ::tcgetattr(STDIN_FILENO, &saved);
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  std::cerr << prompt << std::flush;
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::string line;
  std::getline(std::cin, line);
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cerr << "\n";
  if (line.empty()) return Err(InvalidArgument("no password given", "password"));
  return line;
}

}  // namespace failsafe::cli
