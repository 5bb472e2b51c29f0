# Warnings and sanitizers applied to every failsafe target through failsafe_options.
add_library(failsafe_options INTERFACE)
target_compile_options(failsafe_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(FAILSAFE_WERROR)
  target_compile_options(failsafe_options INTERFACE -Werror)
endif()
if(FAILSAFE_SANITIZE)
  target_compile_options(failsafe_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(failsafe_options INTERFACE -fsanitize=address,undefined)
endif()
if(FAILSAFE_FUZZ)
  target_compile_options(failsafe_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(failsafe_options INTERFACE -fsanitize=address,undefined)
endif()
