// Stable error codes and the Status / Result types every library call returns.
// The library never exits or aborts on bad input: it reports an ErrorCode and a
// human-readable message naming what was wrong.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace lmzip {

// Values are part of the API: never renumber, only append.
enum class ErrorCode : int {
  ok = 0,
  io = 1,                   // read/write/open failed (message carries strerror)
  truncated = 2,            // input ended inside a frame
  bad_magic = 3,            // not an .lmz frame
  unsupported_version = 4,  // frame version this build cannot read
  corrupt = 5,              // checksum mismatch, reserved bits set, impossible field
  model_mismatch = 6,       // frame needs another model than the one supplied
  model_not_found = 7,      // the model named in the frame is not available
  invalid_argument = 8,     // caller passed an unusable option
  bad_model_file = 9,       // model file malformed (GGUF checks)
  limit_exceeded = 10,      // a size exceeds what this build accepts
  internal = 11,            // a bug: an invariant failed
};

const char* error_code_name(ErrorCode code);

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status success() { return {}; }

  bool ok() const { return code_ == ErrorCode::ok; }
  explicit operator bool() const { return ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::ok;
  std::string message_;
};

// Either a value or a failed Status.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}      // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  Status status() const { return ok() ? Status{} : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace lmzip
