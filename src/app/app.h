#pragma once
// Running the server: the wiring of every module into one process (`failsafe serve`).
#include "app/config.h"

namespace failsafe::app {

// Starts the server and blocks until SIGTERM or SIGINT, then stops gracefully (in-flight
// requests finish), closes the store and returns 0. Returns 1, after printing
// "failsafe: <reason>" to stderr, when it cannot start: the data directory, key files or store
// cannot be opened, the store's schema is newer than this binary, the admin password from
// FAILSAFE_ADMIN_PASSWORD breaks the password policy, or the address cannot be bound.
//
// stdout carries only what a person starting the server needs: the listening URL, the login
// hint and, on the first start only, the generated admin password (never written to the log).
// Must be called from the main thread before other threads exist: it blocks SIGTERM and
// SIGINT so that every thread it starts inherits the mask and one thread waits for them.
int RunServer(const ServerConfig& config);

}  // namespace failsafe::app
