#include "model/filtered_predictor.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace lmzip {
namespace {

// freq[(t + offset) mod 256] = token_freq[t], in place.
void rotate(uint32_t* freq, uint8_t offset) {
  if (offset == 0) return;
  uint32_t tmp[256];
  std::memcpy(tmp, freq, sizeof tmp);
  for (int t = 0; t < 256; ++t) freq[uint8_t(t + offset)] = tmp[t];
}

// What the inner predictor is updated with after `token`, once the filter has
// moved past its byte.
Symbol inner_symbol(uint8_t token, const ResidualFilter& f, bool tagged) {
  return tagged ? Symbol(token) + 256 * f.tag() : Symbol(token);
}

std::unique_ptr<TokenMixer> mixer_make(MixerKind kind, const FilterSpec& spec) {
  return kind == MixerKind::none ? nullptr : std::make_unique<TokenMixer>(spec);
}

// One filter (and mixer) per lane, in front of the inner predictor's lanes.
class FilteredPredictor final : public Predictor {
 public:
  FilteredPredictor(std::unique_ptr<Predictor> inner, const FilterSpec& spec, bool tagged, MixerKind mixer)
      : inner_(std::move(inner)), spec_(spec), tagged_(tagged), mixer_kind_(mixer) {
    reset(1);
  }

  int alphabet_size() const override { return 256; }
  size_t max_lanes() const override { return inner_->max_lanes(); }
  void reset(size_t lanes) override {
    inner_->reset(lanes);
    filters_.assign(lanes, ResidualFilter(spec_));
    tokens_.resize(lanes);
    if (mixer_kind_ == MixerKind::none) return;
    while (mixers_.size() < lanes) mixers_.push_back(mixer_make(mixer_kind_, spec_));
    for (size_t b = 0; b < lanes; ++b) mixers_[b]->reset();
  }
  void predict(uint32_t* freqs, uint32_t* totals) override {
    inner_->predict(freqs, totals);
    for (size_t b = 0; b < filters_.size(); ++b) {
      if (mixer_kind_ != MixerKind::none) {
        mixers_[b]->mix(freqs + b * 256);
        totals[b] = kMixTotal;
      }
      rotate(freqs + b * 256, filters_[b].offset());
    }
  }
  void update(std::span<const Symbol> symbols) override {
    if (mixer_kind_ != MixerKind::none && !filters_.empty() && !mixers_[0]->mixed()) {
      // The mixers learn from what they predicted.
      scratch_.resize(filters_.size() * 257);
      predict(scratch_.data(), scratch_.data() + filters_.size() * 256);
    }
    if (symbols.size() < filters_.size())  // the last lanes ended
      filters_.erase(filters_.begin() + std::ptrdiff_t(symbols.size()), filters_.end());
    tokens_.resize(filters_.size());
    for (size_t b = 0; b < filters_.size(); ++b) {
      const uint8_t token = filters_[b].push(uint8_t(symbols[b]));
      if (mixer_kind_ != MixerKind::none) mixers_[b]->update(token, uint8_t(symbols[b]));
      tokens_[b] = inner_symbol(token, filters_[b], tagged_);
    }
    inner_->update(tokens_);
  }
  void predict_batch(std::span<const Symbol> symbols, uint32_t* freqs, uint32_t* totals) override {
    ResidualFilter& filter = filters_[0];
    batch_.resize(symbols.size());
    offsets_.resize(symbols.size());
    for (size_t i = 0; i < symbols.size(); ++i) {
      offsets_[i] = filter.offset();
      const uint8_t token = filter.push(uint8_t(symbols[i]));
      batch_[i] = inner_symbol(token, filter, tagged_);
    }
    inner_->predict_batch(batch_, freqs, totals);
    for (size_t i = 0; i < symbols.size(); ++i) {
      if (mixer_kind_ != MixerKind::none) {
        mixers_[0]->mix(freqs + i * 256);
        totals[i] = kMixTotal;
        mixers_[0]->update(uint8_t(batch_[i]), uint8_t(symbols[i]));
      }
      rotate(freqs + i * 256, offsets_[i]);
    }
  }

 private:
  std::unique_ptr<Predictor> inner_;
  FilterSpec spec_;
  bool tagged_;
  MixerKind mixer_kind_;
  std::vector<ResidualFilter> filters_;              // (lanes)
  std::vector<std::unique_ptr<TokenMixer>> mixers_;  // (lanes) with a mixer
  std::vector<Symbol> tokens_;                       // what the inner lanes are updated with
  std::vector<Symbol> batch_;                        // predict_batch: the inner symbols
  std::vector<uint8_t> offsets_;                     // predict_batch: each position's rotation
  std::vector<uint32_t> scratch_;
};

}  // namespace

std::unique_ptr<Predictor> filtered_predictor_make(std::unique_ptr<Predictor> inner, const FilterSpec& spec,
                                                   bool inner_takes_tags, MixerKind mixer) {
  if (spec.kind == FilterSpec::Kind::none || !inner) return inner;
  return std::make_unique<FilteredPredictor>(std::move(inner), spec, inner_takes_tags, mixer);
}

}  // namespace lmzip
