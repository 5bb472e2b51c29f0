# Turns a text file into a C++ source defining `extern const char SYMBOL[]`, so data such as the
# common-password list ships inside the binary with no runtime file dependency.
# Usage: cmake -DINPUT=in.txt -DOUTPUT=out.cc -DSYMBOL=kName -DNAMESPACE=ns -P embed_text.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")fs_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_text.cmake. Do not edit.\n"
  "namespace ${NAMESPACE} {\n"
  "extern const char ${SYMBOL}[];\n"
  "const char ${SYMBOL}[] = R\"fs_embed(${content})fs_embed\";\n"
  "}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
