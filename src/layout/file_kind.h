// The file kinds the layout module knows, one table entry each. Everything
// particular to a kind (its signature, its header, how its samples are
// stored) sits behind its entry, in src/layout/kinds/<kind>.cpp.
//
// Adding a kind: a LayoutKind value in layout.h (a format value, documented
// in docs/FORMAT.md), a file kinds/<kind>.cpp defining its FileKind, and its
// line in file_kinds.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "layout/layout.h"
#include "lmzip/error.h"
#include "lmzip/model.h"

namespace lmzip {

// How many first bytes of a file every kind's sniff needs at most.
inline constexpr size_t kLayoutSniffBytes = 16;

struct LayoutSplit {
  Layout layout;
  LayoutParts parts;
};

struct FileKind {
  LayoutKind kind;
  Media media;  // image or audio: the models that code its samples
  // Used only when the caller asks for it (png-pixels: CompressOptions::png_pixels).
  bool opt_in;
  // Image rows may be padded, stored bottom-up or B,G,R (BMP); else rows are
  // stored top-down, R,G,B, without padding.
  bool padded_rows;
  // The frame's content is the samples, not the file (png-pixels): no header
  // or trailer, and join writes a new file rather than the original.
  bool content_is_samples;
  std::string (*name)(const Layout& layout);
  // Whether a file starting with `head` (its first kLayoutSniffBytes bytes,
  // or fewer in a shorter file) may be of this kind. Necessary for detect to
  // find a layout; the signatures of the kinds are disjoint.
  bool (*sniff)(std::span<const uint8_t> head);
  // The file's layout (tile_width and strips 0), or nullopt when the file is
  // not one this kind describes exactly. An error only where the kind refuses
  // the file rather than leave it to plain bytes (png-pixels).
  Result<std::optional<Layout>> (*detect)(std::span<const uint8_t> file);
  // Detection and the file in parts at once (for the encoder and the
  // readers); nullopt exactly when detect finds no layout.
  Result<std::optional<LayoutSplit>> (*split)(std::span<const uint8_t> file);
  // The parts back into a file: join(split(f)) == f for every file split
  // describes (content_is_samples: a file with the same samples). An error,
  // never a crash, for parts or a layout that do not fit.
  Result<std::vector<uint8_t>> (*join)(const Layout& layout, LayoutParts parts);
};

// Every kind, in detection order.
std::span<const FileKind* const> file_kinds();
// The entry of `kind`; null for none and for values no kind has.
const FileKind* file_kind(LayoutKind kind);

// Whether a file starting with `head` may be of one of `kinds`: decides from
// the first bytes whether the file is worth holding in memory.
bool layout_sniff(std::span<const uint8_t> head, std::span<const FileKind* const> kinds);

// A whole file's layout among `kinds`, or nullopt when none describes it.
Result<std::optional<Layout>> layout_detect(std::span<const uint8_t> file, std::span<const FileKind* const> kinds);

// The file's layout among `kinds` and the file in parts, or nullopt when
// none describes it.
Result<std::optional<LayoutSplit>> layout_split(std::span<const uint8_t> file,
                                                std::span<const FileKind* const> kinds);

}  // namespace lmzip
