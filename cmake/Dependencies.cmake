# Every dependency is a Debian 12 package installed by scripts/install-deps.
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tl-expected REQUIRED)
find_package(CURL REQUIRED)
find_package(date REQUIRED)  # date::date-tz: IANA time zones from the OS tzdb (catalog schedules)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)          # label matchers, log captures
pkg_check_modules(HYPERSCAN REQUIRED IMPORTED_TARGET libhs)  # many log patterns in one pass
pkg_check_modules(CARES REQUIRED IMPORTED_TARGET libcares)   # DNS probes against a given server
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)   # fail2ban regexes RE2 cannot run (lookaround)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)       # backup chunk compression
pkg_check_modules(LIBSSH REQUIRED IMPORTED_TARGET libssh)     # backup SFTP destinations
if(FAILSAFE_TESTS)
  find_package(GTest REQUIRED)
endif()

# Beast, Asio and Boost.JSON are used in separate-compilation-free header mode except JSON,
# which links the shared library Debian ships.
add_library(failsafe_boost INTERFACE)
target_link_libraries(failsafe_boost INTERFACE Boost::headers Boost::json Threads::Threads)
target_compile_definitions(failsafe_boost INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)

# jemalloc for the server binary (see docs/adr/0004-allocator.md); sanitizer and fuzz builds
# keep their own allocator.
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
