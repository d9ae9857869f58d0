#include "train_bpe.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <queue>
#include <sstream>

namespace lmzip::train {

namespace {

enum class ByteClass { word, space, other };

ByteClass class_of(uint8_t b) {
  if ((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b >= 0x80) return ByteClass::word;
  if (b == ' ' || b == '\t' || b == '\n' || b == '\r') return ByteClass::space;
  return ByteClass::other;
}

uint64_t pair_key(int a, int b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

}  // namespace

std::vector<size_t> bpe_pieces(std::span<const uint8_t> text) {
  std::vector<size_t> ends;
  const size_t n = text.size();
  auto word_at = [&](size_t i) { return i < n && class_of(text[i]) == ByteClass::word; };
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    const uint8_t b = text[i];
    if (class_of(b) == ByteClass::word || (b == ' ' && word_at(i + 1))) {
      while (word_at(j)) ++j;
    } else if (class_of(b) == ByteClass::space) {
      // A run of spaces leaves its last space to the word after it.
      while (j < n && class_of(text[j]) == ByteClass::space && !(text[j] == ' ' && word_at(j + 1))) ++j;
    } else {
      while (j < n && text[j] == b) ++j;
    }
    ends.push_back(j);
    i = j;
  }
  return ends;
}

BpeMerges bpe_train(std::span<const uint8_t> text, int vocab) {
  BpeMerges m;
  // The distinct pieces with their counts, in byte order (so that nothing
  // depends on a hash table's order).
  std::unordered_map<std::string, int64_t> counted;
  size_t at = 0;
  for (size_t end : bpe_pieces(text)) {
    ++counted[std::string(reinterpret_cast<const char*>(text.data()) + at, end - at)];
    at = end;
  }
  std::vector<std::pair<std::string, int64_t>> pieces(counted.begin(), counted.end());
  std::sort(pieces.begin(), pieces.end());
  std::vector<std::vector<int>> words(pieces.size());  // each piece as token ids
  std::vector<int64_t> freq(pieces.size());
  std::unordered_map<uint64_t, int64_t> pair_count;
  std::unordered_map<uint64_t, std::vector<int>> pair_words;  // words that held the pair (may repeat)
  for (size_t w = 0; w < pieces.size(); ++w) {
    freq[w] = pieces[w].second;
    for (char c : pieces[w].first) words[w].push_back(uint8_t(c));
    for (size_t i = 0; i + 1 < words[w].size(); ++i) {
      const uint64_t k = pair_key(words[w][i], words[w][i + 1]);
      pair_count[k] += freq[w];
      pair_words[k].push_back(int(w));
    }
  }
  // Max-heap on (count, then the smaller key); entries go stale when counts
  // change and are skipped when popped.
  struct Entry {
    int64_t count;
    uint64_t key;
  };
  auto lower = [](const Entry& x, const Entry& y) { return x.count != y.count ? x.count < y.count : x.key > y.key; };
  std::priority_queue<Entry, std::vector<Entry>, decltype(lower)> heap(lower);
  for (const auto& [k, c] : pair_count) heap.push({c, k});
  std::vector<int> stamp(words.size(), -1);
  while (m.vocab() < vocab && !heap.empty()) {
    const Entry e = heap.top();
    heap.pop();
    const auto it = pair_count.find(e.key);
    if (it == pair_count.end() || it->second != e.count) continue;
    if (e.count < 2) break;
    const int a = int(e.key >> 32), b = int(uint32_t(e.key)), z = m.vocab();
    m.merges.push_back({a, b});
    const std::vector<int> touched = std::move(pair_words[e.key]);
    pair_words.erase(e.key);
    std::unordered_map<uint64_t, int64_t> delta;
    for (int w : touched) {
      if (stamp[size_t(w)] == z) continue;
      stamp[size_t(w)] = z;
      std::vector<int>& s = words[size_t(w)];
      for (size_t i = 0; i + 1 < s.size(); ++i) delta[pair_key(s[i], s[i + 1])] -= freq[size_t(w)];
      std::vector<int> t;
      for (size_t i = 0; i < s.size();) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          t.push_back(z);
          i += 2;
        } else {
          t.push_back(s[i++]);
        }
      }
      s = std::move(t);
      for (size_t i = 0; i + 1 < s.size(); ++i) {
        const uint64_t k = pair_key(s[i], s[i + 1]);
        delta[k] += freq[size_t(w)];
        pair_words[k].push_back(w);
      }
    }
    for (const auto& [k, d] : delta) {
      if (d == 0) continue;
      int64_t& c = pair_count[k];
      c += d;
      if (c <= 0) pair_count.erase(k);
      else heap.push({c, k});
    }
  }
  return m;
}

BpeEncoder::BpeEncoder(BpeMerges m) : m_(std::move(m)) {
  for (int c = 0; c < 256; ++c) bytes_.push_back(std::string(1, char(c)));
  for (size_t i = 0; i < m_.merges.size(); ++i) {
    const auto [a, b] = m_.merges[i];
    rank_.emplace(pair_key(a, b), int(i));
    bytes_.push_back(bytes_[size_t(a)] + bytes_[size_t(b)]);
  }
}

void BpeEncoder::encode(std::span<const uint8_t> text, std::vector<int>& ids) {
  size_t at = 0;
  for (size_t end : bpe_pieces(text)) {
    std::string piece(reinterpret_cast<const char*>(text.data()) + at, end - at);
    at = end;
    auto hit = cache_.find(piece);
    if (hit == cache_.end()) {
      std::vector<int> s(piece.begin(), piece.end());
      for (int& c : s) c = uint8_t(c);
      for (;;) {
        int best = -1;
        for (size_t i = 0; i + 1 < s.size(); ++i) {
          const auto r = rank_.find(pair_key(s[i], s[i + 1]));
          if (r != rank_.end() && (best < 0 || r->second < best)) best = r->second;
        }
        if (best < 0) break;
        const auto [a, b] = m_.merges[size_t(best)];
        std::vector<int> t;
        for (size_t i = 0; i < s.size();) {
          if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
            t.push_back(256 + best);
            i += 2;
          } else {
            t.push_back(s[i++]);
          }
        }
        s = std::move(t);
      }
      hit = cache_.emplace(std::move(piece), std::move(s)).first;
    }
    ids.insert(ids.end(), hit->second.begin(), hit->second.end());
  }
}

Status bpe_add_source(BpeEncoder& enc, DataLoader& data, const std::string& name, std::span<const uint8_t> bytes,
                      double weight, int window) {
  if (enc.vocab() > 65536) return Status(ErrorCode::invalid_argument, "a BPE vocabulary of at most 65,536 tokens");
  std::vector<int> ids;
  enc.encode(bytes, ids);
  return data.add_ids(name, std::vector<uint16_t>(ids.begin(), ids.end()), bytes.size(), weight, window);
}

void bpe_chunk_ids(BpeEncoder& enc, EvalSet& set) {
  set.chunk_ids.clear();
  std::vector<int> ids;
  for (const auto& [off, len] : eval_chunks(set)) {
    ids.clear();
    enc.encode(std::span<const uint8_t>(set.bytes).subspan(off, size_t(len)), ids);
    set.chunk_ids.emplace_back(ids.begin(), ids.end());
  }
}

Status bpe_write(const BpeMerges& m, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << "lmzip-bpe 1\n";
  for (const auto& [a, b] : m.merges) f << a << ' ' << b << '\n';
  f.close();
  if (!f) return Status(ErrorCode::io, "cannot write " + path);
  return Status::success();
}

Result<BpeMerges> bpe_read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status(ErrorCode::io, "cannot open " + path);
  std::string line;
  if (!std::getline(f, line) || line != "lmzip-bpe 1")
    return Status(ErrorCode::invalid_argument, path + ": not an lmzip BPE file (first line 'lmzip-bpe 1')");
  BpeMerges m;
  for (int n = 2; std::getline(f, line); ++n) {
    std::istringstream in(line);
    long a = -1, b = -1;
    std::string rest;
    // Each side must name a token that exists before this merge.
    if (!(in >> a >> b) || (in >> rest) || a < 0 || b < 0 || a >= m.vocab() || b >= m.vocab())
      return Status(ErrorCode::invalid_argument, path + ":" + std::to_string(n) + ": expected two earlier token ids");
    m.merges.push_back({int(a), int(b)});
  }
  return m;
}

}  // namespace lmzip::train
