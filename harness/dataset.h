// Benchmark data sets: files found under the paths given, prepared by the
// library's data preparation (src/data) into chunks as the paper does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baseline.h"

namespace lmzip::harness {

enum class DataKind { text, image, image_rgb, audio8, audio16 };

// "text", "image", "image-rgb", "audio8", "audio16".
const char* data_kind_name(DataKind kind);
std::optional<DataKind> data_kind_parse(const std::string& name);
// One-line description of the preparation, for the report.
const char* data_kind_protocol(DataKind kind);

struct DataSet {
  DataKind kind = DataKind::text;
  DataShape shape;
  Bytes bytes;                        // every chunk, concatenated
  std::vector<uint32_t> chunk_sizes;  // how `bytes` is cut
  std::vector<std::string> files;     // the files it was prepared from
  uint64_t file_bytes = 0;            // their total size on disk
  uint64_t full_bytes = 0;            // size before sampling (== bytes.size() if not sampled)

  std::string name() const { return data_kind_name(kind); }
  bool sampled() const { return full_bytes != bytes.size(); }
};

// Modality of one file from its extension, else its signature; anything that
// is neither an image nor audio is text.
Modality data_file_modality(const std::string& path, const Bytes& head);

// Files under `paths` (directories walked recursively in name order; README*,
// LICENSE*, *.md and SHA256SUMS inside directories are skipped), prepared as
// `kinds` (empty: by each file's modality, images both as image and image-rgb,
// audio both as audio8 and audio16).
// Files that cannot be prepared are skipped with a line in `warnings`.
std::vector<DataSet> dataset_load(const std::vector<std::string>& paths, const std::vector<DataKind>& kinds,
                                  std::vector<std::string>* warnings);

// At most `limit_bytes` of whole chunks picked at an even stride over the
// data set (deterministic), so that a slow model sees all of it, thinly.
DataSet dataset_sample(const DataSet& full, uint64_t limit_bytes);

}  // namespace lmzip::harness
