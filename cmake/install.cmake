# `cmake --install build --prefix P`: the programs in P/bin, the shipped
# models in P/share/lmzip/models (where an installed lmzip looks first, found
# from its own path: tools/environment.h), man pages and shell completions,
# the headers, the library's archives, a pkg-config file and a CMake package.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The library's layers, each above the ones after it: the order a static link needs.
set(LMZIP_LAYERS lmzip_codec lmzip_format lmzip_registry lmzip_transformer lmzip_llm lmzip_tokenizer lmzip_layout
    lmzip_adaptive lmzip_model lmzip_gguf lmzip_kernels lmzip_coder lmzip_common)

# liblmzip.so: every layer in one shared library, for what cannot link
# archives (Python's ctypes through the C API, lmzip/lmzip.h). Made from the
# layers' archives (position-independent), not compiled again.
if(NOT LMZIP_LAYER_CHECK)
  file(WRITE ${PROJECT_BINARY_DIR}/lmzip_shared.cpp "// liblmzip.so: the layers' archives, whole\n")
  add_library(lmzip_shared SHARED ${PROJECT_BINARY_DIR}/lmzip_shared.cpp)
  set(LMZIP_LAYER_FILES "")
  foreach(layer ${LMZIP_LAYERS})
    list(APPEND LMZIP_LAYER_FILES "$<TARGET_FILE:${layer}>")
  endforeach()
  target_link_libraries(lmzip_shared PRIVATE -Wl,--whole-archive ${LMZIP_LAYER_FILES} -Wl,--no-whole-archive
                        Threads::Threads OpenSSL::Crypto PkgConfig::PNG PkgConfig::PCRE2 ${XXHASH_LIBRARY})
  if(NOT LMZIP_SANITIZE AND NOT LMZIP_FUZZ)  # their runtimes come with the executable, not the library
    target_link_options(lmzip_shared PRIVATE -Wl,-z,defs)
  endif()
  add_dependencies(lmzip_shared ${LMZIP_LAYERS})
  set_target_properties(lmzip_shared PROPERTIES LINKER_LANGUAGE CXX OUTPUT_NAME lmzip VERSION ${PROJECT_VERSION}
                                                SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
  install(TARGETS lmzip_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

install(TARGETS lmzip RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(program lmzip-bench lmzip-train)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
file(GLOB LMZIP_SHIPPED_MODELS ${PROJECT_SOURCE_DIR}/models/*.gguf)
install(FILES ${LMZIP_SHIPPED_MODELS} DESTINATION ${CMAKE_INSTALL_DATADIR}/lmzip/models)
# lmzip(1) is written (tests/cli_test.cpp checks it against --help); the
# others are made from their programs' --help (scripts/man-from-help.sh).
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/lmzip.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
foreach(entry "lmzip-bench|the paper's Table 1 on your files: lmzip against classical compressors"
              "lmzip-train|train and export lmzip's byte transformers")
  string(REPLACE "|" ";" entry "${entry}")
  list(GET entry 0 program)
  list(GET entry 1 summary)
  if(TARGET ${program})
    add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/${program}.1
                       COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/man-from-help.sh $<TARGET_FILE:${program}> ${program}
                               "${summary}" > ${PROJECT_BINARY_DIR}/${program}.1
                       DEPENDS ${program} ${PROJECT_SOURCE_DIR}/scripts/man-from-help.sh VERBATIM)
    add_custom_target(${program}-man ALL DEPENDS ${PROJECT_BINARY_DIR}/${program}.1)
    install(FILES ${PROJECT_BINARY_DIR}/${program}.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/completions/lmzip.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME lmzip)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_lmzip DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${PROJECT_SOURCE_DIR}/completions/lmzip.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/lmzip DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ${LMZIP_LAYERS} lmzip_lib EXPORT lmzipTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT lmzipTargets NAMESPACE lmzip:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lmzip)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lmzipConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/lmzipConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lmzip)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lmzipConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lmzipConfig.cmake ${PROJECT_BINARY_DIR}/lmzipConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lmzip)

# The .pc file finds the prefix from its own place, so that a moved prefix works.
file(RELATIVE_PATH LMZIP_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
set(LMZIP_PC_LIBS "")
foreach(layer ${LMZIP_LAYERS})
  string(APPEND LMZIP_PC_LIBS " -l${layer}")
endforeach()
string(STRIP "${LMZIP_PC_LIBS}" LMZIP_PC_LIBS)
configure_file(${PROJECT_SOURCE_DIR}/cmake/lmzip.pc.in ${PROJECT_BINARY_DIR}/lmzip.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/lmzip.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
