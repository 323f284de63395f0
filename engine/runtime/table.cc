#include "engine/runtime/table.h"

namespace wasmrun::rt {
namespace {
// Tables beyond this many elements are refused (grow returns -1) rather than
// risking an out-of-memory abort in the host.
constexpr uint64_t kMaxTableElems = uint64_t{1} << 24;
}  // namespace

bool TableInst::init(const TableType& t, uint64_t v) {
  type = t;
  uint64_t spec_max = t.limits.address64 ? ~uint64_t{0} : 0xFFFFFFFFu;
  max = t.limits.max ? std::min(*t.limits.max, spec_max) : spec_max;
  if (t.limits.min > kMaxTableElems) return false;
  elems.assign(t.limits.min, v);
  data = elems.data();
  size = elems.size();
  return true;
}

int64_t TableInst::grow(uint64_t delta, uint64_t v) {
  uint64_t old = size;
  if (delta > max || old + delta > max || old + delta > kMaxTableElems) return -1;
  elems.resize(old + delta, v);
  data = elems.data();
  size = elems.size();
  type.limits.min = size;
  return static_cast<int64_t>(old);
}

}  // namespace wasmrun::rt
