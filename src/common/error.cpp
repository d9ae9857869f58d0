#include "lmzip/error.h"

namespace lmzip {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::ok: return "ok";
    case ErrorCode::io: return "i/o error";
    case ErrorCode::truncated: return "truncated input";
    case ErrorCode::bad_magic: return "not an lmzip file";
    case ErrorCode::unsupported_version: return "unsupported format version";
    case ErrorCode::corrupt: return "corrupt data";
    case ErrorCode::model_mismatch: return "model mismatch";
    case ErrorCode::model_not_found: return "model not found";
    case ErrorCode::invalid_argument: return "invalid argument";
    case ErrorCode::bad_model_file: return "bad model file";
    case ErrorCode::limit_exceeded: return "limit exceeded";
    case ErrorCode::internal: return "internal error";
  }
  return "unknown error";
}

}  // namespace lmzip
