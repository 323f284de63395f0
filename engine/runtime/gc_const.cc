#include "engine/runtime/gc_const.h"

#include "gc/construct.h"
#include "gc/value.h"

namespace wasmrun::rt {
namespace {

Error alloc_error(gc::Heap& heap) {
  TrapKind k = heap.last_failure() == gc::AllocFailure::TooLarge ? TrapKind::ArrayTooLarge
                                                                 : TrapKind::HeapExhausted;
  Error e(ErrorKind::Trap, trap_message(k));
  auto info = std::make_shared<TrapInfo>();
  info->kind = k;
  e.trap = std::move(info);
  return e;
}

/// Flattens the top `n` stack values into operand slots (v128 = two slots).
std::vector<uint64_t> operand_slots(const std::vector<ConstSlot>& st, size_t n,
                                    const std::vector<bool>& wide) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < n; ++i) {
    const ConstSlot& s = st[st.size() - n + i];
    out.push_back(s.v[0]);
    if (wide[i]) out.push_back(s.v[1]);
  }
  return out;
}

}  // namespace

bool is_gc_const_op(Op op) {
  switch (op) {
    case Op::struct_new:
    case Op::struct_new_default:
    case Op::array_new:
    case Op::array_new_default:
    case Op::array_new_fixed:
    case Op::ref_i31: return true;
    default: return false;
  }
}

Status eval_gc_const(InstanceInst& inst, const Instr& in, std::vector<ConstSlot>& st) {
  if (in.op == Op::ref_i31) {
    st.back().v[0] = gc::make_i31(static_cast<uint32_t>(st.back().v[0]));
    return {};
  }
  CompiledModule& cm = *inst.module;
  const gc::Rtt* rtt = cm.engine->rtt(cm.type_ids[in.index]);
  gc::Heap& heap = inst.store->gc_heap();
  // The stack's objects must survive the allocation: hold each in a handle.
  // (Only owned objects: funcrefs on the stack are not heap objects.)
  gc::HandleScope scope(heap);
  for (const ConstSlot& s : st)
    if (heap.owns(s.v[0])) scope.make(s.v[0]);
  gc::Object* o = nullptr;
  size_t popped = 0;
  switch (in.op) {
    case Op::struct_new: {
      size_t n = rtt->fields.size();
      std::vector<bool> wide(n);
      for (size_t i = 0; i < n; ++i) wide[i] = rtt->fields[i].storage == gc::Storage::V128;
      std::vector<uint64_t> ops = operand_slots(st, n, wide);
      o = gc::new_struct(heap, *rtt, ops.data());
      popped = n;
      break;
    }
    case Op::struct_new_default: o = heap.try_alloc_struct(*rtt); break;
    case Op::array_new: {
      uint32_t len = static_cast<uint32_t>(st.back().v[0]);
      ConstSlot v = st[st.size() - 2];
      o = gc::new_array_filled(heap, *rtt, len, v.v);
      popped = 2;
      break;
    }
    case Op::array_new_default:
      o = heap.try_alloc_array(*rtt, static_cast<uint32_t>(st.back().v[0]));
      popped = 1;
      break;
    case Op::array_new_fixed: {
      size_t n = in.index2;
      std::vector<bool> wide(n, rtt->elem_storage == gc::Storage::V128);
      std::vector<uint64_t> ops = operand_slots(st, n, wide);
      o = gc::new_array_fixed(heap, *rtt, static_cast<uint32_t>(n), ops.data());
      popped = n;
      break;
    }
    default:
      return Error(ErrorKind::Unsupported,
                   std::string("unsupported constant instruction ") + op_info(in.op).mnemonic);
  }
  if (!o) return alloc_error(heap);
  st.resize(st.size() - popped);
  st.push_back({{gc::from_object(o), 0}});
  return {};
}

}  // namespace wasmrun::rt
