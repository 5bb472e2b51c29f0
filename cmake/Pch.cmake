# Precompiled headers (docs/adr/0012-build-time.md). Every translation unit parses the same
# standard library, Boost.JSON and tl::expected headers (and, in tests, gtest) before its own
# code; parsing them once per build instead of once per file cuts the sanitizer and fuzz builds
# CI makes from scratch. The Makefile turns them on there (both -O0) and not in the -O2 release
# build: gcc 12 loses the system-header mark of code that comes from a precompiled header, and
# its known -Warray-bounds false positive on std::string's operator+ (inlined at -O2) then
# breaks -Werror.
#
# Two shared headers, each built once on a target of its own and reused by every other target:
# failsafe_pch for code, failsafe_pch_test for targets that link gtest. gcc uses a precompiled
# header only when every macro defined while building it is defined the same way where it is
# used, so the two pch targets carry only the definitions every failsafe target has (those of
# failsafe_options and failsafe_boost, -pthread included) and nothing else.
include(${CMAKE_CURRENT_LIST_DIR}/Targets.cmake)

option(FAILSAFE_PCH "Precompile the common headers (make test-sanitize and make fuzz do)" OFF)

set(failsafe_pch_headers
  <algorithm> <array> <atomic> <charconv> <chrono> <cstddef> <cstdint> <cstdlib> <cstring>
  <filesystem> <fstream> <functional> <map> <memory> <mutex> <optional> <set> <sstream>
  <string> <string_view> <thread> <unordered_map> <utility> <vector>
  <boost/json.hpp> <tl/expected.hpp>)

# Called once, after every target exists.
function(failsafe_precompile_headers)
  if(NOT FAILSAFE_PCH)
    return()
  endif()
  # -pthread defines _REENTRANT, which the standard headers look at; some targets get it from
  # their dependencies and some not, so every target gets it here.
  target_compile_options(failsafe_boost INTERFACE -pthread)
  set(pch_source ${PROJECT_BINARY_DIR}/failsafe_pch.cc)
  file(CONFIGURE OUTPUT ${pch_source} CONTENT "// The precompiled header's own translation unit.\n")
  add_library(failsafe_pch OBJECT ${pch_source})
  target_link_libraries(failsafe_pch PRIVATE failsafe_options failsafe_boost tl::expected)
  target_precompile_headers(failsafe_pch PRIVATE ${failsafe_pch_headers})

  set(has_tests FALSE)
  if(FAILSAFE_TESTS)
    set(has_tests TRUE)
    add_library(failsafe_pch_test OBJECT ${pch_source})
    target_link_libraries(failsafe_pch_test PRIVATE failsafe_options failsafe_boost tl::expected
      GTest::gtest)
    target_precompile_headers(failsafe_pch_test PRIVATE ${failsafe_pch_headers} <gtest/gtest.h>)
  endif()

  failsafe_collect_targets(${PROJECT_SOURCE_DIR} targets)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$"
       OR target MATCHES "^failsafe_pch")
      continue()
    endif()
    get_target_property(libs ${target} LINK_LIBRARIES)
    if(has_tests AND libs MATCHES "GTest::")
      target_precompile_headers(${target} REUSE_FROM failsafe_pch_test)
    else()
      target_precompile_headers(${target} REUSE_FROM failsafe_pch)
    endif()
  endforeach()
endfunction()
