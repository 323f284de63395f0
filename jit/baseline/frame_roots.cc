#include "jit/baseline/frame_roots.h"

#include <algorithm>
#include <cstddef>

#include "engine/interp/interp.h"
#include "engine/runtime/objects.h"
#include "gc/heap.h"
#include "jit/baseline/frame.h"
#include "jit/baseline/traps.h"

namespace wasmrun::jit {
namespace {

thread_local JitActivation* t_activation = nullptr;

uintptr_t word(uintptr_t addr) { return *reinterpret_cast<const uintptr_t*>(addr); }

void visit_slots(uint64_t* slots, size_t n, gc::RootVisitor& visit) {
  visit.conservative(slots, n);
}

/// Visits the reference slots of the JIT frame whose rbp is `rbp`.
void visit_frame(uintptr_t rbp, gc::RootVisitor& visit) {
  auto* f = *reinterpret_cast<rt::FuncInst**>(rbp + kFrameSelf);
  const FrameMap* map = frame_map_of(f);
  if (!map) return;  // not compiled code (cannot happen for a frame in the chain)
  auto* slots = reinterpret_cast<uint64_t*>(rbp - map->frame_bytes);
  uint32_t site = *reinterpret_cast<const uint32_t*>(rbp + kFrameOffset);
  uint32_t n = 0;
  const uint32_t* refs = nullptr;
  if (!map->find(site, refs, n)) {
    // Unknown call site: the whole slot area, conservatively.
    visit_slots(slots, (map->frame_bytes - kFrameHeader) / 8, visit);
    return;
  }
  for (uint32_t l : map->locals) visit_slots(slots + l, 1, visit);
  for (uint32_t i = 0; i < n; ++i) visit_slots(slots + refs[i], 1, visit);
}

}  // namespace

bool FrameMap::find(uint32_t site, const uint32_t*& refs, uint32_t& n) const {
  auto it = std::lower_bound(sites.begin(), sites.end(), site);
  if (it == sites.end() || *it != site) {
    refs = nullptr;
    n = 0;
    return false;
  }
  // A site with no reference slots is known too (refs may be null then: an
  // empty `slots` has no data).
  size_t i = static_cast<size_t>(it - sites.begin());
  n = starts[i + 1] - starts[i];
  refs = slots.data() + starts[i];
  return true;
}

void FrameMapBuilder::add(uint32_t site, std::vector<uint32_t> ref_slots) {
  sites_.emplace_back(site, std::move(ref_slots));
}

uint32_t FrameMap::access_offset_at(uintptr_t pc) const {
  if (pc < code) return 0;
  auto rel = static_cast<uint32_t>(pc - code);
  auto it = std::upper_bound(access_pcs.begin(), access_pcs.end(), rel);
  if (it == access_pcs.begin()) return 0;
  return access_offsets[static_cast<size_t>(it - access_pcs.begin()) - 1];
}

std::shared_ptr<const FrameMap> FrameMapBuilder::finish(uint32_t frame_bytes, uintptr_t code) {
  std::sort(sites_.begin(), sites_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  auto m = std::make_shared<FrameMap>();
  m->frame_bytes = frame_bytes;
  m->code = code;
  m->locals = std::move(locals_);
  m->access_pcs = std::move(access_pcs_);
  m->access_offsets = std::move(access_offsets_);
  for (size_t i = 0; i < sites_.size();) {
    std::vector<uint32_t> u;
    size_t j = i;
    for (; j < sites_.size() && sites_[j].first == sites_[i].first; ++j)
      u.insert(u.end(), sites_[j].second.begin(), sites_[j].second.end());
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    m->sites.push_back(sites_[i].first);
    m->starts.push_back(static_cast<uint32_t>(m->slots.size()));
    m->slots.insert(m->slots.end(), u.begin(), u.end());
    i = j;
  }
  m->starts.push_back(static_cast<uint32_t>(m->slots.size()));
  return m;
}

const JitActivation* innermost_activation() { return t_activation; }

JitActivation::JitActivation() : prev(t_activation), interp_depth(interp::frame_depth()) {
  t_activation = this;
}

JitActivation::JitActivation(const void* return_address, const void* frame)
    : prev(t_activation), interp_depth(interp::frame_depth()) {
  if (in_jit_code(reinterpret_cast<uintptr_t>(return_address)))
    caller_frame = word(reinterpret_cast<uintptr_t>(frame));
  t_activation = this;
}

// Restores the enclosing activation (not a pop of this one), so that the one a
// trap unwinds to (baseline_invoke's) also drops the inner activations whose C++
// frames siglongjmp skipped.
JitActivation::~JitActivation() { t_activation = prev; }

}  // namespace wasmrun::jit

namespace wasmrun::rt {

void baseline_visit_roots(gc::RootVisitor& visit) {
  using namespace wasmrun::jit;
  visit_pending_tail_call(visit);
  for (const JitActivation* a = t_activation; a; a = a->prev) {
    // The adapter's callee's arguments (its results are written only after it
    // returned, when nothing allocates any more).
    if (a->tail_args) visit_slots(a->tail_args, a->tail_slots, visit);
    // The run of JIT frames that called this activation, innermost first.
    for (uintptr_t rbp = a->caller_frame; rbp;) {
      visit_frame(rbp, visit);
      if (!in_jit_code(word(rbp + 8))) break;
      rbp = word(rbp);
    }
  }
}

}  // namespace wasmrun::rt
