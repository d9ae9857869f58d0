# Cross-compiling for AArch64 Linux with Debian's g++-aarch64-linux-gnu.
# LMZIP_ARM_SYSROOT: a folder holding the arm64 -dev packages the build links
# against (scripts/test-arm.sh unpacks them there); C and C++ runtimes come
# from the cross toolchain itself (/usr/aarch64-linux-gnu).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# try_compile projects see only what is listed here.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES LMZIP_ARM_SYSROOT)
if(NOT LMZIP_ARM_SYSROOT)
  set(LMZIP_ARM_SYSROOT "$ENV{LMZIP_ARM_SYSROOT}")
endif()
if(LMZIP_ARM_SYSROOT)
  set(CMAKE_SYSROOT "${LMZIP_ARM_SYSROOT}")
  set(ENV{PKG_CONFIG_LIBDIR}
      "${LMZIP_ARM_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${LMZIP_ARM_SYSROOT}/usr/share/pkgconfig")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${LMZIP_ARM_SYSROOT}")
  # The linker must find the libraries' own dependencies (libjxl -> libhwy ...)
  # and glibc, which lives with the toolchain, not in the sysroot.
  set(CMAKE_EXE_LINKER_FLAGS_INIT
      "-Wl,-rpath-link,${LMZIP_ARM_SYSROOT}/usr/lib/aarch64-linux-gnu:${LMZIP_ARM_SYSROOT}/lib/aarch64-linux-gnu:/usr/aarch64-linux-gnu/lib")
  # gtest_discover_tests and ctest run the test binary through qemu-user.
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu -E
      "LD_LIBRARY_PATH=${LMZIP_ARM_SYSROOT}/usr/lib/aarch64-linux-gnu:${LMZIP_ARM_SYSROOT}/lib/aarch64-linux-gnu")
endif()

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
