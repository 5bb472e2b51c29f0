# Helpers over every target of the build, run after all of them are defined.

# All build-system targets defined in DIR and below.
function(failsafe_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    failsafe_collect_targets(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# Benchmarks build with the ordinary build (so they keep compiling), not again under the
# sanitizers: CI time goes to the tests there. Matched by name (*_bench, bench_*, *_crosscheck)
# so that a new benchmark is left out without a list to keep.
function(failsafe_exclude_benchmarks)
  failsafe_collect_targets(${PROJECT_SOURCE_DIR} targets)
  foreach(target ${targets})
    if(target MATCHES "(_bench|_crosscheck)$|^bench_")
      set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL TRUE)
    endif()
  endforeach()
endfunction()
