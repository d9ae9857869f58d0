#!/usr/bin/env bash
# Installs the build into a temporary prefix, moves the prefix, and uses it
# (issue 16): the installed lmzip finds its models there (and nowhere else:
# an installed lmzip does not look into the source tree), compresses and
# decompresses text and a WAV with the default and audio models; a C99
# program compiled and linked with `pkg-config --cflags --libs lmzip` round-trips
# through the C API.
#   tests/install_test.sh BUILD_DIR DATA_DIR [C_FLAGS]   (C_FLAGS: a sanitizer build's)
set -euo pipefail
build=$1
data=$2
c_flags=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/first" > /dev/null
mv "$work/first" "$work/moved"
p=$work/moved
lib=$(cd "$p" && ls -d lib*/pkgconfig | head -1)
for f in bin/lmzip share/lmzip/models/lmzip-text-800k.gguf share/lmzip/models/lmzip-text-800k-v2.gguf "$(dirname "$lib")/liblmzip.so" share/lmzip/models/lmzip-audio16.gguf \
         share/man/man1/lmzip.1 share/bash-completion/completions/lmzip share/zsh/vendor-completions/_lmzip \
         share/fish/vendor_completions.d/lmzip.fish include/lmzip/lmzip.h include/lmzip/codec.h \
         "$lib/lmzip.pc" "$(dirname "$lib")/cmake/lmzip/lmzipConfig.cmake"; do
  [ -e "$p/$f" ] || { echo "install_test: $f was not installed" >&2; exit 1; }
done

for program in lmzip-bench lmzip-train; do
  if [ -e "$p/bin/$program" ] && [ ! -s "$p/share/man/man1/$program.1" ]; then
    echo "install_test: $program installed without its man page" >&2
    exit 1
  fi
done

cd "$work"
head -c 20000 "$data/text/enwik/enwik6" > text.txt
python3 - "$data/audio/vosk_librivox/cats.wav" <<'PY'
import sys, wave
with wave.open(sys.argv[1]) as r, wave.open('speech.wav', 'wb') as w:
    w.setparams(r.getparams())
    w.writeframes(r.readframes(8000))
PY
cp text.txt text.orig
cp speech.wav speech.orig
env -u LMZIP_MODEL_PATH "$p/bin/lmzip" -q text.txt speech.wav
listing=$(env -u LMZIP_MODEL_PATH "$p/bin/lmzip" -l text.txt.lmz speech.wav.lmz)
echo "$listing"
grep -q "lmzip-text-800k-v2  *bytes  *text.txt.lmz" <<< "$listing" || { echo "install_test: text not coded by the default model" >&2; exit 1; }
grep -q "lmzip-text-800k-v2+lmzip-audio16  *wav  *speech.wav.lmz" <<< "$listing" || { echo "install_test: WAV not coded by the audio model" >&2; exit 1; }
env -u LMZIP_MODEL_PATH "$p/bin/lmzip" -d -q text.txt.lmz speech.wav.lmz
cmp text.txt text.orig
cmp speech.wav speech.orig
# Without the installed models it must fail: it does not fall back to the source tree.
mv "$p/share/lmzip/models" "$p/share/lmzip/models.away"
if env -u LMZIP_MODEL_PATH "$p/bin/lmzip" -2 -q -c text.txt > /dev/null 2>&1; then
  echo "install_test: an installed lmzip found a model outside its prefix" >&2
  exit 1
fi
mv "$p/share/lmzip/models.away" "$p/share/lmzip/models"

cat > roundtrip.c <<'C'
#include <lmzip/lmzip.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  static const char text[] = "In the beginning the Universe was created. This has made a lot of people very "
                             "angry and been widely regarded as a bad move. In the beginning the Universe was created.";
  lmzip_options* o = lmzip_options_new();
  if (!o || lmzip_options_add_model_dir(o, argv[1]) != LMZIP_OK) return 3;
  for (int level = 0; level <= 2; level += 2) {
    unsigned char *packed = NULL, *back = NULL;
    size_t packed_size = 0, back_size = 0;
    lmzip_error* e = NULL;
    if (lmzip_options_set_level(o, level) != LMZIP_OK) return 4;
    if (lmzip_compress(o, text, sizeof text, &packed, &packed_size, &e) != LMZIP_OK) {
      fprintf(stderr, "compress: %s\n", lmzip_error_message(e));
      return 5;
    }
    if (lmzip_decompress(o, packed, packed_size, &back, &back_size, &e) != LMZIP_OK) {
      fprintf(stderr, "decompress: %s\n", lmzip_error_message(e));
      return 6;
    }
    if (back_size != sizeof text || memcmp(back, text, sizeof text) != 0) return 7;
    printf("level %d: %zu -> %zu bytes\n", level, sizeof text, packed_size);
    lmzip_free(packed);
    lmzip_free(back);
  }
  /* Not a frame: an error code and a message, no crash. */
  unsigned char* out = NULL;
  size_t out_size = 0;
  lmzip_error* e = NULL;
  const int code = lmzip_decompress(o, "hello", 5, &out, &out_size, &e);
  if (code != LMZIP_BAD_MAGIC || lmzip_error_code(e) != code || !strstr(lmzip_error_message(e), "magic")) return 8;
  lmzip_error_free(e);
  if (lmzip_options_set_level(o, 9) != LMZIP_INVALID_ARGUMENT) return 9;
  lmzip_options_free(o);
  printf("lmzip %s: C API round trips\n", lmzip_version());
  return 0;
}
C
export PKG_CONFIG_PATH=$p/$lib
# shellcheck disable=SC2046,SC2086
cc -std=c99 -Wall -Werror $c_flags -o roundtrip roundtrip.c $(pkg-config --cflags --libs lmzip)
./roundtrip "$p/share/lmzip/models"

# A CMake project: find_package(lmzip) and lmzip::lmzip, the C++ API.
mkdir consumer
cat > consumer/CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.20)
project(consumer CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(lmzip 0.6 REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE lmzip::lmzip)
CM
cat > consumer/main.cpp <<'CPP'
#include <lmzip/codec.h>
#include <lmzip/model.h>
#include <cstdio>
int main() {
  const std::vector<uint8_t> text(5000, 'a');
  lmzip::CompressOptions o;
  o.model = *lmzip::model_open("order2");
  auto packed = lmzip::compress_buffer(text, o);
  if (!packed) return 1;
  auto back = lmzip::decompress_buffer(*packed, {});
  if (!back || *back != text) return 2;
  std::printf("cmake package: %zu -> %zu bytes\n", text.size(), packed->size());
  return 0;
}
CPP
cmake -S consumer -B consumer/build -DCMAKE_PREFIX_PATH="$p" -DCMAKE_CXX_FLAGS="$c_flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$c_flags" > /dev/null
cmake --build consumer/build > /dev/null
consumer/build/consumer

# Python through ctypes, on liblmzip.so (not in a sanitizer build: python3 itself is not instrumented).
if [ -z "$c_flags" ]; then
  python3 - "$(dirname "$p/$lib")/liblmzip.so" "$p/share/lmzip/models" <<'PY'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.lmzip_options_new.restype = ctypes.c_void_p
lib.lmzip_options_add_model_dir.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.lmzip_options_set_level.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.lmzip_error_message.restype = ctypes.c_char_p
lib.lmzip_error_message.argtypes = [ctypes.c_void_p]
lib.lmzip_free.argtypes = [ctypes.c_void_p]
lib.lmzip_options_free.argtypes = [ctypes.c_void_p]
lib.lmzip_version.restype = ctypes.c_char_p
call = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_void_p)]
lib.lmzip_compress.argtypes = lib.lmzip_decompress.argtypes = call
o = lib.lmzip_options_new()
lib.lmzip_options_add_model_dir(o, sys.argv[2].encode())
lib.lmzip_options_set_level(o, 1)

def run(f, data):
    out, size, err = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_void_p()
    if f(o, data, len(data), ctypes.byref(out), ctypes.byref(size), ctypes.byref(err)) != 0:
        raise SystemExit("python: " + lib.lmzip_error_message(err).decode())
    b = ctypes.string_at(out, size.value)
    lib.lmzip_free(out)
    return b

text = b"Python through ctypes: the same library, the same bytes. " * 20
packed = run(lib.lmzip_compress, text)
assert run(lib.lmzip_decompress, packed) == text
lib.lmzip_options_free(o)
print("python ctypes, lmzip %s: %d -> %d bytes, round trip ok" % (lib.lmzip_version().decode(), len(text), len(packed)))
PY
fi
echo "install_test: ok"
