// The baseline compiler (see compiler.h, frame.h and docs/jit-baseline.md).
//
// One pass with the shared InstrReader. The compiler keeps a virtual operand stack
// (as V8's Liftoff does): each entry is a constant not yet emitted, a value in a
// register, a pending comparison (flags not yet turned into 0/1, so compare+branch
// fuse), or a value in its home slot. Every stack position has a fixed home slot in
// the frame, like the interpreter's register-style code. At every control-flow
// merge (block entry, branch, label) all entries are spilled to their homes, so a
// label's state is always "everything in memory": simple and always consistent.
// Locals live in their frame slots. Instructions without an inline expansion call
// the interpreter's own semantics through helpers.h (gc_helpers.h for Wasm GC,
// whose expansions are in compile_gc.inc); anything else (no instruction the
// validator accepts today) fails with Unsupported, and the caller runs the whole
// function in the interpreter.
#include "jit/baseline/compiler.h"

#include <asmjit/x86.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/decode/instr_reader.h"
#include "engine/interp/gc_ops.h"
#include "engine/runtime/objects.h"
#include "gc/object.h"
#include "jit/baseline/frame.h"
#include "jit/baseline/frame_roots.h"
#include "jit/baseline/gc_helpers.h"
#include "jit/baseline/helpers.h"
#include "jit/baseline/isa.h"
#include "jit/baseline/runtime_calls.h"
#include "jit/baseline/traps.h"
#include "wasmrun/trap.h"

namespace wasmrun::jit {

const RuntimeOffsets& runtime_offsets() {
  static const RuntimeOffsets offs = [] {
    RuntimeOffsets o;
    rt::FuncInst f;
    auto* fb = reinterpret_cast<const char*>(&f);
    o.func_instance = static_cast<int32_t>(reinterpret_cast<const char*>(&f.instance) - fb);
    o.func_entry = static_cast<int32_t>(reinterpret_cast<const char*>(&f.jit_entry) - fb);
    auto inst = std::make_unique<rt::InstanceInst>();
    o.instance_ctx = static_cast<int32_t>(reinterpret_cast<const char*>(&inst->ctx) -
                                          reinterpret_cast<const char*>(inst.get()));
    return o;
  }();
  return offs;
}

namespace {

using namespace asmjit;
using x86::CondCode;

// Allocatable registers: caller-saved ones only, so a prologue saves just r14 and
// r15 (every call spills the value stack anyway). rsp/rbp are the frame, r11 is
// scratch, r14 holds memory 0's base and r15 the VMContext. rax, rcx and rdx come
// last so that division and shifts, which need them, rarely evict anything.
constexpr uint8_t kGpOrder[] = {6, 7, 8, 9, 10, 1, 2, 0};
constexpr uint8_t kNumXmm = 8;  // xmm0..xmm7; xmm8..13 hold pinned locals, 14/15 scratch
// The most used numeric locals of a function live in registers for its whole body
// (pinned): GP ones in callee-saved rbx/r12/r13, so calls preserve them; f32,
// f64 and v128 ones in xmm8..xmm13, saved to their slots around calls.
constexpr uint8_t kPinGp[] = {3, 12, 13};
constexpr uint8_t kPinXmm[] = {8, 9, 10, 11, 12, 13};
constexpr uint8_t kRax = 0, kRcx = 1, kRdx = 2;

enum class Loc : uint8_t { Mem, Reg, Const, Cond };

struct Val {
  ValKind kind = ValKind::I32;
  Loc loc = Loc::Mem;
  uint8_t reg = 0;
  CondCode cc = CondCode::kE;
  uint32_t slot = 0;  ///< home slot (8-byte units from rsp)
  uint64_t k = 0;     ///< Loc::Const
};

bool is_gp(ValKind k) { return k == ValKind::I32 || k == ValKind::I64 || k == ValKind::Ref; }
bool is_xmm(ValKind k) { return k == ValKind::F32 || k == ValKind::F64; }
/// Kinds that live in XMM registers when in a register (v128 only after an
/// inline SIMD expansion; elsewhere v128 values stay in their homes).
bool in_xmm(ValKind k) { return is_xmm(k) || k == ValKind::V128; }
uint32_t width(ValKind k) { return k == ValKind::V128 ? 2 : 1; }
ValKind kind_of(const ValType& t) { return t.kind == ValKind::Bot ? ValKind::I32 : t.kind; }
ValKind kind_of_sig(char c) {
  switch (c) {
    case 'I': return ValKind::I64;
    case 'f': return ValKind::F32;
    case 'F': return ValKind::F64;
    case 'v': return ValKind::V128;
    default: return ValKind::I32;
  }
}
bool fits_i32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

x86::Mem slot_mem(uint32_t slot, uint32_t size = 8) {
  return x86::ptr(x86::rsp, static_cast<int32_t>(slot * 8), size);
}

struct Ctl {
  enum class Kind : uint8_t { Block, Loop, If, Func, Try, TryTable };
  Kind kind = Kind::Block;
  uint32_t height = 0;     ///< stack size below the block's parameters
  uint32_t base_slot = 0;  ///< home slot of the first parameter/result
  std::vector<ValKind> params, results;
  Label label;       ///< end (block, if) or head (loop)
  Label else_label;  ///< if
  bool has_else = false;
  bool unreachable = false;
  int32_t exn_ctx = -1;    ///< try, try_table: its handler context (compile_exceptions.inc)
  int32_t outer_ctx = -1;  ///< the handler context active where the block was entered
  bool catching = false;   ///< try: past its body (in a catch); try_table: ended
  int32_t exn_slot = -1;   ///< try: hidden slot of the caught exnref (rethrow)
  const std::vector<ValKind>& label_kinds() const { return kind == Kind::Loop ? params : results; }
};

struct TrapSite {
  Label label;
  TrapKind kind;
  uint32_t offset;
};

struct JumpTable {
  Label table;
  std::vector<Label> targets;
};

/// A catch clause of a handler context: the table row h_catch reads, and where
/// the code continues when it matches.
struct ExnClause {
  CatchEntry entry{};
  Label target;
  bool to_func = false;    ///< the function's label: return the payload
  uint32_t to_return = 0;  ///< slots to copy to the results when to_func
};

/// A try_table body, legacy try body or delegating try (compile_exceptions.inc).
struct ExnCtx {
  Label dispatch;
  std::vector<ExnClause> clauses;
  int32_t next = -1;  ///< context consulted when no clause matches; -1: the caller
};

/// An inline atomic access whose address is misaligned: its out-of-line call of
/// h_atomic (operands in slots from `first`, operand words at `words`) traps.
struct AtomicMisaligned {
  Label label;
  uint32_t first;
  Label words;
  uint32_t offset;  ///< bytecode offset of the instruction
};

class Compiler {
 public:
  Compiler(const rt::CompiledModule& cm, uint32_t defined, void* lazy_entry)
      : cm_(cm), m_(cm.m()), defined_(defined), lazy_entry_(lazy_entry) {}

  Result<CompiledFunction> run(bool install);

 private:
  // ---- registers ----
  uint8_t alloc_gp(uint32_t exclude = 0) {
    for (uint8_t r : kGpOrder)
      if (!(gp_used_ & (1u << r)) && !(exclude & (1u << r))) {
        gp_used_ |= 1u << r;
        return r;
      }
    for (Val& v : vs_)
      if (v.loc == Loc::Reg && is_gp(v.kind) && !(exclude & (1u << v.reg))) {
        uint8_t r = v.reg;
        a_->mov(slot_mem(v.slot), x86::gpq(r));
        v.loc = Loc::Mem;
        return r;  // stays marked used, now by the caller
      }
    std::abort();  // unreachable: at most three popped operands hold registers
  }
  uint8_t alloc_xmm() {
    for (uint8_t r = 0; r < kNumXmm; ++r)
      if (!(xmm_used_ & (1u << r))) {
        xmm_used_ |= 1u << r;
        return r;
      }
    for (Val& v : vs_)
      if (v.loc == Loc::Reg && in_xmm(v.kind)) {
        store_reg(v, v.slot);
        v.loc = Loc::Mem;
        return v.reg;
      }
    std::abort();
  }
  void free_val(const Val& v) {
    if (v.loc != Loc::Reg) return;
    if (is_gp(v.kind))
      gp_used_ &= ~(1u << v.reg);
    else
      xmm_used_ &= ~(1u << v.reg);
  }
  /// Moves whatever stack entry holds GP register `r` to memory.
  void evict_gp(uint8_t r) {
    for (Val& v : vs_)
      if (v.loc == Loc::Reg && is_gp(v.kind) && v.reg == r) {
        a_->mov(slot_mem(v.slot), x86::gpq(r));
        v.loc = Loc::Mem;
        gp_used_ &= ~(1u << r);
      }
  }

  // ---- the value stack ----
  uint32_t top_slot() const {
    return vs_.empty() ? num_local_slots_ : vs_.back().slot + width(vs_.back().kind);
  }
  Val& push(ValKind k, Loc loc) {
    Val v;
    v.kind = k;
    v.loc = loc;
    v.slot = top_slot();
    if (v.slot + width(k) > max_slots_) max_slots_ = v.slot + width(k);
    vs_.push_back(v);
    return vs_.back();
  }
  void push_reg(ValKind k, uint8_t r) { push(k, Loc::Reg).reg = r; }
  void push_const(ValKind k, uint64_t c) { push(k, Loc::Const).k = c; }
  void push_cond(CondCode cc) { push(ValKind::I32, Loc::Cond).cc = cc; }
  Val pop() {
    Val v = vs_.back();
    vs_.pop_back();
    return v;
  }

  void store_reg(const Val& v, uint32_t slot) {
    if (is_gp(v.kind))
      a_->mov(slot_mem(slot), x86::gpq(v.reg));
    else if (v.kind == ValKind::V128)
      a_->movdqu(slot_mem(slot, 16), x86::xmm(v.reg));
    else
      a_->movq(slot_mem(slot), x86::xmm(v.reg));  // f32 too: see store_const
  }
  /// Slots and global cells are always written with 8-byte stores (32-bit values
  /// sign-extended, readers use the low half): a narrower store followed by the
  /// callee's 8-byte argument load would defeat store-to-load forwarding.
  void store_const(ValKind k, uint64_t c, const x86::Mem& m) {
    x86::Mem mm = m;
    mm.setSize(8);
    int64_t v =
        k == ValKind::I32 || k == ValKind::F32 ? static_cast<int32_t>(c) : static_cast<int64_t>(c);
    if (fits_i32(v)) {
      a_->mov(mm, asmjit::Imm(v));
    } else {
      a_->mov(x86::r11, asmjit::Imm(c));
      a_->mov(mm, x86::r11);
    }
  }
  /// Writes `v` to `slot` without changing where the stack says it lives.
  void store_to_slot(const Val& v, uint32_t slot) {
    switch (v.loc) {
      case Loc::Reg: store_reg(v, slot); break;
      case Loc::Const: store_const(v.kind, v.k, slot_mem(slot)); break;
      case Loc::Mem:
        if (v.slot == slot) break;
        if (v.kind == ValKind::V128) {
          a_->movdqu(x86::xmm15, slot_mem(v.slot, 16));
          a_->movdqu(slot_mem(slot, 16), x86::xmm15);
        } else {
          a_->mov(x86::r11, slot_mem(v.slot));
          a_->mov(slot_mem(slot), x86::r11);
        }
        break;
      case Loc::Cond: std::abort();
    }
  }
  void materialize_cond(Val& v) {
    uint8_t r = alloc_gp();
    a_->set(v.cc, x86::gpb(r));
    a_->movzx(x86::gpd(r), x86::gpb(r));
    v.loc = Loc::Reg;
    v.reg = r;
  }
  void spill(Val& v) {
    if (v.loc == Loc::Cond) materialize_cond(v);
    if (v.loc == Loc::Mem) return;
    store_to_slot(v, v.slot);
    free_val(v);
    v.loc = Loc::Mem;
  }
  void spill_all() {
    for (Val& v : vs_) spill(v);
  }

  /// Brings a (popped) GP value into a register it owns.
  uint8_t to_gp(Val& v, uint32_t exclude = 0) {
    if (v.loc == Loc::Reg) {
      if (!(exclude & (1u << v.reg))) return v.reg;
      uint8_t r = alloc_gp(exclude);
      a_->mov(x86::gpq(r), x86::gpq(v.reg));
      free_val(v);
      v.reg = r;
      return r;
    }
    if (v.loc == Loc::Cond) {
      uint8_t r = alloc_gp(exclude);
      a_->set(v.cc, x86::gpb(r));
      a_->movzx(x86::gpd(r), x86::gpb(r));
      v.loc = Loc::Reg;
      v.reg = r;
      return r;
    }
    uint8_t r = alloc_gp(exclude);
    if (v.loc == Loc::Const) {
      if (v.kind == ValKind::I32)
        a_->mov(x86::gpd(r), asmjit::Imm(static_cast<uint32_t>(v.k)));
      else
        a_->mov(x86::gpq(r), asmjit::Imm(v.k));
    } else if (v.kind == ValKind::I32) {
      a_->mov(x86::gpd(r), slot_mem(v.slot, 4));
    } else {
      a_->mov(x86::gpq(r), slot_mem(v.slot));
    }
    v.loc = Loc::Reg;
    v.reg = r;
    return r;
  }
  uint8_t to_xmm(Val& v) {
    if (v.loc == Loc::Reg) return v.reg;
    uint8_t r = alloc_xmm();
    if (v.loc == Loc::Const) {
      if (v.kind == ValKind::F32) {
        a_->mov(x86::r11d, asmjit::Imm(static_cast<uint32_t>(v.k)));
        a_->movd(x86::xmm(r), x86::r11d);
      } else {
        a_->mov(x86::r11, asmjit::Imm(v.k));
        a_->movq(x86::xmm(r), x86::r11);
      }
    } else if (v.kind == ValKind::V128) {
      a_->movdqu(x86::xmm(r), slot_mem(v.slot, 16));
    } else if (v.kind == ValKind::F32) {
      a_->movss(x86::xmm(r), slot_mem(v.slot, 4));
    } else {
      a_->movsd(x86::xmm(r), slot_mem(v.slot, 8));
    }
    v.loc = Loc::Reg;
    v.reg = r;
    return r;
  }
  /// Puts a v128 value (popped or not) back in its home slot.
  void home_v128(Val& v) {
    if (v.loc == Loc::Reg) {
      store_reg(v, v.slot);
      free_val(v);
      v.loc = Loc::Mem;
    }
  }
  /// Writes `v` (not consumed) into pinned local `l`'s register.
  void set_pinned(uint32_t l, const Val& v) {
    uint8_t p = static_cast<uint8_t>(pinned_[l]);
    ValKind k = local_kind_[l];
    if (is_gp(k)) {
      if (v.loc == Loc::Reg)
        a_->mov(gp(k, p), gp(k, v.reg));
      else if (v.loc == Loc::Const)
        a_->mov(gp(k, p),
                asmjit::Imm(k == ValKind::I32 ? uint64_t{static_cast<uint32_t>(v.k)} : v.k));
      else
        a_->mov(gp(k, p), slot_mem(v.slot, k == ValKind::I32 ? 4 : 8));
      return;
    }
    if (v.loc == Loc::Reg) {
      a_->movaps(x86::xmm(p), x86::xmm(v.reg));
    } else if (v.loc == Loc::Const) {
      a_->mov(x86::r11, asmjit::Imm(v.k));
      a_->movq(x86::xmm(p), x86::r11);
    } else if (k == ValKind::F32) {
      a_->movss(x86::xmm(p), slot_mem(v.slot, 4));
    } else if (k == ValKind::V128) {
      a_->movdqu(x86::xmm(p), slot_mem(v.slot, 16));
    } else {
      a_->movsd(x86::xmm(p), slot_mem(v.slot, 8));
    }
  }
  x86::Gp gp(ValKind k, uint8_t r) const {
    return k == ValKind::I32 ? x86::Gp(x86::gpd(r)) : x86::Gp(x86::gpq(r));
  }

  // ---- traps, helpers, calls ----
  Label trap_label(TrapKind kind) {
    Label l = a_->newLabel();
    traps_.push_back({l, kind, cur_offset_});
    return l;
  }
  void set_call_offset() {
    a_->mov(x86::dword_ptr(x86::rbp, kFrameOffset), asmjit::Imm(cur_offset_));
  }
  /// Calls a helper with everything spilled; s = &slot[first].
  void call_helper(const void* fn, uint32_t first, uint64_t imm_a, uint64_t imm_b,
                   const Label* a_label = nullptr) {
    set_call_offset();
    record_gc_site();
    a_->lea(x86::rdi, slot_mem(first));
    a_->mov(x86::rsi, x86::r15);
    if (a_label)
      a_->lea(x86::rdx, x86::ptr(*a_label));
    else
      a_->mov(x86::rdx, asmjit::Imm(imm_a));
    a_->mov(x86::rcx, asmjit::Imm(imm_b));
    a_->mov(x86::rax, asmjit::Imm(reinterpret_cast<uint64_t>(fn)));
    save_pinned_xmm();
    a_->call(x86::rax);
    a_->test(x86::rax, x86::rax);
    a_->jnz(helper_trap_);
    reload_memory_base_after_call();
    reload_pinned_xmm();
  }
  void save_pinned_xmm() {
    for (uint32_t l : pinned_xmm_locals_) {
      if (local_kind_[l] == ValKind::F32)
        a_->movss(slot_mem(local_slot_[l], 4), x86::xmm(pinned_[l]));
      else if (local_kind_[l] == ValKind::V128)
        a_->movdqu(slot_mem(local_slot_[l], 16), x86::xmm(pinned_[l]));
      else
        a_->movsd(slot_mem(local_slot_[l], 8), x86::xmm(pinned_[l]));
    }
  }
  void reload_pinned_xmm() {
    for (uint32_t l : pinned_xmm_locals_) {
      if (local_kind_[l] == ValKind::F32)
        a_->movss(x86::xmm(pinned_[l]), slot_mem(local_slot_[l], 4));
      else if (local_kind_[l] == ValKind::V128)
        a_->movdqu(x86::xmm(pinned_[l]), slot_mem(local_slot_[l], 16));
      else
        a_->movsd(x86::xmm(pinned_[l]), slot_mem(local_slot_[l], 8));
    }
  }
  /// Records, for the collector, the reference-typed value-stack slots at the
  /// current call site (spilled at every call and helper; frame_roots.h).
  void record_gc_site() {
    std::vector<uint32_t> refs;
    for (const Val& v : vs_)
      if (v.kind == ValKind::Ref) refs.push_back(v.slot);
    gc_sites_.add(cur_offset_, std::move(refs));
  }
  /// Chooses the locals to pin: uses weighted by loop depth, numeric types only.
  void choose_pinned();
  void reload_memory_base() {
    if (has_memory_) a_->mov(x86::r14, x86::qword_ptr(x86::r15, rt::kOffsetMemory0Base));
  }
  /// After a call or helper: r14 is callee-saved (every function restores it,
  /// C++ preserves it), so it only needs reloading when the callee may have
  /// moved memory 0. A 32-bit memory never moves: it reserves 8 GiB up front,
  /// more than it can grow to (engine/runtime/memory.cc). memory64 may.
  void reload_memory_base_after_call() {
    if (!mem0_fast_) reload_memory_base();
  }
  /// Calls the FuncInst* in rdi with arguments `ft.params` on top of the stack;
  /// `self` calls this function's own code directly (rdi is our FuncInst).
  void emit_call(const FuncType& ft, bool self = false) {
    uint32_t n = static_cast<uint32_t>(ft.params.size());
    record_gc_site();
    uint32_t base = n ? vs_[vs_.size() - n].slot : top_slot();
    const RuntimeOffsets& o = runtime_offsets();
    a_->lea(x86::rsi, slot_mem(base));
    a_->mov(x86::rdx, x86::r15);
    if (self) {
      save_pinned_xmm();
      a_->call(entry_);
    } else {
      Label have = a_->newLabel();
      a_->mov(x86::rax, x86::qword_ptr(x86::rdi, o.func_entry));
      a_->test(x86::rax, x86::rax);
      a_->jnz(have);
      a_->mov(x86::rax, asmjit::Imm(reinterpret_cast<uint64_t>(lazy_entry_)));
      a_->bind(have);
      save_pinned_xmm();
      a_->call(x86::rax);
    }
    reload_memory_base_after_call();
    reload_pinned_xmm();
    check_exception();
    vs_.resize(vs_.size() - n);
    for (const ValType& t : ft.results) push(kind_of(t), Loc::Mem);
  }

  /// Tail call of the FuncInst* in rdi with `ft.params` on top of the (spilled)
  /// stack: the arguments move into this function's own args_and_results array,
  /// the frame is torn down and the callee is jumped to, so it returns straight to
  /// our caller and the native stack does not grow. Every caller gives the array
  /// room for max(params, results) of the function it called, and a tail callee
  /// has the same results, so the callee fits when its parameters fit (checked
  /// at compile time by the caller of this function).
  void emit_tail_call(const FuncType& ft) {
    uint32_t n = static_cast<uint32_t>(ft.params.size());
    uint32_t base = n ? vs_[vs_.size() - n].slot : top_slot();
    uint32_t slots = 0;
    for (const ValType& t : ft.params) slots += width(kind_of(t));
    a_->mov(x86::rsi, x86::qword_ptr(x86::rbp, kFrameArgs));
    for (uint32_t k = 0; k < slots; ++k) {
      a_->mov(x86::rax, slot_mem(base + k));
      a_->mov(x86::qword_ptr(x86::rsi, static_cast<int32_t>(k * 8)), x86::rax);
    }
    Label have = a_->newLabel();
    a_->mov(x86::rax, x86::qword_ptr(x86::rdi, runtime_offsets().func_entry));
    a_->test(x86::rax, x86::rax);
    a_->jnz(have);
    a_->mov(x86::rax, asmjit::Imm(reinterpret_cast<uint64_t>(lazy_entry_)));
    a_->bind(have);
    a_->mov(x86::rdx, x86::r15);
    restore_and_leave();
    a_->jmp(x86::rax);
  }
  /// Restores the callee-saved registers and pops the frame (rsp -> return address).
  void restore_and_leave() {
    for (size_t i = 0; i < pinned_gp_count_; ++i)
      a_->mov(x86::gpq(kPinGp[i]), x86::qword_ptr(x86::rbp, kFrameSavePinned - 8 * int32_t(i)));
    a_->mov(x86::r14, x86::qword_ptr(x86::rbp, kFrameSaveR14));
    a_->mov(x86::r15, x86::qword_ptr(x86::rbp, kFrameSaveR15));
    a_->mov(x86::rsp, x86::rbp);
    a_->pop(x86::rbp);
  }
  /// Tail call of the FuncInst* in rdi whose parameters do not fit our array
  /// (frame.h, kTailCallPending): h_tail_call keeps the callee and arguments,
  /// then the frame is torn down and we either return to the adapter that called
  /// us or jump to it in our place, with our caller's array and return address.
  void emit_wide_tail_call(const FuncType& ft) {
    uint32_t n = static_cast<uint32_t>(ft.params.size());
    uint32_t base = n ? vs_[vs_.size() - n].slot : top_slot();
    uint32_t slots = 0;
    for (const ValType& t : ft.params) slots += width(kind_of(t));
    a_->lea(x86::rsi, slot_mem(base));
    a_->mov(x86::rdx, x86::qword_ptr(x86::rbp, kFrameArgs));
    a_->mov(x86::rcx, x86::r15);
    a_->mov(x86::r8d, asmjit::Imm(slots));
    a_->mov(x86::rax, asmjit::Imm(reinterpret_cast<uint64_t>(&h_tail_call)));
    a_->call(x86::rax);
    a_->mov(x86::rsi, x86::qword_ptr(x86::rbp, kFrameArgs));
    a_->mov(x86::rdx, x86::r15);
    restore_and_leave();
    Label to_adapter = a_->newLabel();
    a_->test(x86::rax, x86::rax);
    a_->jz(to_adapter);
    a_->ret();  // rax = kTailCallPending
    a_->bind(to_adapter);
    a_->mov(x86::rax, asmjit::Imm(reinterpret_cast<uint64_t>(&tail_call_adapter)));
    a_->jmp(x86::rax);
  }
  bool tail_call_fits(const FuncType& ft) const {
    uint32_t slots = 0;
    for (const ValType& t : ft.params) slots += width(kind_of(t));
    return slots <= args_capacity_;
  }

  // ---- control ----
  Ctl& ctl_at(uint32_t depth) { return ctl_[ctl_.size() - 1 - depth]; }
  void block_sig(const BlockType& bt, Ctl& c) {
    if (bt.kind == BlockType::Kind::Value) {
      c.results.push_back(kind_of(bt.value));
    } else if (bt.kind == BlockType::Kind::Index) {
      const FuncType& ft = m_.types[bt.index].comp.func;
      for (const ValType& t : ft.params) c.params.push_back(kind_of(t));
      for (const ValType& t : ft.results) c.results.push_back(kind_of(t));
    }
  }
  Ctl& enter(Ctl::Kind kind, const BlockType& bt) {
    Ctl c;
    c.kind = kind;
    block_sig(bt, c);
    c.height = static_cast<uint32_t>(vs_.size() - c.params.size());
    c.base_slot = c.params.empty() ? top_slot() : vs_[c.height].slot;
    c.label = a_->newLabel();
    c.outer_ctx = active_ctx_;
    if (kind == Ctl::Kind::If) c.else_label = a_->newLabel();
    ctl_.push_back(std::move(c));
    return ctl_.back();
  }
  /// Copies the label values (stack top, all in memory) to the label's slots.
  void branch_moves(const Ctl& c) {
    const auto& kinds = c.label_kinds();
    size_t n = kinds.size();
    uint32_t d = c.base_slot;
    for (size_t i = 0; i < n; ++i) {
      const Val& v = vs_[vs_.size() - n + i];
      store_to_slot(v, d);
      d += width(v.kind);
    }
  }
  bool needs_moves(const Ctl& c) const {
    const auto& kinds = c.label_kinds();
    size_t n = kinds.size();
    uint32_t d = c.base_slot;
    for (size_t i = 0; i < n; ++i) {
      const Val& v = vs_[vs_.size() - n + i];
      if (v.loc != Loc::Mem || v.slot != d) return true;
      d += width(v.kind);
    }
    return false;
  }
  /// Writes the results (stack top, all in memory) to the args array and leaves.
  void emit_return() {
    const auto& kinds = ctl_[0].results;
    size_t n = kinds.size();
    a_->mov(x86::r11, x86::qword_ptr(x86::rbp, kFrameArgs));
    uint32_t d = 0;
    for (size_t i = 0; i < n; ++i) {
      const Val& v = vs_[vs_.size() - n + i];
      copy_result_from_slot(v, d);
      d += width(v.kind);
    }
    a_->jmp(epilogue_);
  }
  /// Copies the value in `v`'s home slot to result `d` of the array in r11.
  void copy_result_from_slot(const Val& v, uint32_t d) {
    if (v.kind == ValKind::V128) {
      a_->movdqu(x86::xmm15, slot_mem(v.slot, 16));
      a_->movdqu(x86::ptr(x86::r11, static_cast<int32_t>(d * 8), 16), x86::xmm15);
    } else {
      a_->mov(x86::rax, slot_mem(v.slot));
      a_->mov(x86::qword_ptr(x86::r11, static_cast<int32_t>(d * 8)), x86::rax);
    }
  }
  /// `return` and the function's end: like emit_return, but results in GP
  /// registers are stored to the array straight from them (no spill). The code
  /// after it is unreachable: registers are released without spilling.
  void emit_return_from_stack() {
    size_t n = ctl_[0].results.size();
    for (size_t i = vs_.size() - n; i < vs_.size(); ++i)
      if (vs_[i].loc != Loc::Reg || !is_gp(vs_[i].kind)) spill(vs_[i]);
    a_->mov(x86::r11, x86::qword_ptr(x86::rbp, kFrameArgs));
    uint32_t d = 0;
    // Registers first: the copies from memory below go through rax.
    for (size_t i = vs_.size() - n; i < vs_.size(); ++i) {
      const Val& v = vs_[i];
      if (v.loc == Loc::Reg)
        a_->mov(x86::qword_ptr(x86::r11, static_cast<int32_t>(d * 8)), x86::gpq(v.reg));
      d += width(v.kind);
    }
    d = 0;
    for (size_t i = vs_.size() - n; i < vs_.size(); ++i) {
      const Val& v = vs_[i];
      if (v.loc != Loc::Reg) copy_result_from_slot(v, d);
      d += width(v.kind);
    }
    a_->jmp(epilogue_);
    for (Val& v : vs_) {
      free_val(v);
      if (v.loc == Loc::Reg || v.loc == Loc::Cond) v.loc = Loc::Mem;
    }
  }
  /// Unconditional branch to label `depth`; the stack must be spilled.
  void branch(uint32_t depth) {
    Ctl& c = ctl_at(depth);
    if (c.kind == Ctl::Kind::Func) {
      emit_return();
      return;
    }
    branch_moves(c);
    a_->jmp(c.label);
  }
  /// Branch to label `depth` when `cc` holds; the stack must be spilled.
  void branch_if(CondCode cc, uint32_t depth) {
    Ctl& c = ctl_at(depth);
    if (c.kind != Ctl::Kind::Func && !needs_moves(c)) {
      a_->j(cc, c.label);
      return;
    }
    Label skip = a_->newLabel();
    a_->j(x86::negateCond(cc), skip);
    branch(depth);
    a_->bind(skip);
  }
  /// Pops an i32 condition and returns the condition code meaning "nonzero".
  CondCode pop_cond() {
    Val c = pop();
    if (c.loc == Loc::Cond) return c.cc;
    if (c.loc == Loc::Const) {
      // Constant conditions still need flags: compare a register with itself.
      a_->cmp(x86::esp, x86::esp);  // ZF = 1
      return c.k ? CondCode::kE : CondCode::kNE;
    }
    uint8_t r = to_gp(c);
    a_->test(x86::gpd(r), x86::gpd(r));
    free_val(c);
    return CondCode::kNE;
  }
  void set_unreachable() { ctl_.back().unreachable = true; }

  // ---- instruction groups ----
  Status instr(const Instr& in);
  Status int_binary(Op op, ValKind k);
  Status int_compare(Op op, ValKind k);
  void int_divrem(Op op, ValKind k);
  void int_shift(Op op, ValKind k);
  void float_binary(Op op, ValKind k);
  void float_compare(Op op, ValKind k);
  void load(const Instr& in);
  void store(const Instr& in);
  x86::Mem address(Val& addr, uint64_t offset, uint32_t size);
  Status generic(const Instr& in);
  Status memory_general(const Instr& in);
  // SIMD (compile_simd.inc)
  bool simd_inline(const Instr& in);
  bool simd_memory(const Instr& in);
  bool simd_compare(Op op);
  bool simd_splat(Op op);
  bool simd_lane(const Instr& in);
  void simd_shuffle(const uint8_t lanes[16]);
  bool avx() const { return isa_.level >= Isa::Avx; }
  bool sse41() const { return isa_.level >= Isa::Sse41; }
  void vop3(InstId sse, InstId avx, x86::Xmm dst, x86::Xmm a, const Operand& b);
  void vop2i(InstId sse, InstId avx, x86::Xmm dst, x86::Xmm src, uint32_t imm);
  Operand v128_src(Val& v);
  Label const16(const std::array<uint8_t, 16>& bytes);
  template <class T>
  x86::Mem splat_const(T lane);
  // compile_atomics.inc
  Status atomic(const Instr& in);
  void zero_extend_rax(uint32_t bytes);
  void emit_atomic_tails();
  // compile_exceptions.inc
  Status exn(const Instr& in);
  Label exn_target() const;
  void check_exception();
  uint32_t reserve_exn_slots(uint32_t first);
  int32_t open_ctx(Ctl& c);
  void close_ctx_body(Ctl& c);
  void emit_exn_dispatch();
  // Wasm GC (compile_gc.inc).
  Status gc_instr(const Instr& in);
  const gc::Rtt* rtt_of(uint32_t type_index) const;
  void gc_alloc(const void* helper, size_t operands, uint64_t imm_a, uint64_t imm_b);
  void gc_load(x86::Mem m, gc::Storage st, bool sign_extend, uint8_t base);
  void gc_store(uint8_t obj, x86::Mem m, gc::Storage st, Val& v);
  x86::Mem gc_element(uint8_t arr, uint8_t idx, uint32_t elem_size);
  uint8_t gc_cast_test(const HeapType& h, bool nullable);

  const rt::CompiledModule& cm_;
  const Module& m_;
  uint32_t defined_;
  void* lazy_entry_;
  x86::Assembler* a_ = nullptr;
  std::vector<Val> vs_;
  std::vector<Ctl> ctl_;
  std::vector<uint32_t> local_slot_;
  std::vector<ValKind> local_kind_;
  uint32_t num_local_slots_ = 0;
  uint32_t args_capacity_ = 0;  ///< slots of our args_and_results array
  std::vector<int8_t> pinned_;  ///< per local: its register, or -1 (in its slot)
  std::vector<uint32_t> pinned_xmm_locals_;
  size_t pinned_gp_count_ = 0;
  uint32_t max_slots_ = 0;
  uint32_t gp_used_ = 0;
  uint32_t xmm_used_ = 0;
  bool has_memory_ = false;
  bool mem0_fast_ = false;
  IsaInfo isa_ = *jit_isa();  ///< compile_function checked jit_isa()
  uint32_t cur_offset_ = 0;
  uint32_t dead_ = 0;
  bool done_ = false;
  uint32_t self_index_ = 0;  ///< this function's index in its module
  Label entry_;              ///< the first instruction (direct recursive calls)
  Label epilogue_, helper_trap_;
  Label exit_;  ///< leaves the function with rax as is (an exception or null)
  std::vector<ExnCtx> exn_ctxs_;
  int32_t active_ctx_ = -1;
  uint32_t num_tries_ = 0, num_legacy_tries_ = 0, next_try_ = 0;
  uint32_t inflight_slot_ = 0, exn_slot_base_ = 0;
  std::vector<AtomicMisaligned> misaligned_;
  std::vector<std::pair<Label, std::array<uint32_t, 9>>> atomic_words_;
  std::vector<TrapSite> traps_;
  FrameMapBuilder gc_sites_;
  std::vector<JumpTable> tables_;
  /// 16-byte constants (shuffle lanes, SIMD masks), emitted 16-aligned after the code.
  std::vector<std::pair<Label, std::array<uint8_t, 16>>> consts16_;
};

CondCode int_cc(Op op) {
  switch (op) {
    case Op::i32_eq:
    case Op::i64_eq: return CondCode::kE;
    case Op::i32_ne:
    case Op::i64_ne: return CondCode::kNE;
    case Op::i32_lt_s:
    case Op::i64_lt_s: return CondCode::kL;
    case Op::i32_lt_u:
    case Op::i64_lt_u: return CondCode::kB;
    case Op::i32_gt_s:
    case Op::i64_gt_s: return CondCode::kG;
    case Op::i32_gt_u:
    case Op::i64_gt_u: return CondCode::kA;
    case Op::i32_le_s:
    case Op::i64_le_s: return CondCode::kLE;
    case Op::i32_le_u:
    case Op::i64_le_u: return CondCode::kBE;
    case Op::i32_ge_s:
    case Op::i64_ge_s: return CondCode::kGE;
    default: return CondCode::kAE;  // ge_u
  }
}

Status Compiler::int_compare(Op op, ValKind k) {
  Val b = pop();
  Val a = pop();
  CondCode cc = int_cc(op);
  if (a.loc == Loc::Const && b.loc != Loc::Const) {
    std::swap(a, b);
    cc = x86::reverseCond(cc);
  }
  uint8_t ra = to_gp(a);
  if (b.loc == Loc::Const &&
      fits_i32(k == ValKind::I32 ? static_cast<int32_t>(b.k) : static_cast<int64_t>(b.k))) {
    if (b.k == 0 && (cc == CondCode::kE || cc == CondCode::kNE))
      a_->test(gp(k, ra), gp(k, ra));
    else
      a_->cmp(gp(k, ra),
              asmjit::Imm(static_cast<int64_t>(k == ValKind::I32 ? static_cast<int32_t>(b.k)
                                                                 : static_cast<int64_t>(b.k))));
  } else if (b.loc == Loc::Mem) {
    a_->cmp(gp(k, ra), slot_mem(b.slot, k == ValKind::I32 ? 4 : 8));
  } else {
    uint8_t rb = to_gp(b);
    a_->cmp(gp(k, ra), gp(k, rb));
    free_val(b);
  }
  free_val(a);
  push_cond(cc);
  return {};
}

Status Compiler::int_binary(Op op, ValKind k) {
  Val b = pop();
  Val a = pop();
  bool commutative = op == Op::i32_add || op == Op::i64_add || op == Op::i32_mul ||
                     op == Op::i64_mul || op == Op::i32_and || op == Op::i64_and ||
                     op == Op::i32_or || op == Op::i64_or || op == Op::i32_xor || op == Op::i64_xor;
  if (a.loc == Loc::Const && b.loc == Loc::Const) {
    uint64_t x = a.k, y = b.k, r = 0;
    switch (op) {
      case Op::i32_add:
      case Op::i64_add: r = x + y; break;
      case Op::i32_sub:
      case Op::i64_sub: r = x - y; break;
      case Op::i32_mul:
      case Op::i64_mul: r = x * y; break;
      case Op::i32_and:
      case Op::i64_and: r = x & y; break;
      case Op::i32_or:
      case Op::i64_or: r = x | y; break;
      default: r = x ^ y; break;
    }
    if (k == ValKind::I32) r = static_cast<uint32_t>(r);
    push_const(k, r);
    return {};
  }
  if (commutative && a.loc == Loc::Const) std::swap(a, b);
  uint8_t ra = to_gp(a);
  x86::Gp da = gp(k, ra);
  int64_t imm = k == ValKind::I32 ? static_cast<int32_t>(b.k) : static_cast<int64_t>(b.k);
  bool use_imm = b.loc == Loc::Const && fits_i32(imm);
  if (use_imm) {
    switch (op) {
      case Op::i32_add:
      case Op::i64_add: a_->add(da, asmjit::Imm(imm)); break;
      case Op::i32_sub:
      case Op::i64_sub: a_->sub(da, asmjit::Imm(imm)); break;
      case Op::i32_mul:
      case Op::i64_mul: a_->imul(da, da, asmjit::Imm(imm)); break;
      case Op::i32_and:
      case Op::i64_and: a_->and_(da, asmjit::Imm(imm)); break;
      case Op::i32_or:
      case Op::i64_or: a_->or_(da, asmjit::Imm(imm)); break;
      default: a_->xor_(da, asmjit::Imm(imm)); break;
    }
  } else if (b.loc == Loc::Mem) {
    x86::Mem mb = slot_mem(b.slot, k == ValKind::I32 ? 4 : 8);
    switch (op) {
      case Op::i32_add:
      case Op::i64_add: a_->add(da, mb); break;
      case Op::i32_sub:
      case Op::i64_sub: a_->sub(da, mb); break;
      case Op::i32_mul:
      case Op::i64_mul: a_->imul(da, mb); break;
      case Op::i32_and:
      case Op::i64_and: a_->and_(da, mb); break;
      case Op::i32_or:
      case Op::i64_or: a_->or_(da, mb); break;
      default: a_->xor_(da, mb); break;
    }
  } else {
    uint8_t rb = to_gp(b);
    x86::Gp db = gp(k, rb);
    switch (op) {
      case Op::i32_add:
      case Op::i64_add: a_->add(da, db); break;
      case Op::i32_sub:
      case Op::i64_sub: a_->sub(da, db); break;
      case Op::i32_mul:
      case Op::i64_mul: a_->imul(da, db); break;
      case Op::i32_and:
      case Op::i64_and: a_->and_(da, db); break;
      case Op::i32_or:
      case Op::i64_or: a_->or_(da, db); break;
      default: a_->xor_(da, db); break;
    }
    free_val(b);
  }
  push_reg(k, ra);
  return {};
}

void Compiler::int_shift(Op op, ValKind k) {
  Val b = pop();
  Val a = pop();
  bool is32 = k == ValKind::I32;
  if (b.loc == Loc::Const) {
    uint8_t ra = to_gp(a);
    asmjit::Imm n(static_cast<int64_t>(b.k & (is32 ? 31 : 63)));
    x86::Gp d = gp(k, ra);
    switch (op) {
      case Op::i32_shl:
      case Op::i64_shl: a_->shl(d, n); break;
      case Op::i32_shr_s:
      case Op::i64_shr_s: a_->sar(d, n); break;
      case Op::i32_shr_u:
      case Op::i64_shr_u: a_->shr(d, n); break;
      case Op::i32_rotl:
      case Op::i64_rotl: a_->rol(d, n); break;
      default: a_->ror(d, n); break;
    }
    push_reg(k, ra);
    return;
  }
  // The count must be in cl.
  evict_gp(kRcx);
  uint8_t ra = to_gp(a, 1u << kRcx);
  if (b.loc == Loc::Reg) {
    if (b.reg != kRcx) a_->mov(x86::ecx, x86::gpd(b.reg));
    free_val(b);
  } else if (b.loc == Loc::Mem) {
    a_->mov(x86::ecx, slot_mem(b.slot, 4));
  } else {
    uint8_t rb = to_gp(b, 1u << kRcx);
    a_->mov(x86::ecx, x86::gpd(rb));
    free_val(b);
  }
  x86::Gp d = gp(k, ra);
  switch (op) {
    case Op::i32_shl:
    case Op::i64_shl: a_->shl(d, x86::cl); break;
    case Op::i32_shr_s:
    case Op::i64_shr_s: a_->sar(d, x86::cl); break;
    case Op::i32_shr_u:
    case Op::i64_shr_u: a_->shr(d, x86::cl); break;
    case Op::i32_rotl:
    case Op::i64_rotl: a_->rol(d, x86::cl); break;
    default: a_->ror(d, x86::cl); break;
  }
  push_reg(k, ra);
}

void Compiler::int_divrem(Op op, ValKind k) {
  bool is32 = k == ValKind::I32;
  bool is_signed =
      op == Op::i32_div_s || op == Op::i32_rem_s || op == Op::i64_div_s || op == Op::i64_rem_s;
  bool is_rem =
      op == Op::i32_rem_s || op == Op::i32_rem_u || op == Op::i64_rem_s || op == Op::i64_rem_u;
  Val b = pop();
  Val a = pop();
  // Divisor into r11, dividend into rax, rdx free.
  bool known_ok = b.loc == Loc::Const && b.k != 0 &&
                  (is32 ? static_cast<uint32_t>(b.k) != 0xFFFFFFFFu : b.k != ~uint64_t{0});
  if (b.loc == Loc::Const && (is32 ? static_cast<uint32_t>(b.k) == 0 : b.k == 0)) known_ok = false;
  if (b.loc == Loc::Mem)
    a_->mov(gp(k, 11), slot_mem(b.slot, is32 ? 4 : 8));
  else if (b.loc == Loc::Const)
    a_->mov(gp(k, 11), asmjit::Imm(is32 ? static_cast<uint64_t>(static_cast<uint32_t>(b.k)) : b.k));
  else {
    uint8_t rb = to_gp(b);
    a_->mov(gp(k, 11), gp(k, rb));
    free_val(b);
  }
  evict_gp(kRdx);
  if (a.loc == Loc::Reg && a.reg == kRax) {
    // already there
  } else {
    evict_gp(kRax);
    if (a.loc == Loc::Reg) {
      a_->mov(x86::rax, x86::gpq(a.reg));
      free_val(a);
    } else if (a.loc == Loc::Mem) {
      a_->mov(gp(k, kRax), slot_mem(a.slot, is32 ? 4 : 8));
    } else if (a.loc == Loc::Const) {
      a_->mov(gp(k, kRax),
              asmjit::Imm(is32 ? static_cast<uint64_t>(static_cast<uint32_t>(a.k)) : a.k));
    } else {
      a_->set(a.cc, x86::al);
      a_->movzx(x86::eax, x86::al);
    }
    gp_used_ |= 1u << kRax;
  }
  gp_used_ |= 1u << kRdx;
  x86::Gp div = gp(k, 11);
  Label done = a_->newLabel();
  if (!known_ok) {
    a_->test(div, div);
    a_->jz(trap_label(TrapKind::IntegerDivideByZero));
  }
  if (is_signed) {
    if (!known_ok) {
      Label normal = a_->newLabel();
      a_->cmp(div, asmjit::Imm(-1));
      a_->jne(normal);
      if (is_rem) {
        a_->mov(x86::edx, asmjit::Imm(0));
        a_->jmp(done);
      } else {
        if (is32)
          a_->cmp(x86::eax, asmjit::Imm(INT32_MIN));
        else {
          a_->mov(x86::rdx, asmjit::Imm(INT64_MIN));
          a_->cmp(x86::rax, x86::rdx);
        }
        a_->je(trap_label(TrapKind::IntegerOverflow));
      }
      a_->bind(normal);
    }
    if (is32) {
      a_->cdq();
      a_->idiv(x86::r11d);
    } else {
      a_->cqo();
      a_->idiv(x86::r11);
    }
  } else {
    a_->mov(x86::edx, asmjit::Imm(0));
    if (is32)
      a_->div(x86::r11d);
    else
      a_->div(x86::r11);
  }
  a_->bind(done);
  if (is_rem) {
    gp_used_ &= ~(1u << kRax);
    if (is32) a_->mov(x86::edx, x86::edx);
    push_reg(k, kRdx);
  } else {
    gp_used_ &= ~(1u << kRdx);
    if (is32) a_->mov(x86::eax, x86::eax);
    push_reg(k, kRax);
  }
}

void Compiler::float_binary(Op op, ValKind k) {
  Val b = pop();
  Val a = pop();
  uint8_t ra = to_xmm(a);
  uint8_t rb = to_xmm(b);
  x86::Xmm xa = x86::xmm(ra), xb = x86::xmm(rb);
  bool f32 = k == ValKind::F32;
  switch (op) {
    case Op::f32_add:
    case Op::f64_add: f32 ? a_->addss(xa, xb) : a_->addsd(xa, xb); break;
    case Op::f32_sub:
    case Op::f64_sub: f32 ? a_->subss(xa, xb) : a_->subsd(xa, xb); break;
    case Op::f32_mul:
    case Op::f64_mul: f32 ? a_->mulss(xa, xb) : a_->mulsd(xa, xb); break;
    default: f32 ? a_->divss(xa, xb) : a_->divsd(xa, xb); break;
  }
  free_val(b);
  push_reg(k, ra);
}

void Compiler::float_compare(Op op, ValKind k) {
  Val b = pop();
  Val a = pop();
  uint8_t ra = to_xmm(a);
  uint8_t rb = to_xmm(b);
  x86::Xmm xa = x86::xmm(ra), xb = x86::xmm(rb);
  auto ucomi = [&](x86::Xmm x, x86::Xmm y) {
    if (k == ValKind::F32)
      a_->ucomiss(x, y);
    else
      a_->ucomisd(x, y);
  };
  free_val(a);
  free_val(b);
  switch (op) {
    case Op::f32_lt:
    case Op::f64_lt:
      ucomi(xb, xa);
      push_cond(CondCode::kA);
      return;
    case Op::f32_gt:
    case Op::f64_gt:
      ucomi(xa, xb);
      push_cond(CondCode::kA);
      return;
    case Op::f32_le:
    case Op::f64_le:
      ucomi(xb, xa);
      push_cond(CondCode::kAE);
      return;
    case Op::f32_ge:
    case Op::f64_ge:
      ucomi(xa, xb);
      push_cond(CondCode::kAE);
      return;
    default: break;
  }
  // eq / ne need ZF and PF (unordered compares set both).
  bool eq = op == Op::f32_eq || op == Op::f64_eq;
  uint8_t r = alloc_gp();
  ucomi(xa, xb);
  a_->mov(x86::r11d, asmjit::Imm(0));
  if (eq) {
    a_->setnp(x86::gpb(r));
    a_->sete(x86::r11b);
    a_->and_(x86::gpb(r), x86::r11b);
  } else {
    a_->setp(x86::gpb(r));
    a_->setne(x86::r11b);
    a_->or_(x86::gpb(r), x86::r11b);
  }
  a_->movzx(x86::gpd(r), x86::gpb(r));
  push_reg(ValKind::I32, r);
}

x86::Mem Compiler::address(Val& addr, uint64_t offset, uint32_t size) {
  // The access is emitted after this point; a guard-page fault there reports
  // this instruction's offset (FrameMap::access_offset_at).
  gc_sites_.add_access(static_cast<uint32_t>(a_->offset()), cur_offset_);
  if (addr.loc == Loc::Const) {
    uint64_t ea = static_cast<uint32_t>(addr.k) + offset;
    if (ea <= INT32_MAX) return x86::ptr(x86::r14, static_cast<int32_t>(ea), size);
    a_->mov(x86::r11, asmjit::Imm(ea));
    return x86::ptr(x86::r14, x86::r11, 0, 0, size);
  }
  uint8_t r = to_gp(addr);
  if (offset <= INT32_MAX)
    return x86::ptr(x86::r14, x86::gpq(r), 0, static_cast<int32_t>(offset), size);
  a_->mov(x86::r11, asmjit::Imm(offset));
  a_->add(x86::r11, x86::gpq(r));
  return x86::ptr(x86::r14, x86::r11, 0, 0, size);
}

void Compiler::load(const Instr& in) {
  Val addr = pop();
  Op op = in.op;
  ValKind rk = kind_of_sig(std::strchr(op_info(op).sig, ':')[1]);
  if (op == Op::v128_load) {
    x86::Mem m = address(addr, in.mem_offset, 16);
    uint8_t r = alloc_xmm();
    a_->movdqu(x86::xmm(r), m);
    free_val(addr);
    push_reg(ValKind::V128, r);
    return;
  }
  if (is_xmm(rk)) {
    x86::Mem m = address(addr, in.mem_offset, rk == ValKind::F32 ? 4 : 8);
    uint8_t r = alloc_xmm();
    if (rk == ValKind::F32)
      a_->movss(x86::xmm(r), m);
    else
      a_->movsd(x86::xmm(r), m);
    free_val(addr);
    push_reg(rk, r);
    return;
  }
  uint32_t size = 0;
  switch (op) {
    case Op::i32_load8_s:
    case Op::i32_load8_u:
    case Op::i64_load8_s:
    case Op::i64_load8_u: size = 1; break;
    case Op::i32_load16_s:
    case Op::i32_load16_u:
    case Op::i64_load16_s:
    case Op::i64_load16_u: size = 2; break;
    case Op::i64_load: size = 8; break;
    default: size = 4; break;
  }
  x86::Mem m = address(addr, in.mem_offset, size);
  free_val(addr);
  uint8_t r = alloc_gp();
  switch (op) {
    case Op::i32_load: a_->mov(x86::gpd(r), m); break;
    case Op::i64_load: a_->mov(x86::gpq(r), m); break;
    case Op::i32_load8_s: a_->movsx(x86::gpd(r), m); break;
    case Op::i32_load16_s: a_->movsx(x86::gpd(r), m); break;
    case Op::i64_load8_s: a_->movsx(x86::gpq(r), m); break;
    case Op::i64_load16_s: a_->movsx(x86::gpq(r), m); break;
    case Op::i32_load8_u:
    case Op::i64_load8_u:
    case Op::i32_load16_u:
    case Op::i64_load16_u: a_->movzx(x86::gpd(r), m); break;
    case Op::i64_load32_s: a_->movsxd(x86::gpq(r), m); break;
    default: a_->mov(x86::gpd(r), m); break;  // i64.load32_u
  }
  push_reg(rk, r);
}

void Compiler::store(const Instr& in) {
  Val v = pop();
  Val addr = pop();
  Op op = in.op;
  if (op == Op::v128_store) {
    uint8_t r = to_xmm(v);
    x86::Mem m = address(addr, in.mem_offset, 16);
    a_->movdqu(m, x86::xmm(r));
    free_val(v);
    free_val(addr);
    return;
  }
  if (is_xmm(v.kind)) {
    uint8_t r = to_xmm(v);
    x86::Mem m = address(addr, in.mem_offset, v.kind == ValKind::F32 ? 4 : 8);
    if (v.kind == ValKind::F32)
      a_->movss(m, x86::xmm(r));
    else
      a_->movsd(m, x86::xmm(r));
    free_val(v);
    free_val(addr);
    return;
  }
  uint32_t size = 0;
  switch (op) {
    case Op::i32_store8:
    case Op::i64_store8: size = 1; break;
    case Op::i32_store16:
    case Op::i64_store16: size = 2; break;
    case Op::i64_store: size = 8; break;
    default: size = 4; break;
  }
  bool imm = v.loc == Loc::Const && (size < 8 || fits_i32(static_cast<int64_t>(v.k)));
  uint8_t r = 0;
  if (!imm) r = to_gp(v);
  x86::Mem m = address(addr, in.mem_offset, size);
  if (imm) {
    int64_t c = size == 8 ? static_cast<int64_t>(v.k) : static_cast<int32_t>(v.k);
    if (size == 1) c = static_cast<int8_t>(c);
    if (size == 2) c = static_cast<int16_t>(c);
    a_->mov(m, asmjit::Imm(c));
  } else {
    switch (size) {
      case 1: a_->mov(m, x86::gpb(r)); break;
      case 2: a_->mov(m, x86::gpw(r)); break;
      case 4: a_->mov(m, x86::gpd(r)); break;
      default: a_->mov(m, x86::gpq(r)); break;
    }
    free_val(v);
  }
  free_val(addr);
}

/// Memory accesses outside the fast path, through helpers with bounds checks.
Status Compiler::memory_general(const Instr& in) {
  HelperFn fn = memory_helper(in.op);
  if (!fn)
    return Error(ErrorKind::Unsupported,
                 std::string("baseline: unsupported memory access ") + op_info(in.op).mnemonic);
  const char* sig = op_info(in.op).sig;
  const char* colon = std::strchr(sig, ':');
  size_t np = static_cast<size_t>(colon - sig);
  spill_all();
  uint32_t first = vs_[vs_.size() - np].slot;
  call_helper(reinterpret_cast<const void*>(fn), first, in.mem_offset,
              uint64_t{in.mem} | (uint64_t{in.lane} << 32));
  vs_.resize(vs_.size() - np);
  if (colon[1]) push(kind_of_sig(colon[1]), Loc::Mem);
  return {};
}

/// Instructions with a fixed signature run through the interpreter's semantics.
Status Compiler::generic(const Instr& in) {
  HelperFn fn = value_helper(in.op);
  const char* sig = op_info(in.op).sig;
  const char* colon = std::strchr(sig, ':');
  if (!fn || !colon)
    return Error(ErrorKind::Unsupported,
                 std::string("baseline: unsupported instruction ") + op_info(in.op).mnemonic,
                 in.offset);
  size_t np = static_cast<size_t>(colon - sig);
  spill_all();
  uint32_t first = np ? vs_[vs_.size() - np].slot : top_slot();
  // A helper may write a wider result than its operands occupy (splat).
  if (colon[1]) {
    uint32_t end = first + width(kind_of_sig(colon[1]));
    if (end > max_slots_) max_slots_ = end;
  }
  call_helper(reinterpret_cast<const void*>(fn), first, in.lane, 0);
  vs_.resize(vs_.size() - np);
  if (colon[1]) push(kind_of_sig(colon[1]), Loc::Mem);
  return {};
}

Status Compiler::instr(const Instr& in) {
  Op op = in.op;
  // A pending comparison lives in the flags: only a few consumers take it as is.
  if (!vs_.empty() && vs_.back().loc == Loc::Cond && op != Op::br_if && op != Op::if_ &&
      op != Op::i32_eqz && op != Op::select && op != Op::select_t)
    materialize_cond(vs_.back());

  switch (op) {
    case Op::nop: return {};
    case Op::unreachable:
      a_->jmp(trap_label(TrapKind::Unreachable));
      set_unreachable();
      return {};
    case Op::block:
      spill_all();
      enter(Ctl::Kind::Block, in.block);
      return {};
    case Op::loop: {
      spill_all();
      Ctl& c = enter(Ctl::Kind::Loop, in.block);
      a_->bind(c.label);
      return {};
    }
    case Op::if_: {
      CondCode cc = pop_cond();
      spill_all();
      Ctl& c = enter(Ctl::Kind::If, in.block);
      a_->j(x86::negateCond(cc), c.else_label);
      return {};
    }
    case Op::else_: {
      Ctl& c = ctl_.back();
      if (!c.unreachable) {
        spill_all();
        a_->jmp(c.label);
      }
      a_->bind(c.else_label);
      c.has_else = true;
      c.unreachable = false;
      vs_.resize(c.height);
      for (ValKind k : c.params) push(k, Loc::Mem);
      return {};
    }
    case Op::end: {
      Ctl& c = ctl_.back();
      if (c.kind == Ctl::Kind::Try || c.kind == Ctl::Kind::TryTable) close_ctx_body(c);
      if (c.kind == Ctl::Kind::Func) {
        if (!c.unreachable) emit_return_from_stack();
        done_ = true;
        return {};
      }
      if (!c.unreachable) spill_all();
      if (c.kind == Ctl::Kind::If && !c.has_else) a_->bind(c.else_label);
      if (c.kind != Ctl::Kind::Loop) a_->bind(c.label);
      Ctl done = std::move(c);
      ctl_.pop_back();
      vs_.resize(done.height);
      for (ValKind k : done.results) push(k, Loc::Mem);
      return {};
    }
    case Op::br:
      spill_all();
      branch(in.index);
      set_unreachable();
      return {};
    case Op::br_if: {
      CondCode cc = pop_cond();
      spill_all();
      branch_if(cc, in.index);
      return {};
    }
    case Op::br_table: {
      Val idx = pop();
      uint8_t r = to_gp(idx);
      spill_all();
      uint32_t n = static_cast<uint32_t>(in.labels.size() - 1);
      a_->mov(x86::r11d, asmjit::Imm(n));
      a_->cmp(x86::gpd(r), asmjit::Imm(n));
      a_->cmovae(x86::gpd(r), x86::r11d);
      JumpTable jt;
      jt.table = a_->newLabel();
      a_->lea(x86::r11, x86::ptr(jt.table));
      a_->movsxd(x86::gpq(r), x86::dword_ptr(x86::r11, x86::gpq(r), 2));
      a_->add(x86::r11, x86::gpq(r));
      a_->jmp(x86::r11);
      free_val(idx);
      std::vector<uint32_t> depths(in.labels.begin(), in.labels.end());
      for (uint32_t d : depths) {
        Ctl& c = ctl_at(d);
        if (c.kind != Ctl::Kind::Func && !needs_moves(c)) {
          jt.targets.push_back(c.label);
          continue;
        }
        Label stub = a_->newLabel();
        a_->bind(stub);
        branch(d);
        jt.targets.push_back(stub);
      }
      tables_.push_back(std::move(jt));
      set_unreachable();
      return {};
    }
    case Op::return_:
      emit_return_from_stack();
      set_unreachable();
      return {};
    case Op::call: {
      spill_all();
      set_call_offset();
      if (in.index == self_index_) {
        // Recursion: our instance's function `in.index` is the FuncInst we run
        // as, and its code is this code (docs/jit-baseline.md, "Calls").
        a_->mov(x86::rdi, x86::qword_ptr(x86::rbp, kFrameSelf));
        emit_call(m_.func_type(in.index), /*self=*/true);
        return {};
      }
      a_->mov(x86::rdi, x86::qword_ptr(x86::r15, rt::kOffsetFuncs));
      a_->mov(x86::rdi, x86::qword_ptr(x86::rdi, static_cast<int32_t>(in.index * 8)));
      emit_call(m_.func_type(in.index));
      return {};
    }
    case Op::call_indirect: {
      spill_all();
      uint32_t s = vs_.back().slot;
      call_helper(reinterpret_cast<const void*>(&h_call_indirect), s, in.index, in.index2);
      a_->mov(x86::rdi, slot_mem(s));
      vs_.pop_back();
      emit_call(m_.types[in.index].comp.func);
      return {};
    }
    case Op::return_call:
    case Op::return_call_indirect:
    case Op::return_call_ref: {
      const FuncType& ft =
          op == Op::return_call ? m_.func_type(in.index) : m_.types[in.index].comp.func;
      spill_all();
      set_call_offset();
      if (op == Op::return_call) {
        a_->mov(x86::rdi, x86::qword_ptr(x86::r15, rt::kOffsetFuncs));
        a_->mov(x86::rdi, x86::qword_ptr(x86::rdi, static_cast<int32_t>(in.index * 8)));
        // Only the other forms have an operand (table index, reference) on top:
        // return_call may run with an empty value stack.
      } else if (uint32_t s = vs_.back().slot; op == Op::return_call_indirect) {
        call_helper(reinterpret_cast<const void*>(&h_call_indirect), s, in.index, in.index2);
        a_->mov(x86::rdi, slot_mem(s));
        vs_.pop_back();
      } else {
        a_->mov(x86::rdi, slot_mem(s));
        a_->test(x86::rdi, x86::rdi);
        a_->jz(trap_label(TrapKind::NullFunctionReference));
        vs_.pop_back();
      }
      if (tail_call_fits(ft))
        emit_tail_call(ft);
      else
        emit_wide_tail_call(ft);
      set_unreachable();
      return {};
    }
    case Op::call_ref: {
      spill_all();
      uint32_t s = vs_.back().slot;
      set_call_offset();
      a_->mov(x86::rdi, slot_mem(s));
      a_->test(x86::rdi, x86::rdi);
      a_->jz(trap_label(TrapKind::NullFunctionReference));
      vs_.pop_back();
      emit_call(m_.types[in.index].comp.func);
      return {};
    }
    case Op::drop: free_val(pop()); return {};
    case Op::select:
    case Op::select_t: {
      // Operands: a, b, condition. The condition's flags must be computed last
      // (register moves do not change flags).
      Val c = vs_.back();
      vs_.pop_back();
      uint8_t rc = 0;
      if (c.loc != Loc::Cond) rc = to_gp(c);
      Val b = pop();
      Val a = pop();
      ValKind k = a.kind;
      CondCode cc = CondCode::kNE;
      auto flags = [&] {
        if (c.loc == Loc::Cond) {
          cc = c.cc;
        } else {
          a_->test(x86::gpd(rc), x86::gpd(rc));
          free_val(c);
        }
      };
      if (k == ValKind::V128) {
        // Both in their homes (plain moves: live flags survive); a's home is
        // the result's.
        home_v128(a);
        home_v128(b);
        flags();
        Label keep = a_->newLabel();
        a_->j(cc, keep);
        a_->movdqu(x86::xmm15, slot_mem(b.slot, 16));
        a_->movdqu(slot_mem(a.slot, 16), x86::xmm15);
        a_->bind(keep);
        push(ValKind::V128, Loc::Mem);
        return {};
      }
      if (is_gp(k)) {
        uint8_t ra = to_gp(a);
        uint8_t rb = to_gp(b);
        flags();
        a_->cmov(x86::negateCond(cc), x86::gpq(ra), x86::gpq(rb));
        free_val(b);
        push_reg(k, ra);
        return {};
      }
      uint8_t ra = to_xmm(a);
      uint8_t rb = to_xmm(b);
      flags();
      Label keep = a_->newLabel();
      a_->j(cc, keep);
      a_->movaps(x86::xmm(ra), x86::xmm(rb));
      a_->bind(keep);
      free_val(b);
      push_reg(k, ra);
      return {};
    }

    case Op::local_get: {
      ValKind k = local_kind_[in.index];
      uint32_t s = local_slot_[in.index];
      if (pinned_[in.index] >= 0) {
        uint8_t p = static_cast<uint8_t>(pinned_[in.index]);
        if (is_gp(k)) {
          uint8_t r = alloc_gp();
          a_->mov(gp(k, r), gp(k, p));
          push_reg(k, r);
        } else {
          uint8_t r = alloc_xmm();
          a_->movaps(x86::xmm(r), x86::xmm(p));
          push_reg(k, r);
        }
        return {};
      }
      if (is_gp(k)) {
        uint8_t r = alloc_gp();
        if (k == ValKind::I32)
          a_->mov(x86::gpd(r), slot_mem(s, 4));
        else
          a_->mov(x86::gpq(r), slot_mem(s));
        push_reg(k, r);
      } else if (is_xmm(k)) {
        uint8_t r = alloc_xmm();
        if (k == ValKind::F32)
          a_->movss(x86::xmm(r), slot_mem(s, 4));
        else
          a_->movsd(x86::xmm(r), slot_mem(s, 8));
        push_reg(k, r);
      } else {
        uint8_t r = alloc_xmm();
        a_->movdqu(x86::xmm(r), slot_mem(s, 16));
        push_reg(k, r);
      }
      return {};
    }
    case Op::local_set:
    case Op::local_tee: {
      uint32_t s = local_slot_[in.index];
      Val& v = vs_.back();
      if (pinned_[in.index] >= 0) {
        set_pinned(in.index, v);
        if (op == Op::local_set) free_val(pop());
        return {};
      }
      store_to_slot(v, s);
      if (op == Op::local_set) free_val(pop());
      return {};
    }
    case Op::global_get: {
      ValKind k = kind_of(m_.globals[in.index].type);
      a_->mov(x86::r11, x86::qword_ptr(x86::r15, rt::kOffsetGlobals));
      a_->mov(x86::r11, x86::qword_ptr(x86::r11, static_cast<int32_t>(in.index * 8)));
      if (is_gp(k)) {
        uint8_t r = alloc_gp();
        if (k == ValKind::I32)
          a_->mov(x86::gpd(r), x86::dword_ptr(x86::r11));
        else
          a_->mov(x86::gpq(r), x86::qword_ptr(x86::r11));
        push_reg(k, r);
      } else if (is_xmm(k)) {
        uint8_t r = alloc_xmm();
        if (k == ValKind::F32)
          a_->movss(x86::xmm(r), x86::dword_ptr(x86::r11));
        else
          a_->movsd(x86::xmm(r), x86::qword_ptr(x86::r11));
        push_reg(k, r);
      } else {
        Val& v = push(k, Loc::Mem);
        a_->movdqu(x86::xmm15, x86::ptr(x86::r11, 0, 16));
        a_->movdqu(slot_mem(v.slot, 16), x86::xmm15);
      }
      return {};
    }
    case Op::global_set: {
      Val v = pop();
      if (v.kind == ValKind::V128) {
        home_v128(v);
        a_->movdqu(x86::xmm15, slot_mem(v.slot, 16));
        a_->mov(x86::r11, x86::qword_ptr(x86::r15, rt::kOffsetGlobals));
        a_->mov(x86::r11, x86::qword_ptr(x86::r11, static_cast<int32_t>(in.index * 8)));
        a_->movdqu(x86::ptr(x86::r11, 0, 16), x86::xmm15);
        return {};
      }
      if (v.loc == Loc::Mem || (v.loc == Loc::Const && !fits_i32(static_cast<int64_t>(v.k)))) {
        if (is_xmm(v.kind))
          to_xmm(v);
        else
          to_gp(v);
      }
      a_->mov(x86::r11, x86::qword_ptr(x86::r15, rt::kOffsetGlobals));
      a_->mov(x86::r11, x86::qword_ptr(x86::r11, static_cast<int32_t>(in.index * 8)));
      if (v.loc == Loc::Const)
        store_const(v.kind, v.k, x86::qword_ptr(x86::r11));
      else if (is_gp(v.kind))
        a_->mov(x86::qword_ptr(x86::r11), x86::gpq(v.reg));
      else if (v.kind == ValKind::F32)
        a_->movss(x86::dword_ptr(x86::r11), x86::xmm(v.reg));
      else
        a_->movsd(x86::qword_ptr(x86::r11), x86::xmm(v.reg));
      free_val(v);
      return {};
    }

    case Op::i32_const: push_const(ValKind::I32, static_cast<uint32_t>(in.value)); return {};
    case Op::i64_const: push_const(ValKind::I64, in.value); return {};
    case Op::f32_const: push_const(ValKind::F32, static_cast<uint32_t>(in.value)); return {};
    case Op::f64_const: push_const(ValKind::F64, in.value); return {};
    case Op::v128_const: simd_inline(in); return {};

    // ---- integer ----
    case Op::i32_add:
    case Op::i32_sub:
    case Op::i32_mul:
    case Op::i32_and:
    case Op::i32_or:
    case Op::i32_xor: return int_binary(op, ValKind::I32);
    case Op::i64_add:
    case Op::i64_sub:
    case Op::i64_mul:
    case Op::i64_and:
    case Op::i64_or:
    case Op::i64_xor: return int_binary(op, ValKind::I64);
    case Op::i32_shl:
    case Op::i32_shr_s:
    case Op::i32_shr_u:
    case Op::i32_rotl:
    case Op::i32_rotr: int_shift(op, ValKind::I32); return {};
    case Op::i64_shl:
    case Op::i64_shr_s:
    case Op::i64_shr_u:
    case Op::i64_rotl:
    case Op::i64_rotr: int_shift(op, ValKind::I64); return {};
    case Op::i32_div_s:
    case Op::i32_div_u:
    case Op::i32_rem_s:
    case Op::i32_rem_u: int_divrem(op, ValKind::I32); return {};
    case Op::i64_div_s:
    case Op::i64_div_u:
    case Op::i64_rem_s:
    case Op::i64_rem_u: int_divrem(op, ValKind::I64); return {};
    case Op::i32_eq:
    case Op::i32_ne:
    case Op::i32_lt_s:
    case Op::i32_lt_u:
    case Op::i32_gt_s:
    case Op::i32_gt_u:
    case Op::i32_le_s:
    case Op::i32_le_u:
    case Op::i32_ge_s:
    case Op::i32_ge_u: return int_compare(op, ValKind::I32);
    case Op::i64_eq:
    case Op::i64_ne:
    case Op::i64_lt_s:
    case Op::i64_lt_u:
    case Op::i64_gt_s:
    case Op::i64_gt_u:
    case Op::i64_le_s:
    case Op::i64_le_u:
    case Op::i64_ge_s:
    case Op::i64_ge_u: return int_compare(op, ValKind::I64);
    case Op::i32_eqz:
    case Op::i64_eqz: {
      Val v = pop();
      if (v.loc == Loc::Cond) {
        push_cond(x86::negateCond(v.cc));
        return {};
      }
      ValKind k = op == Op::i32_eqz ? ValKind::I32 : ValKind::I64;
      uint8_t r = to_gp(v);
      a_->test(gp(k, r), gp(k, r));
      free_val(v);
      push_cond(CondCode::kE);
      return {};
    }
    case Op::i32_wrap_i64: {
      Val v = pop();
      uint8_t r = to_gp(v);
      a_->mov(x86::gpd(r), x86::gpd(r));
      push_reg(ValKind::I32, r);
      return {};
    }
    case Op::i64_extend_i32_u: {
      Val v = pop();
      uint8_t r = to_gp(v);  // i32 registers are kept zero-extended
      push_reg(ValKind::I64, r);
      return {};
    }
    case Op::i64_extend_i32_s:
    case Op::i64_extend32_s: {
      Val v = pop();
      uint8_t r = to_gp(v);
      a_->movsxd(x86::gpq(r), x86::gpd(r));
      push_reg(ValKind::I64, r);
      return {};
    }
    case Op::i32_extend8_s:
    case Op::i32_extend16_s:
    case Op::i64_extend8_s:
    case Op::i64_extend16_s: {
      Val v = pop();
      uint8_t r = to_gp(v);
      bool is8 = op == Op::i32_extend8_s || op == Op::i64_extend8_s;
      if (op == Op::i32_extend8_s || op == Op::i32_extend16_s) {
        a_->movsx(x86::gpd(r), is8 ? x86::Gp(x86::gpb(r)) : x86::Gp(x86::gpw(r)));
        push_reg(ValKind::I32, r);
      } else {
        a_->movsx(x86::gpq(r), is8 ? x86::Gp(x86::gpb(r)) : x86::Gp(x86::gpw(r)));
        push_reg(ValKind::I64, r);
      }
      return {};
    }

    // ---- float ----
    case Op::f32_add:
    case Op::f32_sub:
    case Op::f32_mul:
    case Op::f32_div: float_binary(op, ValKind::F32); return {};
    case Op::f64_add:
    case Op::f64_sub:
    case Op::f64_mul:
    case Op::f64_div: float_binary(op, ValKind::F64); return {};
    case Op::f32_eq:
    case Op::f32_ne:
    case Op::f32_lt:
    case Op::f32_gt:
    case Op::f32_le:
    case Op::f32_ge: float_compare(op, ValKind::F32); return {};
    case Op::f64_eq:
    case Op::f64_ne:
    case Op::f64_lt:
    case Op::f64_gt:
    case Op::f64_le:
    case Op::f64_ge: float_compare(op, ValKind::F64); return {};
    case Op::f32_sqrt:
    case Op::f64_sqrt: {
      Val v = pop();
      uint8_t r = to_xmm(v);
      if (op == Op::f32_sqrt)
        a_->sqrtss(x86::xmm(r), x86::xmm(r));
      else
        a_->sqrtsd(x86::xmm(r), x86::xmm(r));
      push_reg(v.kind, r);
      return {};
    }
    case Op::f32_abs:
    case Op::f32_neg:
    case Op::f64_abs:
    case Op::f64_neg: {
      Val v = pop();
      uint8_t r = to_xmm(v);
      bool f32 = op == Op::f32_abs || op == Op::f32_neg;
      bool abs = op == Op::f32_abs || op == Op::f64_abs;
      uint64_t mask = f32 ? (abs ? 0x7FFFFFFFull : 0x80000000ull)
                          : (abs ? 0x7FFFFFFFFFFFFFFFull : 0x8000000000000000ull);
      a_->mov(x86::r11, asmjit::Imm(mask));
      a_->movq(x86::xmm15, x86::r11);
      if (abs)
        a_->andpd(x86::xmm(r), x86::xmm15);
      else
        a_->xorpd(x86::xmm(r), x86::xmm15);
      push_reg(v.kind, r);
      return {};
    }
    case Op::f64_convert_i32_s:
    case Op::f64_convert_i64_s:
    case Op::f64_convert_i32_u:
    case Op::f32_convert_i32_s:
    case Op::f32_convert_i64_s:
    case Op::f32_convert_i32_u: {
      Val v = pop();
      uint8_t g = to_gp(v);
      free_val(v);
      uint8_t r = alloc_xmm();
      bool to64 =
          op == Op::f64_convert_i32_s || op == Op::f64_convert_i64_s || op == Op::f64_convert_i32_u;
      // A full-width source is exact for i32 (signed: sign-extend; unsigned: the
      // register is already zero-extended) and the instruction for i64.
      x86::Gp src = x86::gpq(g);
      if (op == Op::f64_convert_i32_s || op == Op::f32_convert_i32_s) src = x86::gpd(g);
      a_->xorps(x86::xmm(r), x86::xmm(r));
      if (to64)
        a_->cvtsi2sd(x86::xmm(r), src);
      else
        a_->cvtsi2ss(x86::xmm(r), src);
      push_reg(to64 ? ValKind::F64 : ValKind::F32, r);
      return {};
    }
    case Op::f64_promote_f32:
    case Op::f32_demote_f64: {
      Val v = pop();
      uint8_t r = to_xmm(v);
      if (op == Op::f64_promote_f32)
        a_->cvtss2sd(x86::xmm(r), x86::xmm(r));
      else
        a_->cvtsd2ss(x86::xmm(r), x86::xmm(r));
      push_reg(op == Op::f64_promote_f32 ? ValKind::F64 : ValKind::F32, r);
      return {};
    }
    case Op::i32_reinterpret_f32:
    case Op::i64_reinterpret_f64: {
      Val v = pop();
      uint8_t x = to_xmm(v);
      free_val(v);
      uint8_t r = alloc_gp();
      if (op == Op::i32_reinterpret_f32)
        a_->movd(x86::gpd(r), x86::xmm(x));
      else
        a_->movq(x86::gpq(r), x86::xmm(x));
      push_reg(op == Op::i32_reinterpret_f32 ? ValKind::I32 : ValKind::I64, r);
      return {};
    }
    case Op::f32_reinterpret_i32:
    case Op::f64_reinterpret_i64: {
      Val v = pop();
      ValKind rk = op == Op::f32_reinterpret_i32 ? ValKind::F32 : ValKind::F64;
      if (v.loc == Loc::Const) {
        push_const(rk, v.k);
        return {};
      }
      uint8_t g = to_gp(v);
      free_val(v);
      uint8_t r = alloc_xmm();
      if (rk == ValKind::F32)
        a_->movd(x86::xmm(r), x86::gpd(g));
      else
        a_->movq(x86::xmm(r), x86::gpq(g));
      push_reg(rk, r);
      return {};
    }

    // ---- memory ----
    case Op::i32_load:
    case Op::i64_load:
    case Op::f32_load:
    case Op::f64_load:
    case Op::i32_load8_s:
    case Op::i32_load8_u:
    case Op::i32_load16_s:
    case Op::i32_load16_u:
    case Op::i64_load8_s:
    case Op::i64_load8_u:
    case Op::i64_load16_s:
    case Op::i64_load16_u:
    case Op::i64_load32_s:
    case Op::i64_load32_u:
    case Op::v128_load:
      if (mem0_fast_ && in.mem == 0) {
        load(in);
        return {};
      }
      return memory_general(in);
    case Op::i32_store:
    case Op::i64_store:
    case Op::f32_store:
    case Op::f64_store:
    case Op::i32_store8:
    case Op::i32_store16:
    case Op::i64_store8:
    case Op::i64_store16:
    case Op::i64_store32:
    case Op::v128_store:
      if (mem0_fast_ && in.mem == 0) {
        store(in);
        return {};
      }
      return memory_general(in);
    case Op::memory_size: {
      spill_all();
      uint32_t s = top_slot();
      if (s + 1 > max_slots_) max_slots_ = s + 1;
      call_helper(reinterpret_cast<const void*>(&h_memory_size), s, in.index, 0);
      push(m_.memories[in.index].limits.address64 ? ValKind::I64 : ValKind::I32, Loc::Mem);
      return {};
    }
    case Op::memory_grow: {
      spill_all();
      call_helper(reinterpret_cast<const void*>(&h_memory_grow), vs_.back().slot, in.index, 0);
      return {};
    }
    case Op::memory_fill:
    case Op::memory_copy:
    case Op::memory_init:
    case Op::table_set:
    case Op::table_fill:
    case Op::table_copy:
    case Op::table_init: {
      spill_all();
      size_t n = op == Op::table_set ? 2 : 3;
      uint32_t s = vs_[vs_.size() - n].slot;
      const void* fn = nullptr;
      switch (op) {
        case Op::memory_fill: fn = reinterpret_cast<const void*>(&h_memory_fill); break;
        case Op::memory_copy: fn = reinterpret_cast<const void*>(&h_memory_copy); break;
        case Op::memory_init: fn = reinterpret_cast<const void*>(&h_memory_init); break;
        case Op::table_set: fn = reinterpret_cast<const void*>(&h_table_set); break;
        case Op::table_fill: fn = reinterpret_cast<const void*>(&h_table_fill); break;
        case Op::table_copy: fn = reinterpret_cast<const void*>(&h_table_copy); break;
        default: fn = reinterpret_cast<const void*>(&h_table_init); break;
      }
      call_helper(fn, s, in.index, in.index2);
      vs_.resize(vs_.size() - n);
      return {};
    }
    case Op::data_drop:
    case Op::elem_drop:
      spill_all();
      call_helper(op == Op::data_drop ? reinterpret_cast<const void*>(&h_data_drop)
                                      : reinterpret_cast<const void*>(&h_elem_drop),
                  top_slot(), in.index, 0);
      return {};
    case Op::table_get: {
      spill_all();
      call_helper(reinterpret_cast<const void*>(&h_table_get), vs_.back().slot, in.index, 0);
      vs_.back().kind = ValKind::Ref;
      return {};
    }
    case Op::table_size: {
      spill_all();
      uint32_t s = top_slot();
      if (s + 1 > max_slots_) max_slots_ = s + 1;
      call_helper(reinterpret_cast<const void*>(&h_table_size), s, in.index, 0);
      push(m_.tables[in.index].limits.address64 ? ValKind::I64 : ValKind::I32, Loc::Mem);
      return {};
    }
    case Op::table_grow: {
      spill_all();
      uint32_t s = vs_[vs_.size() - 2].slot;
      call_helper(reinterpret_cast<const void*>(&h_table_grow), s, in.index, 0);
      vs_.resize(vs_.size() - 2);
      push(m_.tables[in.index].limits.address64 ? ValKind::I64 : ValKind::I32, Loc::Mem);
      return {};
    }

    // ---- references ----
    case Op::ref_null: push_const(ValKind::Ref, 0); return {};
    case Op::ref_is_null: {
      Val v = pop();
      uint8_t r = to_gp(v);
      a_->test(x86::gpq(r), x86::gpq(r));
      free_val(v);
      push_cond(CondCode::kE);
      return {};
    }
    case Op::ref_func: {
      uint8_t r = alloc_gp();
      a_->mov(x86::gpq(r), x86::qword_ptr(x86::r15, rt::kOffsetFuncs));
      a_->mov(x86::gpq(r), x86::qword_ptr(x86::gpq(r), static_cast<int32_t>(in.index * 8)));
      push_reg(ValKind::Ref, r);
      return {};
    }
    case Op::ref_eq: {
      Val b = pop();
      Val a = pop();
      uint8_t ra = to_gp(a);
      uint8_t rb = to_gp(b);
      a_->cmp(x86::gpq(ra), x86::gpq(rb));
      free_val(a);
      free_val(b);
      push_cond(CondCode::kE);
      return {};
    }
    case Op::ref_as_non_null: {
      Val& v = vs_.back();
      uint8_t r = to_gp(v);
      a_->test(x86::gpq(r), x86::gpq(r));
      a_->jz(trap_label(TrapKind::NullReference));
      return {};
    }
    case Op::br_on_null: {
      // Branch (dropping the null) when null; otherwise keep the reference.
      Val v = pop();
      uint8_t r = to_gp(v);
      spill_all();
      a_->test(x86::gpq(r), x86::gpq(r));
      branch_if(CondCode::kE, in.index);
      push_reg(ValKind::Ref, r);
      return {};
    }
    case Op::br_on_non_null: {
      spill_all();
      Val& v = vs_.back();
      a_->cmp(x86::qword_ptr(x86::rsp, static_cast<int32_t>(v.slot * 8)), asmjit::Imm(0));
      branch_if(CondCode::kNE, in.index);
      vs_.pop_back();
      return {};
    }

    case Op::i8x16_shuffle: {
      if (simd_inline(in)) return {};
      spill_all();
      uint32_t s = vs_[vs_.size() - 2].slot;
      std::array<uint8_t, 16> lanes;
      std::memcpy(lanes.data(), in.v128, 16);
      Label l = const16(lanes);
      call_helper(reinterpret_cast<const void*>(&h_shuffle), s, 0, 0, &l);
      vs_.resize(vs_.size() - 2);
      push(ValKind::V128, Loc::Mem);
      return {};
    }

    case Op::try_table:
    case Op::try_:
    case Op::catch_:
    case Op::catch_all:
    case Op::delegate:
    case Op::throw_:
    case Op::throw_ref:
    case Op::rethrow: return exn(in);

    default: break;
  }
  if (op_info(op).prefix == 0xFE) return atomic(in);
  if (op_info(op).prefix == 0xFB) return gc_instr(in);
  if (memory_helper(op)) {
    if (mem0_fast_ && in.mem == 0 && simd_memory(in)) return {};
    return memory_general(in);
  }
  if (simd_inline(in)) return {};
  return generic(in);
}

void Compiler::choose_pinned() {
  pinned_.assign(local_kind_.size(), -1);
  // The validator weighed every local while it checked the body (uses, x8 per
  // enclosing loop) and counted the try blocks: no second pass over the code.
  const FunctionInfo& info = cm_.vm->functions[defined_];
  const std::vector<uint64_t>& weight = info.local_weights;
  num_tries_ = info.num_tries;
  num_legacy_tries_ = info.num_legacy_tries;
  if (weight.size() != local_kind_.size()) return;  // not weighed: nothing pinned
  auto pick = [&](bool want_gp, size_t max) {
    std::vector<uint32_t> cand;
    for (uint32_t l = 0; l < local_kind_.size(); ++l) {
      ValKind k = local_kind_[l];
      bool ok = want_gp ? (k == ValKind::I32 || k == ValKind::I64) : in_xmm(k);
      if (ok && weight[l] >= 2) cand.push_back(l);
    }
    std::sort(cand.begin(), cand.end(), [&](uint32_t x, uint32_t y) {
      return weight[x] != weight[y] ? weight[x] > weight[y] : x < y;
    });
    if (cand.size() > max) cand.resize(max);
    return cand;
  };
  std::vector<uint32_t> g = pick(true, std::size(kPinGp));
  for (size_t i = 0; i < g.size(); ++i) pinned_[g[i]] = static_cast<int8_t>(kPinGp[i]);
  pinned_gp_count_ = g.size();
  pinned_xmm_locals_ = pick(false, std::size(kPinXmm));
  for (size_t i = 0; i < pinned_xmm_locals_.size(); ++i)
    pinned_[pinned_xmm_locals_[i]] = static_cast<int8_t>(kPinXmm[i]);
}

Result<CompiledFunction> Compiler::run(bool install) {
  uint32_t func_index = m_.num_imported_funcs + defined_;
  self_index_ = func_index;
  const FuncType& ft = m_.func_type(func_index);
  const FunctionBody& body = m_.bodies[defined_];
  has_memory_ = !m_.memories.empty();
  mem0_fast_ = has_memory_ && !m_.memories[0].limits.address64;

  uint32_t slot = 0;
  auto add_local = [&](const ValType& t) {
    local_slot_.push_back(slot);
    local_kind_.push_back(kind_of(t));
    slot += width(kind_of(t));
  };
  for (const ValType& t : ft.params) add_local(t);
  uint32_t param_slots = slot;
  for (const auto& [count, t] : body.locals)
    for (uint32_t i = 0; i < count; ++i) add_local(t);
  choose_pinned();
  const uint32_t exn_slots = slot;
  slot += reserve_exn_slots(slot);
  num_local_slots_ = slot;
  std::vector<uint32_t> ref_locals;
  for (size_t l = 0; l < local_kind_.size(); ++l)
    if (local_kind_[l] == ValKind::Ref) ref_locals.push_back(local_slot_[l]);
  // The hidden exception slots (in flight, legacy rethrow) hold exnrefs.
  for (uint32_t k = exn_slots; k < slot; ++k) ref_locals.push_back(k);
  gc_sites_.set_locals(std::move(ref_locals));
  max_slots_ = slot;
  uint32_t result_slots = 0;
  for (const ValType& t : ft.results) result_slots += width(kind_of(t));
  args_capacity_ = param_slots > result_slots ? param_slots : result_slots;

  CodeHolder code;
  code.init(Environment::host());
  x86::Assembler a(&code);
  a_ = &a;
  epilogue_ = a.newLabel();
  exit_ = a.newLabel();
  helper_trap_ = a.newLabel();

  // ---- prologue ----
  const RuntimeOffsets& o = runtime_offsets();
  entry_ = a.newLabel();
  a.bind(entry_);
  a.push(x86::rbp);
  a.mov(x86::rbp, x86::rsp);
  a.sub(x86::rsp, asmjit::Imm(0x7FFFFFF0));  // patched with the frame size below
  size_t frame_patch = code.textSection()->buffer().size() - 4;
  a.mov(x86::qword_ptr(x86::rbp, kFrameSaveR14), x86::r14);
  a.mov(x86::qword_ptr(x86::rbp, kFrameSaveR15), x86::r15);
  for (size_t i = 0; i < pinned_gp_count_; ++i)
    a.mov(x86::qword_ptr(x86::rbp, kFrameSavePinned - 8 * int32_t(i)), x86::gpq(kPinGp[i]));
  a.mov(x86::qword_ptr(x86::rbp, kFrameSelf), x86::rdi);
  a.mov(x86::qword_ptr(x86::rbp, kFrameArgs), x86::rsi);
  a.mov(x86::r15, x86::qword_ptr(x86::rdi, o.func_instance));
  if (o.instance_ctx) a.add(x86::r15, asmjit::Imm(o.instance_ctx));
  cur_offset_ = body.code.offset;
  // The limit is per thread (traps.h), read fs-relative: the TLS offset is a
  // small negative number, an absolute disp32 (sign-extended) under fs.
  x86::Mem limit = x86::ptr_abs(static_cast<uint64_t>(stack_limit_tls_offset()), 8);
  limit.setSegment(x86::fs);
  a.cmp(x86::rsp, limit);
  a.jb(trap_label(TrapKind::StackExhausted));
  reload_memory_base();
  // Parameters are copied to their slots, except pinned ones, loaded straight
  // into their registers below (their slots are only used around calls).
  std::vector<bool> pinned_slot(param_slots, false);
  for (uint32_t l = 0; l < ft.params.size(); ++l)
    if (pinned_[l] >= 0) pinned_slot[local_slot_[l]] = true;
  for (uint32_t i = 0; i < param_slots; ++i) {
    if (pinned_slot[i]) continue;
    a.mov(x86::rax, x86::qword_ptr(x86::rsi, static_cast<int32_t>(i * 8)));
    a.mov(slot_mem(i), x86::rax);
  }
  uint32_t zero_slots = num_local_slots_ - param_slots;
  if (zero_slots <= 16) {
    // Pinned locals live in their registers (zeroed below); their slots are
    // written before they are read (XMM locals around calls) or never used.
    std::vector<bool> skip(num_local_slots_, false);
    for (uint32_t l = static_cast<uint32_t>(ft.params.size()); l < pinned_.size(); ++l)
      if (pinned_[l] >= 0) skip[local_slot_[l]] = true;
    for (uint32_t i = param_slots; i < num_local_slots_; ++i)
      if (!skip[i]) a.mov(slot_mem(i), asmjit::Imm(0));
  } else {
    a.xor_(x86::eax, x86::eax);
    a.lea(x86::rdi, slot_mem(param_slots));
    a.mov(x86::ecx, asmjit::Imm(zero_slots));
    a.rep().stosq();
  }
  for (uint32_t l = 0; l < pinned_.size(); ++l) {
    if (pinned_[l] < 0) continue;
    uint8_t p = static_cast<uint8_t>(pinned_[l]);
    ValKind k = local_kind_[l];
    bool param = l < ft.params.size();
    if (!param) {  // declared locals start at zero
      if (is_gp(k))
        a.xor_(x86::gpd(p), x86::gpd(p));
      else
        a.xorps(x86::xmm(p), x86::xmm(p));
      continue;
    }
    x86::Mem src = param ? x86::ptr(x86::rsi, static_cast<int32_t>(local_slot_[l] * 8))
                         : slot_mem(local_slot_[l]);
    src.setSize(k == ValKind::I32 || k == ValKind::F32 ? 4 : k == ValKind::V128 ? 16 : 8);
    if (is_gp(k))
      a.mov(gp(k, p), src);
    else if (k == ValKind::F32)
      a.movss(x86::xmm(p), src);
    else if (k == ValKind::V128)
      a.movdqu(x86::xmm(p), src);
    else
      a.movsd(x86::xmm(p), src);
  }

  Ctl fc;
  fc.kind = Ctl::Kind::Func;
  for (const ValType& t : ft.results) fc.results.push_back(kind_of(t));
  fc.label = a.newLabel();
  ctl_.push_back(std::move(fc));

  Reader r(m_.data(body.code), m_.data(body.code) + body.code.size, body.code.offset);
  Features f = cm_.engine->config.features;
  InstrReader ir(r, f);
  Instr in;
  while (!done_) {
    if (!ir.next(in)) return Error(ErrorKind::Malformed, r.error().message, r.error().offset);
    cur_offset_ = in.offset;
    if (ctl_.back().unreachable) {
      switch (in.op) {
        case Op::block:
        case Op::loop:
        case Op::if_:
        case Op::try_:
        case Op::try_table: ++dead_; continue;
        case Op::end:
        case Op::delegate:
          if (dead_ > 0) {
            --dead_;
            continue;
          }
          break;
        case Op::else_:
        case Op::catch_:
        case Op::catch_all:
          if (dead_ > 0) continue;
          break;
        default: continue;
      }
    }
    Status s = instr(in);
    if (!s.ok()) return std::move(s).error();
  }

  // ---- epilogue and out-of-line code ----
  a.bind(epilogue_);
  a.xor_(x86::eax, x86::eax);  // no exception
  a.bind(exit_);
  restore_and_leave();
  a.ret();
  emit_exn_dispatch();
  emit_atomic_tails();

  for (const TrapSite& t : traps_) {
    a.bind(t.label);
    a.mov(x86::edi, asmjit::Imm(static_cast<uint32_t>(t.kind)));
    a.mov(x86::esi, asmjit::Imm(t.offset));
    a.mov(x86::rdx, x86::rbp);
    a.mov(x86::rax, asmjit::Imm(reinterpret_cast<uint64_t>(&raise_trap)));
    a.call(x86::rax);
  }
  a.bind(helper_trap_);
  a.mov(x86::rdi, x86::rax);
  a.mov(x86::rsi, x86::rbp);
  a.mov(x86::rax, asmjit::Imm(reinterpret_cast<uint64_t>(&raise_helper_trap)));
  a.call(x86::rax);

  a.align(AlignMode::kData, 16);
  for (auto& [l, lanes] : consts16_) {
    a.bind(l);
    a.embed(lanes.data(), 16);
  }
  for (const JumpTable& jt : tables_) {
    a.align(AlignMode::kData, 4);
    a.bind(jt.table);
    for (const Label& t : jt.targets) a.embedLabelDelta(t, jt.table, 4);
  }

  uint32_t frame_slots = max_slots_ > result_slots ? max_slots_ : result_slots;
  uint32_t frame = (kFrameHeader + frame_slots * 8 + 15) & ~15u;
  uint8_t* buf = code.textSection()->buffer().data();
  std::memcpy(buf + frame_patch, &frame, 4);

  if (code.flatten() || code.resolveUnresolvedLinks())
    return Error(ErrorKind::Unsupported, "baseline: code layout failed");
  size_t size = code.codeSize();
  if (!install) return CompiledFunction{nullptr, size, nullptr};
  void* mem = alloc_code(size);
  if (!mem) return Error(ErrorKind::Exhaustion, "baseline: out of code memory");
  if (code.relocateToBase(reinterpret_cast<uint64_t>(mem)))
    return Error(ErrorKind::Unsupported, "baseline: relocation failed");
  code.copyFlattenedData(mem, size, CopySectionFlags::kPadSectionBuffer);
  return CompiledFunction{mem, size, gc_sites_.finish(frame, reinterpret_cast<uintptr_t>(mem))};
}

#include "jit/baseline/compile_atomics.inc"
#include "jit/baseline/compile_exceptions.inc"
#include "jit/baseline/compile_gc.inc"
#include "jit/baseline/compile_simd.inc"

}  // namespace

Result<CompiledFunction> compile_function(const rt::CompiledModule& cm, uint32_t defined_index,
                                          void* lazy_entry, bool install) {
  if (!jit_isa().ok()) return jit_isa().error();
  Compiler c(cm, defined_index, lazy_entry);
  return c.run(install);
}

}  // namespace wasmrun::jit
