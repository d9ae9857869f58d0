// The C interface (include/lmzip/lmzip.h) over the C++ API: no exception
// and no C++ type crosses it.
#include "lmzip/lmzip.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "lmzip/codec.h"
#include "lmzip/model.h"

struct lmzip_options {
  int level = 0;
  unsigned threads = 1;
  lmzip::ModelDirs dirs;
};

struct lmzip_error {
  int code;
  std::string message;
};

namespace {

int fail(lmzip_error** error, lmzip::ErrorCode code, std::string message) {
  if (error) *error = new (std::nothrow) lmzip_error{int(code), std::move(message)};
  return int(code);
}

int fail(lmzip_error** error, const lmzip::Status& st) { return fail(error, st.code(), st.message()); }

// The result copied into a malloc'd buffer the caller frees with lmzip_free.
int hand_over(const std::vector<uint8_t>& bytes, unsigned char** dst, size_t* dst_size, lmzip_error** error) {
  *dst = static_cast<unsigned char*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
  if (!*dst) return fail(error, lmzip::ErrorCode::limit_exceeded, "out of memory");
  if (!bytes.empty()) std::memcpy(*dst, bytes.data(), bytes.size());
  *dst_size = bytes.size();
  return LMZIP_OK;
}

template <typename F>
int guarded(lmzip_error** error, F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(error, lmzip::ErrorCode::limit_exceeded, "out of memory");
  } catch (const std::exception& e) {
    return fail(error, lmzip::ErrorCode::internal, e.what());
  }
}

// lmzip_compress and lmzip_decompress: the arguments checked, `code` run on
// the input, its result handed over or its error reported.
template <typename F>
int buffer_call(const lmzip_options* options, const void* src, size_t size, unsigned char** dst,
                size_t* dst_size, lmzip_error** error, F&& code) {
  if (error) *error = nullptr;
  if (!options || (!src && size) || !dst || !dst_size)
    return fail(error, lmzip::ErrorCode::invalid_argument, "a null argument");
  *dst = nullptr;
  return guarded(error, [&] {
    auto out = code(std::span<const uint8_t>(static_cast<const uint8_t*>(src), size));
    if (!out) return fail(error, out.status());
    return hand_over(*out, dst, dst_size, error);
  });
}

}  // namespace

extern "C" {

const char* lmzip_version(void) { return lmzip::version_string(); }

lmzip_options* lmzip_options_new(void) { return new (std::nothrow) lmzip_options; }
void lmzip_options_free(lmzip_options* options) { delete options; }

int lmzip_options_set_level(lmzip_options* options, int level) {
  if (!options || level < 0 || level > lmzip::kModelLevelMax) return LMZIP_INVALID_ARGUMENT;
  options->level = level;
  return LMZIP_OK;
}

int lmzip_options_add_model_dir(lmzip_options* options, const char* dir) {
  if (!options || !dir) return LMZIP_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    options->dirs.emplace_back(dir);
    return LMZIP_OK;
  });
}

int lmzip_options_set_threads(lmzip_options* options, unsigned threads) {
  if (!options || threads == 0) return LMZIP_INVALID_ARGUMENT;
  options->threads = threads;
  return LMZIP_OK;
}

int lmzip_error_code(const lmzip_error* error) { return error ? error->code : LMZIP_OK; }
const char* lmzip_error_message(const lmzip_error* error) { return error ? error->message.c_str() : ""; }
void lmzip_error_free(lmzip_error* error) { delete error; }

int lmzip_compress(const lmzip_options* options, const void* src, size_t size, unsigned char** dst,
                   size_t* dst_size, lmzip_error** error) {
  return buffer_call(options, src, size, dst, dst_size, error, [&](std::span<const uint8_t> in) {
    auto model = lmzip::model_open(lmzip::model_level_name(options->level), options->dirs);
    if (!model) return lmzip::Result<std::vector<uint8_t>>(model.status());
    // The adaptive stage with the level's model as its network; level 0: the
    // fast stage alone.
    lmzip::CompressOptions co;
    co.model = *model;
    co.threads = options->threads;
    co.adaptive = true;
    co.adaptive_network = options->level != 0;
    if (options->level == 0) co.adaptive_stage = lmzip::kAdaptiveStageFast;
    return lmzip::compress_buffer(in, co);
  });
}

int lmzip_decompress(const lmzip_options* options, const void* src, size_t size, unsigned char** dst,
                     size_t* dst_size, lmzip_error** error) {
  return buffer_call(options, src, size, dst, dst_size, error, [&](std::span<const uint8_t> in) {
    lmzip::DecompressOptions o;
    o.resolve = lmzip::model_resolver_installed(options->dirs);
    o.threads = options->threads;
    return lmzip::decompress_buffer(in, o);
  });
}

void lmzip_free(void* buffer) { std::free(buffer); }

}  // extern "C"
