/* lmzip's C interface (C99; also for Python through ctypes): buffer to buffer
 * compression and decompression, opaque handles, error codes and messages.
 * Link: pkg-config --cflags --libs lmzip. The C++ API (lmzip/codec.h) does
 * more (streams, progress, layouts' details). */
#ifndef LMZIP_LMZIP_H
#define LMZIP_LMZIP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The codes of lmzip::ErrorCode (lmzip/error.h); 0 is success. */
enum lmzip_code {
  LMZIP_OK = 0,
  LMZIP_IO = 1,
  LMZIP_TRUNCATED = 2,
  LMZIP_BAD_MAGIC = 3,
  LMZIP_UNSUPPORTED_VERSION = 4,
  LMZIP_CORRUPT = 5,
  LMZIP_MODEL_MISMATCH = 6,
  LMZIP_MODEL_NOT_FOUND = 7,
  LMZIP_INVALID_ARGUMENT = 8,
  LMZIP_BAD_MODEL_FILE = 9,
  LMZIP_LIMIT_EXCEEDED = 10,
  LMZIP_INTERNAL = 11
};

/* The library's version, e.g. "0.1.0". */
const char* lmzip_version(void);

/* Settings for lmzip_compress / lmzip_decompress. A new one compresses at
 * level 0 (the adaptive stage alone, no model file) on one thread; models
 * are looked up by name in the directories added, in order. */
typedef struct lmzip_options lmzip_options;
lmzip_options* lmzip_options_new(void); /* NULL if out of memory */
void lmzip_options_free(lmzip_options* options);
/* 0 .. 3, as lmzip -0 .. -3 (levels 1 to 3 need their model in a directory
 * added); LMZIP_INVALID_ARGUMENT for another. */
int lmzip_options_set_level(lmzip_options* options, int level);
/* A directory of .gguf models (e.g. PREFIX/share/lmzip/models). */
int lmzip_options_add_model_dir(lmzip_options* options, const char* dir);
/* Worker threads, >= 1; the output does not depend on it. */
int lmzip_options_set_threads(lmzip_options* options, unsigned threads);

/* What went wrong, when a call returns a code other than LMZIP_OK and was
 * given a place for it (error may be NULL). Free with lmzip_error_free. */
typedef struct lmzip_error lmzip_error;
int lmzip_error_code(const lmzip_error* error);
const char* lmzip_error_message(const lmzip_error* error);
void lmzip_error_free(lmzip_error* error);

/* src[0 .. size) compressed into a new buffer *dst of *dst_size bytes, to be
 * freed with lmzip_free. Returns LMZIP_OK or an error code (*dst is then NULL). */
int lmzip_compress(const lmzip_options* options, const void* src, size_t size, unsigned char** dst,
                   size_t* dst_size, lmzip_error** error);
/* The content of the .lmz frames in src[0 .. size), likewise. */
int lmzip_decompress(const lmzip_options* options, const void* src, size_t size, unsigned char** dst,
                     size_t* dst_size, lmzip_error** error);
void lmzip_free(void* buffer);

#ifdef __cplusplus
}
#endif

#endif /* LMZIP_LMZIP_H */
