// Safepoint reference maps: building with deduplication, lookup by position.
#include "gc/stack_map.h"

#include <algorithm>
#include <bit>

namespace wasmrun::gc {

void StackMap::Builder::add(uint32_t pos, std::span<const uint32_t> ref_slots) {
  std::vector<uint64_t> bits((frame_slots_ + 63) / 64, 0);
  for (uint32_t s : ref_slots) bits[s / 64] |= uint64_t{1} << (s % 64);
  // Most safepoints of a function share a few shapes; store each shape once.
  positions_.push_back(pos);
  auto [it, inserted] = index_of_.try_emplace(bits, static_cast<uint32_t>(bitmaps_.size()));
  if (inserted) bitmaps_.push_back(std::move(bits));
  bitmap_index_.push_back(it->second);
}

StackMap StackMap::Builder::finish() {
  StackMap m;
  m.words_per_bitmap_ = (frame_slots_ + 63) / 64;
  m.positions_ = std::move(positions_);
  m.bitmap_index_ = std::move(bitmap_index_);
  for (const auto& b : bitmaps_) m.bits_.insert(m.bits_.end(), b.begin(), b.end());
  return m;
}

const uint64_t* StackMap::bitmap(uint32_t pos) const {
  auto it = std::lower_bound(positions_.begin(), positions_.end(), pos);
  if (it == positions_.end() || *it != pos) return nullptr;
  return bits_.data() + size_t{bitmap_index_[it - positions_.begin()]} * words_per_bitmap_;
}

bool StackMap::has(uint32_t pos) const { return bitmap(pos) != nullptr; }

bool StackMap::visit_frame(uint32_t pos, uint64_t* frame, RootVisitor& visit) const {
  const uint64_t* b = bitmap(pos);
  if (!b) return false;
  for (uint32_t w = 0; w < words_per_bitmap_; ++w) {
    for (uint64_t bits = b[w]; bits != 0; bits &= bits - 1) {
      visit(&frame[w * 64 + static_cast<uint32_t>(std::countr_zero(bits))]);
    }
  }
  return true;
}

std::vector<uint32_t> StackMap::ref_slots(uint32_t pos) const {
  std::vector<uint32_t> out;
  const uint64_t* b = bitmap(pos);
  if (!b) return out;
  for (uint32_t w = 0; w < words_per_bitmap_; ++w) {
    for (uint64_t bits = b[w]; bits != 0; bits &= bits - 1) {
      out.push_back(w * 64 + static_cast<uint32_t>(std::countr_zero(bits)));
    }
  }
  return out;
}

}  // namespace wasmrun::gc
