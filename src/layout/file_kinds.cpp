#include "layout/file_kind.h"
#include "layout/kinds/kinds.h"

namespace lmzip {
namespace {

// Detection order; the kinds' signatures are disjoint, so the order decides
// nothing but which sniff runs first.
const FileKind* const kKinds[] = {&kWavKind, &kPnmKind, &kBmpKind, &kPngPixelsKind};

}  // namespace

std::span<const FileKind* const> file_kinds() { return kKinds; }

const FileKind* file_kind(LayoutKind kind) {
  for (const FileKind* k : kKinds)
    if (k->kind == kind) return k;
  return nullptr;
}

bool layout_sniff(std::span<const uint8_t> head, std::span<const FileKind* const> kinds) {
  for (const FileKind* k : kinds)
    if (k->sniff(head)) return true;
  return false;
}

Result<std::optional<Layout>> layout_detect(std::span<const uint8_t> file, std::span<const FileKind* const> kinds) {
  for (const FileKind* k : kinds) {
    if (!k->sniff(file)) continue;
    auto l = k->detect(file);
    if (!l || *l) return l;
  }
  return std::optional<Layout>();
}

Result<std::optional<LayoutSplit>> layout_split(std::span<const uint8_t> file,
                                                std::span<const FileKind* const> kinds) {
  for (const FileKind* k : kinds) {
    if (!k->sniff(file)) continue;
    auto s = k->split(file);
    if (!s || *s) return s;
  }
  return std::optional<LayoutSplit>();
}

}  // namespace lmzip
