#include "dataset.h"

#include <algorithm>
#include <filesystem>

#include "audio_samples.h"
#include "byte_chunks.h"
#include "common/file_read.h"
#include "image_patches.h"

namespace lmzip::harness {
namespace {

namespace fs = std::filesystem;

bool dataset_file_skipped(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.starts_with(".") || name.starts_with("README") || name.starts_with("LICENSE") ||
         name == "SHA256SUMS" || p.extension() == ".md";
}

std::vector<std::string> dataset_files_list(const std::vector<std::string>& paths, std::vector<std::string>* warnings) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it->is_regular_file() && !dataset_file_skipped(it->path())) found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      warnings->push_back(path + ": no such file or directory");
    }
  }
  return files;
}

DataShape dataset_shape(DataKind kind) {
  DataShape s;
  switch (kind) {
    case DataKind::text: s.modality = Modality::text; break;
    case DataKind::image: s = {Modality::image, 1, kPatchColumns, 8}; break;
    case DataKind::image_rgb: s = {Modality::image, 3, kPatchColumns, 8}; break;
    case DataKind::audio8: s = {Modality::audio, 1, 0, 8}; break;
    case DataKind::audio16: s = {Modality::audio, 1, 0, 16}; break;
  }
  return s;
}

// Appends one file's prepared bytes and chunk sizes to `set`.
Status dataset_file_add(DataSet* set, const Bytes& file) {
  Bytes prepared;
  size_t chunk = kChunkBytes;
  bool keep_tail = false;
  switch (set->kind) {
    case DataKind::text:
      prepared = file;
      keep_tail = true;
      break;
    case DataKind::image:
    case DataKind::image_rgb: {
      Result<Pixels> px = image_read(file);
      if (!px) return px.status();
      const bool rgb = set->kind == DataKind::image_rgb;
      prepared = rgb ? image_patches_rgb(*px) : image_patches_gray(*px);
      chunk = rgb ? kRgbPatchBytes : kGrayPatchBytes;
      break;
    }
    case DataKind::audio8:
    case DataKind::audio16: {
      Result<MonoAudio> audio = audio_read(file);
      if (!audio) return audio.status();
      prepared = set->kind == DataKind::audio8 ? audio_bytes_8bit(audio->samples)
                                               : audio_bytes_16bit_le(audio->samples);
      break;
    }
  }
  const std::vector<uint32_t> sizes = byte_chunk_sizes(prepared.size(), chunk, keep_tail);
  size_t used = 0;
  for (uint32_t s : sizes) used += s;
  set->bytes.insert(set->bytes.end(), prepared.begin(), prepared.begin() + static_cast<ptrdiff_t>(used));
  set->chunk_sizes.insert(set->chunk_sizes.end(), sizes.begin(), sizes.end());
  return {};
}

std::string dataset_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const char* data_kind_name(DataKind kind) {
  switch (kind) {
    case DataKind::text: return "text";
    case DataKind::image: return "image";
    case DataKind::image_rgb: return "image-rgb";
    case DataKind::audio8: return "audio8";
    case DataKind::audio16: return "audio16";
  }
  return "?";
}

std::optional<DataKind> data_kind_parse(const std::string& name) {
  for (DataKind k : {DataKind::text, DataKind::image, DataKind::image_rgb, DataKind::audio8, DataKind::audio16})
    if (name == data_kind_name(k)) return k;
  return std::nullopt;
}

const char* data_kind_protocol(DataKind kind) {
  switch (kind) {
    case DataKind::text: return "file bytes in 2048-byte chunks (a file's last partial chunk kept)";
    case DataKind::image:
      return "paper: gray = channel mean truncated to uint8; 32 rows x 64 columns patches, row-major, 2048 bytes each";
    case DataKind::image_rgb: return "ours: the same 32 x 64 patches in RGB, interleaved, 6144 bytes each";
    case DataKind::audio8:
      return "paper: mono 16-bit -> (sample >> 8) + 128, one byte per sample, 2048-byte chunks (tail dropped)";
    case DataKind::audio16: return "ours: mono 16-bit little-endian, 1024 samples per 2048-byte chunk (tail dropped)";
  }
  return "?";
}

Modality data_file_modality(const std::string& path, const Bytes& head) {
  const std::string ext = dataset_lower(fs::path(path).extension().string());
  if (ext == ".png" || ext == ".ppm" || ext == ".pgm" || ext == ".pnm") return Modality::image;
  if (ext == ".wav" || ext == ".flac") return Modality::audio;
  if (image_signature_matches(head)) return Modality::image;
  if (audio_signature_matches(head)) return Modality::audio;
  return Modality::text;
}

std::vector<DataSet> dataset_load(const std::vector<std::string>& paths, const std::vector<DataKind>& kinds,
                                  std::vector<std::string>* warnings) {
  std::vector<DataSet> sets;
  auto set_for = [&](DataKind kind) -> DataSet& {
    for (DataSet& s : sets)
      if (s.kind == kind) return s;
    DataSet s;
    s.kind = kind;
    s.shape = dataset_shape(kind);
    sets.push_back(std::move(s));
    return sets.back();
  };
  for (const std::string& path : dataset_files_list(paths, warnings)) {
    Result<Bytes> read = file_read_all(path);
    if (!read) {
      warnings->push_back(path + ": cannot read");
      continue;
    }
    const Bytes& file = *read;
    std::vector<DataKind> as = kinds;
    if (as.empty()) {
      switch (data_file_modality(path, file)) {
        case Modality::text: as = {DataKind::text}; break;
        case Modality::image: as = {DataKind::image, DataKind::image_rgb}; break;
        case Modality::audio: as = {DataKind::audio8, DataKind::audio16}; break;
      }
    }
    for (DataKind kind : as) {
      DataSet& set = set_for(kind);
      Status st = dataset_file_add(&set, file);
      if (!st) {
        warnings->push_back(path + ": skipped as " + data_kind_name(kind) + ": " + st.message());
        continue;
      }
      set.files.push_back(path);
      set.file_bytes += file.size();
    }
  }
  std::vector<DataSet> kept;
  for (DataSet& s : sets) {
    s.full_bytes = s.bytes.size();
    if (!s.bytes.empty()) kept.push_back(std::move(s));
  }
  std::sort(kept.begin(), kept.end(), [](const DataSet& a, const DataSet& b) { return a.kind < b.kind; });
  return kept;
}

DataSet dataset_sample(const DataSet& full, uint64_t limit_bytes) {
  if (limit_bytes == 0 || full.bytes.size() <= limit_bytes) return full;
  DataSet out;
  out.kind = full.kind;
  out.shape = full.shape;
  out.files = full.files;
  out.file_bytes = full.file_bytes;
  out.full_bytes = full.full_bytes;
  const size_t n = full.chunk_sizes.size();
  const size_t typical = full.chunk_sizes.empty() ? 1 : full.chunk_sizes.front();
  const size_t want = std::max<size_t>(1, std::min<size_t>(n, limit_bytes / typical));
  std::vector<size_t> offsets(n + 1, 0);
  for (size_t i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + full.chunk_sizes[i];
  for (size_t k = 0; k < want; ++k) {
    const size_t i = k * n / want;
    out.bytes.insert(out.bytes.end(), full.bytes.begin() + static_cast<ptrdiff_t>(offsets[i]),
                     full.bytes.begin() + static_cast<ptrdiff_t>(offsets[i + 1]));
    out.chunk_sizes.push_back(full.chunk_sizes[i]);
  }
  return out;
}

}  // namespace lmzip::harness
