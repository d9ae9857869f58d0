#include "report.h"

namespace lmzip::harness {

DataSetSummary dataset_summary(const DataSet& set) {
  DataSetSummary s;
  s.name = set.name();
  s.protocol = data_kind_protocol(set.kind);
  s.files = set.files.size();
  s.file_bytes = set.file_bytes;
  s.prepared_bytes = set.full_bytes;
  s.chunk_bytes = set.chunk_sizes.empty() ? 0 : set.chunk_sizes.front();
  // A sample holds fewer chunks than the data set: estimate the whole from its size.
  s.chunks = !set.sampled() ? set.chunk_sizes.size()
             : s.chunk_bytes == 0 ? 0 : (set.full_bytes + s.chunk_bytes - 1) / s.chunk_bytes;
  return s;
}

const Measurement* report_find(const Report& report, const std::string& compressor, const std::string& dataset,
                               ChunkMode mode) {
  for (const Measurement& m : report.measurements)
    if (m.compressor == compressor && m.dataset == dataset && m.mode == mode) return &m;
  return nullptr;
}

}  // namespace lmzip::harness
