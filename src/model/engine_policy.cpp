// The engine choices of lmzip/engine.h: the lane heuristic, the kernel path.
#include <algorithm>

#include "kernels/kernels.h"
#include "lmzip/engine.h"

namespace lmzip {

bool lanes_pay_off(const StepCost& cost, uint64_t cache_bytes) {
  if (cost.weights <= 0 || cost.lane_group <= 1) return false;
  const double cache = double(std::min(cache_bytes, kCacheBytesMax));
  const bool fits = cost.weights + cost.state_max <= cache / 2;
  const double one = (cost.weights + cost.state) / (fits ? kCacheSpeedup : 1.0);
  const double lanes = cost.lane_state + cost.weights / double(cost.lane_group);
  return lanes < one;
}

size_t decode_lanes(const Model& model, const EngineOptions& options) {
  switch (options.lanes) {
    case LaneMode::never: return 1;
    case LaneMode::always: return kMaxLanes;
    case LaneMode::automatic: break;
  }
  return lanes_pay_off(model.step_cost(), options.cache_bytes) ? kMaxLanes : 1;
}

bool kernels_use(const std::string& name) { return kernels_select(name.c_str()); }

std::string kernels_in_use() { return kernels().name; }

}  // namespace lmzip
