// Stack maps for lowered functions: the validator's reference positions mapped
// to frame slots (see stack_map_recorder.h).
#include "engine/interp/stack_map_recorder.h"

#include <algorithm>

namespace wasmrun::interp {

StackMapRecorder::StackMapRecorder(const Module& m, const FunctionInfo& info,
                                   std::span<const uint32_t> local_slots)
    : info_(info) {
  for (size_t i = 0; i < info.locals.size() && i < local_slots.size(); ++i)
    if (holds_gc_object(m, info.locals[i])) local_refs_.push_back(local_slots[i]);
}

std::span<const uint32_t> StackMapRecorder::operand_refs(uint32_t offset, size_t height) {
  const std::vector<SafepointTypes>& sps = info_.safepoints;
  while (cursor_ < sps.size() && sps[cursor_].offset < offset) ++cursor_;
  if (cursor_ == sps.size() || sps[cursor_].offset != offset || sps[cursor_].height != height) {
    precise_ = false;
    return {};
  }
  const SafepointTypes& sp = sps[cursor_];
  return std::span<const uint32_t>(info_.safepoint_refs).subspan(sp.first, sp.count);
}

void StackMapRecorder::add_fixed_slots(uint32_t first, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) local_refs_.push_back(first + i);
}

void StackMapRecorder::add(uint32_t pos, std::vector<uint32_t> operand_slots) {
  operand_slots.insert(operand_slots.end(), local_refs_.begin(), local_refs_.end());
  std::sort(operand_slots.begin(), operand_slots.end());
  operand_slots.erase(std::unique(operand_slots.begin(), operand_slots.end()), operand_slots.end());
  points_.emplace_back(pos, std::move(operand_slots));
}

void StackMapRecorder::finish(Code& code) {
  code.precise_roots = precise_;
  if (!precise_) return;
  std::sort(points_.begin(), points_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  gc::StackMap::Builder b(code.frame_slots);
  for (const auto& [pos, slots] : points_) b.add(pos, slots);
  code.stack_map = b.finish();
}

}  // namespace wasmrun::interp
