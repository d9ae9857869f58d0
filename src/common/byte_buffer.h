// A byte vector whose resize() does not write the new bytes: memory claimed
// for output that is then never produced (a record that claims more content
// than its payload codes) is never touched, so the system never maps it.
// Every byte must be written before it is read.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace lmzip {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  // Value-less construction default-initialises (leaves a byte as it is).
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using ByteBuffer = std::vector<uint8_t, DefaultInitAllocator<uint8_t>>;

}  // namespace lmzip
