// `lmzip model info` for GGUF files lmzip cannot run: what the file says.
#include <map>
#include <variant>

#include "gguf/gguf.h"
#include "lmzip/llm.h"

namespace lmzip {

Result<std::vector<std::pair<std::string, std::string>>> model_file_describe(const std::string& path) {
  auto f = gguf::gguf_map(path);
  if (!f) return f.status();
  auto text = [&](const std::string& key) -> std::string {
    const gguf::Value* v = f->find(key);
    if (!v) return "";
    if (auto* s = std::get_if<std::string>(v)) return *s;
    if (auto* u = std::get_if<uint32_t>(v)) return std::to_string(*u);
    if (auto* i = std::get_if<int32_t>(v)) return std::to_string(*i);
    if (auto* u64 = std::get_if<uint64_t>(v)) return std::to_string(*u64);
    if (auto* x = std::get_if<float>(v)) return std::to_string(*x);
    if (auto* tokens = std::get_if<std::vector<std::string>>(v)) return std::to_string(tokens->size()) + " tokens";
    return "(array)";
  };
  std::vector<std::pair<std::string, std::string>> out;
  const std::string arch = text("general.architecture");
  out.push_back({"architecture", arch.empty() ? "(none)" : arch});
  out.push_back({"name", text("general.name")});
  uint64_t params = 0;
  std::map<std::string, int> types;
  for (const gguf::Tensor& t : f->tensors) {
    params += t.elements();
    ++types[gguf::type_layout(t.type).name];
  }
  std::string type_list;
  for (const auto& [name, n] : types) type_list += (type_list.empty() ? "" : ", ") + name + " x" + std::to_string(n);
  out.push_back({"parameters", std::to_string(params)});
  out.push_back({"tensor_types", type_list});
  out.push_back({"tokenizer", text("tokenizer.ggml.model")});
  out.push_back({"vocabulary", text("tokenizer.ggml.tokens")});
  for (const char* k : {"context_length", "embedding_length", "block_count", "attention.head_count",
                        "attention.head_count_kv"})
    if (std::string v = text(arch + "." + k); !v.empty()) out.push_back({k, v});
  return out;
}

}  // namespace lmzip
