// The FileKind entries, each defined in its own file of this folder; the
// table of file_kinds.cpp lists them.
#pragma once

#include "layout/file_kind.h"

namespace lmzip {

extern const FileKind kWavKind;        // wav.cpp
extern const FileKind kPnmKind;        // pnm.cpp
extern const FileKind kBmpKind;        // bmp.cpp
extern const FileKind kPngPixelsKind;  // png_pixels.cpp

}  // namespace lmzip
