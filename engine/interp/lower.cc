// Lowering: wasm bytecode -> register-style interpreter code (see code.h).
//
// One pass with the shared InstrReader. The lowerer tracks the operand stack as
// entries {canonical slot, current source slot, width}. A value's canonical slot is
// fixed by its stack depth; its source is where it lives right now: its canonical
// slot, or a local's slot when `local.get` was folded away. Folded values are
// copied to their canonical slots ("materialized") where control flow merges
// (block entry, calls) and before the local they alias is overwritten. A
// `local.set` right after an instruction that wrote the stack top retargets that
// instruction's destination to the local, so `local.set x (i32.add ...)` is one op.
#include <cstring>
#include <optional>
#include <unordered_map>

#include "engine/decode/instr_reader.h"
#include "engine/interp/gc_ops.h"
#include "engine/interp/interp.h"
#include "engine/interp/iops.h"
#include "engine/interp/stack_map_recorder.h"
#include "engine/runtime/objects.h"

namespace wasmrun::interp {
namespace {

uint8_t width(const ValType& t) { return t.kind == ValKind::V128 ? 2 : 1; }
uint8_t width_of_sig_char(char c) { return c == 'v' ? 2 : 1; }

struct Entry {
  uint32_t pos;
  uint32_t src;
  uint8_t w;
  /// A constant not yet written anywhere (0: none, 1: 32-bit, 2: 64-bit). Consumers
  /// with an immediate form use `kv` directly; others materialize it first.
  uint8_t k = 0;
  uint64_t kv = 0;
};

/// The last emitted instruction when it was an integer comparison, for fusing it
/// with a following br_if / if.
struct LastCmp {
  int64_t start = -1;  ///< word index of the comparison; -1 when not applicable
  Op op = Op::nop;
  bool ri = false;
  uint32_t a = 0, b = 0, hi = 0;
  uint32_t dst = 0;
  /// An i32.eqz of the comparison's result followed it (and is part of what a
  /// fused branch replaces): the branch tests the negated comparison.
  bool negated = false;
};

/// The last emitted instruction when it was `i32.add x, K` or `i32.sub x, K`, for
/// folding it into the address of a following load or store, or into a following
/// br_if / if on its result. The sub is recorded as an add of -K.
struct LastAdd {
  int64_t start = -1;  ///< word index of the add; -1 when not applicable
  uint32_t end = 0;    ///< word index just past it
  uint32_t a = 0, k = 0, dst = 0;
  Op op = Op::nop;  ///< the wasm op (shl_: i32.shl or i32.shr_u)
};

bool is_i64_op(Op op) { return op_info(op).sig[0] == 'I'; }

bool commutative(Op op) {
  switch (op) {
    case Op::i32_add:
    case Op::i32_mul:
    case Op::i32_and:
    case Op::i32_or:
    case Op::i32_xor:
    case Op::i32_eq:
    case Op::i32_ne:
    case Op::i64_add:
    case Op::i64_mul:
    case Op::i64_and:
    case Op::i64_or:
    case Op::i64_xor:
    case Op::i64_eq:
    case Op::i64_ne: return true;
    default: return false;
  }
}

bool fusable_cmp(Op op) {
  switch (op) {
#define WASMRUN_X(n, ...) case Op::n:
    WASMRUN_INTERP_ICMPS(WASMRUN_X)
#undef WASMRUN_X
    case Op::i32_eqz:
    case Op::i64_eqz: return true;
#define WASMRUN_X(n, ...) case Op::n:
      WASMRUN_INTERP_FCMPS(WASMRUN_X)
#undef WASMRUN_X
      return true;
    default: return false;
  }
}

Op inverse_cmp(Op op) {
  switch (op) {
    case Op::i32_eq: return Op::i32_ne;
    case Op::i32_ne: return Op::i32_eq;
    case Op::i32_lt_s: return Op::i32_ge_s;
    case Op::i32_ge_s: return Op::i32_lt_s;
    case Op::i32_lt_u: return Op::i32_ge_u;
    case Op::i32_ge_u: return Op::i32_lt_u;
    case Op::i32_gt_s: return Op::i32_le_s;
    case Op::i32_le_s: return Op::i32_gt_s;
    case Op::i32_gt_u: return Op::i32_le_u;
    case Op::i32_le_u: return Op::i32_gt_u;
    case Op::i64_eq: return Op::i64_ne;
    case Op::i64_ne: return Op::i64_eq;
    case Op::i64_lt_s: return Op::i64_ge_s;
    case Op::i64_ge_s: return Op::i64_lt_s;
    case Op::i64_lt_u: return Op::i64_ge_u;
    case Op::i64_ge_u: return Op::i64_lt_u;
    case Op::i64_gt_s: return Op::i64_le_s;
    case Op::i64_le_s: return Op::i64_gt_s;
    case Op::i64_gt_u: return Op::i64_le_u;
    case Op::i64_le_u: return Op::i64_gt_u;
    default: return op;
  }
}

struct Ctl {
  enum class Kind : uint8_t { Block, Loop, If, Func, Try, TryTable };
  Kind kind = Kind::Block;
  uint32_t height = 0;
  uint32_t base_pos = 0;
  std::vector<uint8_t> params, results;
  uint32_t loop_pc = 0;
  std::vector<uint32_t> fixups;
  int64_t else_fixup = -1;
  bool unreachable = false;
  // Exception handling (lower_exn.inc): this try/try_table's handler region, the
  // region active where the block was entered, the legacy try's rethrow slot,
  // and whether the body has ended (a legacy try in its catch clauses).
  int32_t region = -1;
  int32_t outer_region = -1;
  int32_t exn_slot = -1;
  bool catching = false;
  const std::vector<uint8_t>& label() const { return kind == Kind::Loop ? params : results; }
};

class Lowerer {
 public:
  Lowerer(const rt::CompiledModule& cm, uint32_t defined)
      : cm_(cm), m_(cm.m()), defined_(defined), handlers_(handler_table()) {}

  Result<Code*> run();

 private:
  // --- emission ---
  void op(IOp o) {
    last_dst_ = -1;
    cmp_.start = -1;
    add_.start = -1;
    shl_.start = -1;
    fmul_.start = -1;
    last_copy_ = -1;
    uint32_t at = static_cast<uint32_t>(code_->words.size());
    if (code_->offsets.empty() || code_->offsets.back().second != cur_offset_)
      code_->offsets.emplace_back(at, cur_offset_);
    uint64_t h = reinterpret_cast<uint64_t>(handlers_[static_cast<unsigned>(o)]);
    code_->words.push_back(static_cast<uint32_t>(h));
    code_->words.push_back(static_cast<uint32_t>(h >> 32));
  }
  void w(uint32_t v) { code_->words.push_back(v); }
  /// Replaces the handler of the instruction at word `at` (same operand layout
  /// prefix; the caller appends any extra operands).
  void set_op(uint32_t at, IOp o) {
    uint64_t h = reinterpret_cast<uint64_t>(handlers_[static_cast<unsigned>(o)]);
    code_->words[at] = static_cast<uint32_t>(h);
    code_->words[at + 1] = static_cast<uint32_t>(h >> 32);
  }
  /// Removes the instructions from word `start` on (to re-emit them fused).
  void truncate(int64_t start) {
    code_->words.resize(static_cast<size_t>(start));
    while (!code_->offsets.empty() && code_->offsets.back().first >= start)
      code_->offsets.pop_back();
  }
  uint32_t here() const { return static_cast<uint32_t>(code_->words.size()); }
  void patch(uint32_t k, uint32_t target) { code_->words[k] = target - k; }
  /// Emits the destination word of a value-producing op and remembers it for the
  /// local.set peephole.
  void dst(uint32_t pos) {
    last_dst_ = here();
    last_dst_pos_ = pos;
    w(pos);
  }

  // --- operand stack ---
  uint32_t top_pos() const {
    return vs_.empty() ? base_for_empty() : vs_.back().pos + vs_.back().w;
  }
  uint32_t base_for_empty() const { return stack_base_; }
  uint32_t push(uint8_t w) {
    uint32_t p = top_pos();
    vs_.push_back({p, p, w});
    if (p + w > max_slots_) max_slots_ = p + w;
    return p;
  }
  /// Pops the top entry; a pending constant is written to its slot first.
  Entry pop() {
    Entry e = vs_.back();
    vs_.pop_back();
    resolve(e);
    return e;
  }
  Entry pop_raw() {
    Entry e = vs_.back();
    vs_.pop_back();
    return e;
  }
  void push_const(uint8_t bits64, uint64_t v) {
    uint32_t p = push(1);
    vs_.back().k = bits64 ? 2 : 1;
    vs_.back().kv = v;
    (void)p;
  }
  /// Makes a pending constant readable from a slot: its constant-pool slot when
  /// the function has one for this value, else its own slot (one const op).
  void resolve(Entry& e) {
    if (!e.k) return;
    auto it = pool_.find(e.k == 1 ? static_cast<uint32_t>(e.kv) : e.kv);
    if (it != pool_.end()) {
      e.src = it->second;
    } else {
      emit_const(e.pos, e);
      e.src = e.pos;
    }
    e.k = 0;
  }
  void emit_const(uint32_t d, const Entry& e) {
    if (e.k == 1) {
      op(IOp::i32_const);
      dst(d);
      w(static_cast<uint32_t>(e.kv));
    } else {
      op(IOp::i64_const);
      dst(d);
      w(static_cast<uint32_t>(e.kv));
      w(static_cast<uint32_t>(e.kv >> 32));
    }
  }
  /// Emits a fused compare-and-branch for the comparison that produced `c`, if
  /// it was the last instruction; returns false when there is none.
  bool fused_branch(const Entry& c, bool inverted) {
    if (cmp_.start < 0 || c.src != c.pos || cmp_.dst != c.pos) return false;
    LastCmp k = cmp_;
    truncate(k.start);
    op(brif_variant(k.op, inverted != k.negated, k.ri));
    w(k.a);
    if (k.op != Op::i32_eqz && k.op != Op::i64_eqz) {
      w(k.b);
      if (k.ri && is_i64_op(k.op)) w(k.hi);
    }
    return true;
  }
  /// Emits an add-and-branch for the `i32.add x, K` that produced the condition
  /// `c` (possibly through a local.tee), if it was the last instruction. The add
  /// still writes its destination, which may be a local.
  bool fused_add_branch(const Entry& c, bool inverted) {
    if (add_.start < 0 || here() != add_.end || c.k) return false;
    uint32_t at = static_cast<uint32_t>(add_.start);
    if (code_->words[at + 2] != c.src) return false;
    set_op(at, inverted ? IOp::add_ri_brz : IOp::add_ri_brnz);
    code_->words[at + 4] = add_.k;
    add_.start = -1;
    return true;
  }
  bool fused_any_branch(const Entry& c, bool inverted) {
    return fused_branch(c, inverted) || fused_add_branch(c, inverted);
  }
  void copy(uint32_t d, uint32_t s, uint8_t wd) {
    uint32_t at = here();
    op(wd == 2 ? IOp::copy128 : IOp::copy);
    w(d);
    w(s);
    if (wd == 1) last_copy_ = at;
  }
  void materialize(Entry& e) {
    if (e.k) {
      emit_const(e.pos, e);
      e.k = 0;
      e.src = e.pos;
      return;
    }
    if (e.src != e.pos) {
      copy(e.pos, e.src, e.w);
      e.src = e.pos;
    }
  }
  void materialize_all() {
    for (Entry& e : vs_) materialize(e);
  }

  // --- control ---
  Ctl& label(uint32_t depth) { return ctl_[ctl_.size() - 1 - depth]; }
  bool needs_copies(const Ctl& c) const {
    size_t n = c.label().size();
    uint32_t d = c.base_pos;
    for (size_t i = 0; i < n; ++i) {
      const Entry& e = vs_[vs_.size() - n + i];
      if (e.k || e.src != d) return true;
      d += e.w;
    }
    return false;
  }
  /// Copies the label's values (the stack top) to the label's slots. Does not
  /// change the tracked stack: it may run on a conditional path only.
  void label_copies(const Ctl& c) {
    size_t n = c.label().size();
    std::vector<uint32_t> srcs(n);
    for (size_t i = 0; i < n; ++i) srcs[i] = vs_[vs_.size() - n + i].src;
    if (c.kind == Ctl::Kind::Func && n > 1) {
      // Results go to slots 0.., which overlap the locals: move any value still
      // living in a local to its own stack slot first so no source is clobbered.
      for (size_t i = 0; i < n; ++i) {
        const Entry& e = vs_[vs_.size() - n + i];
        if (!e.k && e.src != e.pos && e.src < stack_base_) {
          copy(e.pos, e.src, e.w);
          srcs[i] = e.pos;
        }
      }
    }
    uint32_t d = c.base_pos;
    if (n == 1) {
      // The value was just computed into its stack slot: compute it into the
      // label's slot instead (only on an unconditional branch: a conditional one
      // emitted its test after the producer, which resets last_dst_).
      const Entry& e = vs_.back();
      if (!e.k && last_dst_ >= 0 && e.src == e.pos && last_dst_pos_ == e.pos && e.pos != d) {
        code_->words[static_cast<size_t>(last_dst_)] = d;
        last_dst_ = -1;
        return;
      }
    }
    for (size_t i = 0; i < n; ++i) {
      const Entry& e = vs_[vs_.size() - n + i];
      if (e.k)
        emit_const(d, e);
      else if (srcs[i] != d)
        copy(d, srcs[i], e.w);
      d += e.w;
    }
  }
  void target(Ctl& c) {
    uint32_t k = here();
    if (c.kind == Ctl::Kind::Loop) {
      w(c.loop_pc - k);
    } else {
      c.fixups.push_back(k);
      w(0);
    }
  }
  /// Unconditional jump to a label whose values are already in place.
  void jump(Ctl& c) {
    if (c.kind == Ctl::Kind::Func) {
      op(IOp::return_);
      return;
    }
    if (last_copy_ >= 0 && here() == static_cast<uint32_t>(last_copy_) + 4) {
      // The copy just before (a local.set, or a label copy) and this jump, with
      // no label between them: one copy-and-jump.
      set_op(static_cast<uint32_t>(last_copy_), IOp::copy_br);
      last_copy_ = -1;
      target(c);
      return;
    }
    op(IOp::br);
    target(c);
  }
  void branch(Ctl& c) {
    label_copies(c);
    jump(c);
  }

  void block_sig(const BlockType& bt, std::vector<uint8_t>& params, std::vector<uint8_t>& results) {
    params.clear();
    results.clear();
    if (bt.kind == BlockType::Kind::Value) {
      results.push_back(width(bt.value));
    } else if (bt.kind == BlockType::Kind::Index) {
      const FuncType& ft = m_.types[bt.index].comp.func;
      for (const ValType& t : ft.params) params.push_back(width(t));
      for (const ValType& t : ft.results) results.push_back(width(t));
    }
  }
  void enter(Ctl::Kind kind, const BlockType& bt) {
    Ctl c;
    c.kind = kind;
    block_sig(bt, c.params, c.results);
    c.height = static_cast<uint32_t>(vs_.size() - c.params.size());
    c.base_pos = c.params.empty() ? top_pos() : vs_[c.height].pos;
    c.loop_pc = here();
    c.outer_region = active_region_;
    ctl_.push_back(std::move(c));
  }

  void mem_access(const Instr& in, IOp fast, IOp slow, bool load, bool lane, uint8_t result_w);
  uint32_t mem_is64(uint32_t mem) const { return m_.memories[mem].limits.address64 ? 1 : 0; }
  uint32_t table_is64(uint32_t t) const { return m_.tables[t].limits.address64 ? 1 : 0; }
  void call_args(const FuncType& ft, uint32_t& base, uint32_t& arg_slots) {
    materialize_all();
    size_t n = ft.params.size();
    base = n ? vs_[vs_.size() - n].pos : top_pos();
    arg_slots = 0;
    for (const ValType& t : ft.params) arg_slots += width(t);
  }
  void call_results(const FuncType& ft, uint32_t base) {
    vs_.resize(vs_.size() - ft.params.size());
    (void)base;
    for (const ValType& t : ft.results) push(width(t));
  }
  Status lower_instr(const Instr& in);
  /// The frame slots holding GC references at the safepoint `in`: operand
  /// entries the validator types as GC references, except the top
  /// `callee_owned` (a call's arguments belong to the callee's frame).
  /// `popped` operands were already taken off the tracked stack.
  std::vector<uint32_t> safepoint_slots(const Instr& in, size_t popped, size_t callee_owned);
  // Exception handling (lower_exn.inc).
  Status lower_exn(const Instr& in);
  void open_region(Ctl& c);
  void end_region_body(Ctl& c);
  void finish_region(Ctl& c);
  uint32_t tag_slots(uint32_t tag, std::vector<uint8_t>* widths);
  // Wasm GC instructions (lower_gc.inc).
  Status lower_gc(const Instr& in);
  const gc::Rtt* rtt_of(uint32_t type_index);
  void w_ptr(const void* p);
  uint32_t pop_consecutive(size_t n);
  void cast_words(const HeapType& h, bool nullable);
  void build_pool(const FunctionBody& body);
  Status generic(const Instr& in);

  const rt::CompiledModule& cm_;
  const Module& m_;
  uint32_t defined_;
  const void* const* handlers_;
  Code* code_ = nullptr;
  std::vector<uint32_t> local_slot_;
  std::vector<uint8_t> local_w_;
  uint32_t num_local_slots_ = 0;
  uint32_t stack_base_ = 0;  ///< first operand-stack slot (after locals and constant pool)
  std::unordered_map<uint64_t, uint32_t> pool_;  ///< constant bits -> pool slot
  uint32_t max_slots_ = 0;
  std::vector<Entry> vs_;
  std::vector<Ctl> ctl_;
  int64_t last_dst_ = -1;
  uint32_t last_dst_pos_ = 0;
  LastCmp cmp_;
  LastAdd add_;
  LastAdd shl_;             ///< the last instruction if it is `i32.shl/shr_u x, K` (k: K & 31)
  LastAdd fmul_;            ///< the last instruction if it is f32/f64.mul (a, k: its operands)
  int64_t last_copy_ = -1;  ///< word index of the last instruction if it is a copy
  uint32_t cur_offset_ = 0;
  uint32_t dead_ = 0;  // nesting depth of blocks inside unreachable code
  bool done_ = false;
  // Exception handling: the innermost region whose body we are in (-1: none),
  // the first legacy-try rethrow slot (after the constant pool), the number of
  // try opcodes in the body and the next rethrow slot to hand out.
  int32_t active_region_ = -1;
  uint32_t exn_slot_base_ = 0;
  uint32_t num_try_ = 0;
  uint32_t next_try_ = 0;
  std::vector<std::vector<ExnCatch>> region_catches_;
  std::optional<StackMapRecorder> maps_;
};

std::vector<uint32_t> Lowerer::safepoint_slots(const Instr& in, size_t popped,
                                               size_t callee_owned) {
  std::vector<uint32_t> out;
  for (uint32_t i : maps_->operand_refs(in.offset, vs_.size() + popped)) {
    if (i + callee_owned >= vs_.size()) continue;
    const Entry& e = vs_[i];
    // A folded value lives in a local (in the map by its type) or the constant
    // pool (no references but null); its own slot may be stale.
    if (e.k) continue;
    if (e.src == e.pos || e.src >= stack_base_) out.push_back(e.src);
  }
  return out;
}

void Lowerer::mem_access(const Instr& in, IOp fast, IOp slow, bool load, bool lane,
                         uint8_t result_w) {
  Entry vec{0, 0, 0};
  if (!load || lane) vec = pop();  // the stored value / the vector of a lane load
  Entry addr = pop();
  uint32_t d = 0;
  bool is64 = mem_is64(in.mem) != 0;
  bool fast_ok = in.mem == 0 && !is64;
  IOp addend = fast_ok && !lane ? addend_variant(in.op) : IOp::kCount_;
  if (addend != IOp::kCount_ && add_.start >= 0 && here() == add_.end && !addr.k &&
      addr.src == addr.pos && add_.dst == addr.pos &&
      code_->words[static_cast<size_t>(add_.start) + 2] == addr.pos) {
    // The address is `i32.add x, K` computed just before into a stack slot that
    // only this access reads: fold the add into the access.
    LastAdd a = add_;
    truncate(a.start);
    op(addend);
    if (load) dst(push(result_w));
    w(a.a);
    if (!load) w(vec.src);
    w(static_cast<uint32_t>(in.mem_offset));
    w(a.k);
    return;
  }
  op(fast_ok ? fast : slow);
  if (load) {
    d = push(result_w);
    dst(d);
  }
  w(addr.src);
  if (!load || lane) w(vec.src);
  w(static_cast<uint32_t>(in.mem_offset));
  if (lane) w(in.lane);
  if (!fast_ok) {
    w(static_cast<uint32_t>(in.mem_offset >> 32));
    w(in.mem);
    w(is64 ? 1 : 0);
  }
  if (load) {
    last_dst_ = fast_ok ? last_dst_ : last_dst_;
  }
}

#include "engine/interp/lower_gc.inc"

#include "engine/interp/lower_exn.inc"

Status Lowerer::generic(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  const char* sig = info.sig;
  const char* colon = std::strchr(sig, ':');
  if (!sig[0] || !colon || std::strchr(sig, 'a'))
    return Error(ErrorKind::Unsupported,
                 std::string("unsupported instruction in the interpreter: ") + info.mnemonic,
                 in.offset);
  size_t np = static_cast<size_t>(colon - sig);
  const char* res = colon + 1;
  IOp ri = ri_variant(in.op);
  if (np == 2 && ri != IOp::kCount_) {
    const Entry& b = vs_.back();
    const Entry& a = vs_[vs_.size() - 2];
    bool swap = !b.k && a.k && commutative(in.op);
    if (b.k || swap) {
      Entry eb = pop_raw();
      Entry ea = pop_raw();
      Entry konst = swap ? ea : eb;
      Entry reg = swap ? eb : ea;
      resolve(reg);
      int64_t start = here();
      op(ri);
      uint32_t d = push(1);
      dst(d);
      w(reg.src);
      w(static_cast<uint32_t>(konst.kv));
      if (is_i64_op(in.op)) w(static_cast<uint32_t>(konst.kv >> 32));
      if (in.op == Op::i32_add || in.op == Op::i32_sub) {
        uint32_t k = static_cast<uint32_t>(konst.kv);
        add_ = {start, here(), reg.src, in.op == Op::i32_sub ? 0u - k : k, d, in.op};
      }
      if (in.op == Op::i32_shl || in.op == Op::i32_shr_u)
        shl_ = {start, here(), reg.src, static_cast<uint32_t>(konst.kv) & 31, d, in.op};
      if (fusable_cmp(in.op))
        cmp_ = {start,
                in.op,
                true,
                reg.src,
                static_cast<uint32_t>(konst.kv),
                static_cast<uint32_t>(konst.kv >> 32),
                d,
                false};
      return {};
    }
  }
  Entry es[4];
  uint32_t srcs[4];
  for (size_t i = np; i-- > 0;) {
    es[i] = pop();
    srcs[i] = es[i].src;
  }
  IOp shift_fused = IOp::kCount_;
  if (shl_.start >= 0 && here() == shl_.end) {
    bool left = shl_.op == Op::i32_shl;
    if (in.op == Op::i32_add) shift_fused = left ? IOp::i32_add_shl : IOp::i32_add_shr_u;
    if (in.op == Op::i32_xor) shift_fused = left ? IOp::i32_xor_shl : IOp::i32_xor_shr_u;
  }
  bool fadd = in.op == Op::f32_add || in.op == Op::f64_add;
  bool fsub = in.op == Op::f32_sub || in.op == Op::f64_sub;
  if ((fadd || fsub) && fmul_.start >= 0 && here() == fmul_.end &&
      (fmul_.op == Op::f64_mul) == (in.op == Op::f64_add || in.op == Op::f64_sub)) {
    // A product computed just before into a stack slot that only this add / sub
    // reads: one op, operands kept in wasm order (NaN payloads stay the same).
    for (int i = 0; i < 2; ++i) {
      const Entry& t = es[i];
      if (t.src != t.pos || t.pos != fmul_.dst ||
          code_->words[static_cast<size_t>(fmul_.start) + 2] != t.pos)
        continue;
      bool f64 = fmul_.op == Op::f64_mul;
      IOp fused = fadd ? (i == 0 ? (f64 ? IOp::f64_mul_add : IOp::f32_mul_add)
                                 : (f64 ? IOp::f64_add_mul : IOp::f32_add_mul))
                       : (i == 0 ? (f64 ? IOp::f64_mul_sub : IOp::f32_mul_sub)
                                 : (f64 ? IOp::f64_sub_mul : IOp::f32_sub_mul));
      LastAdd m = fmul_;
      truncate(m.start);
      op(fused);
      dst(push(1));
      w(m.a);
      w(m.k);
      w(es[1 - i].src);
      return {};
    }
  }
  if (shift_fused != IOp::kCount_) {
    // `y + (x << K)`, `y ^ (x >> K)`...: the shift was computed just before into
    // a stack slot that only this add / xor reads (both commute): one op.
    for (int i = 0; i < 2; ++i) {
      const Entry& t = es[i];
      if (t.src != t.pos || t.pos != shl_.dst ||
          code_->words[static_cast<size_t>(shl_.start) + 2] != t.pos)
        continue;
      LastAdd sh = shl_;
      truncate(sh.start);
      op(shift_fused);
      dst(push(1));
      w(es[1 - i].src);
      w(sh.a);
      w(sh.k);
      return {};
    }
  }
  // `i32.eqz` of a comparison just computed into a stack slot: a branch on it
  // can still fuse, with the comparison negated.
  LastCmp negate = cmp_;
  bool negates = in.op == Op::i32_eqz && negate.start >= 0 && !negate.negated &&
                 negate.op != Op::i32_eqz && negate.op != Op::i64_eqz && es[0].src == es[0].pos &&
                 negate.dst == es[0].pos;
  int64_t start = here();
  op(iop(in.op));
  uint32_t d = 0;
  if (res[0]) {
    d = push(width_of_sig_char(res[0]));
    dst(d);
  }
  for (size_t i = 0; i < np; ++i) w(srcs[i]);
  if (negates) {
    cmp_ = negate;
    cmp_.dst = d;
    cmp_.negated = true;
  } else if (fusable_cmp(in.op)) {
    cmp_ = {start, in.op, false, srcs[0], np > 1 ? srcs[1] : 0, 0, d, false};
  }
  if (in.op == Op::f32_mul || in.op == Op::f64_mul)
    fmul_ = {start, here(), srcs[0], srcs[1], d, in.op};
  if (info.imm == Imm::Lane) w(in.lane);
  if (info.imm == Imm::Shuffle) {
    uint32_t lanes[4];
    std::memcpy(lanes, in.v128, 16);
    for (uint32_t l : lanes) w(l);
  }
  return {};
}

Status Lowerer::lower_instr(const Instr& in) {
  switch (in.op) {
    case Op::nop: return {};
    case Op::unreachable:
      op(IOp::unreachable);
      ctl_.back().unreachable = true;
      return {};
    case Op::block:
      materialize_all();
      enter(Ctl::Kind::Block, in.block);
      return {};
    case Op::loop:
      materialize_all();
      enter(Ctl::Kind::Loop, in.block);
      return {};
    case Op::if_: {
      Entry c = pop();
      materialize_all();
      enter(Ctl::Kind::If, in.block);
      if (!fused_any_branch(c, true)) {
        op(IOp::br_unless);
        w(c.src);
      }
      ctl_.back().else_fixup = here();
      w(0);
      return {};
    }
    case Op::else_: {
      Ctl& c = ctl_.back();
      if (!c.unreachable) {
        for (size_t i = vs_.size() - c.results.size(); i < vs_.size(); ++i) materialize(vs_[i]);
        op(IOp::br);
        c.fixups.push_back(here());
        w(0);
      }
      patch(static_cast<uint32_t>(c.else_fixup), here());
      c.else_fixup = -1;
      vs_.resize(c.height);
      for (uint8_t pw : c.params) push(pw);
      c.unreachable = false;
      return {};
    }
    case Op::end: {
      Ctl& c = ctl_.back();
      if (c.kind == Ctl::Kind::Func) {
        if (!c.unreachable) branch(c);
        done_ = true;
        ctl_.pop_back();
        return {};
      }
      if (c.region >= 0) finish_region(c);
      if (!c.unreachable) {
        for (size_t i = vs_.size() - c.results.size(); i < vs_.size(); ++i) materialize(vs_[i]);
      }
      if (c.else_fixup >= 0) patch(static_cast<uint32_t>(c.else_fixup), here());
      if (c.kind != Ctl::Kind::Loop)
        for (uint32_t k : c.fixups) patch(k, here());
      uint32_t height = c.height;
      std::vector<uint8_t> results = c.results;
      ctl_.pop_back();
      vs_.resize(height);
      for (uint8_t rw : results) push(rw);
      return {};
    }
    case Op::br: {
      branch(label(in.index));
      ctl_.back().unreachable = true;
      return {};
    }
    case Op::br_if: {
      Entry c = pop();
      Ctl& l = label(in.index);
      if (l.kind != Ctl::Kind::Func && !needs_copies(l)) {
        if (!fused_any_branch(c, false)) {
          op(IOp::br_if);
          w(c.src);
        }
        target(l);
      } else {
        if (!fused_any_branch(c, true)) {
          op(IOp::br_unless);
          w(c.src);
        }
        uint32_t skip = here();
        w(0);
        branch(l);
        patch(skip, here());
      }
      return {};
    }
    case Op::br_table: {
      Entry idx = pop();
      uint32_t n = static_cast<uint32_t>(in.labels.size());  // targets + default
      op(IOp::br_table);
      w(idx.src);
      w(n - 1);
      uint32_t tbl = here();
      for (uint32_t i = 0; i < n; ++i) w(0);
      std::vector<uint32_t> labels(in.labels.begin(), in.labels.end());
      for (uint32_t i = 0; i < n; ++i) {
        Ctl& l = label(labels[i]);
        uint32_t k = tbl + i;
        if (l.kind != Ctl::Kind::Func && !needs_copies(l)) {
          if (l.kind == Ctl::Kind::Loop)
            code_->words[k] = l.loop_pc - k;
          else
            l.fixups.push_back(k);
        } else {
          patch(k, here());
          branch(l);
        }
      }
      ctl_.back().unreachable = true;
      return {};
    }
    case Op::return_:
      branch(ctl_.front());
      ctl_.back().unreachable = true;
      return {};
    case Op::call: {
      const FuncType& ft = m_.func_type(in.index);
      uint32_t base, slots;
      call_args(ft, base, slots);
      std::vector<uint32_t> refs = safepoint_slots(in, 0, ft.params.size());
      op(IOp::call);
      w(in.index);
      w(base);
      maps_->add(here() - 1, std::move(refs));
      call_results(ft, base);
      return {};
    }
    case Op::return_call: {
      const FuncType& ft = m_.func_type(in.index);
      uint32_t base, slots;
      call_args(ft, base, slots);
      op(IOp::return_call);
      w(in.index);
      w(base);
      w(slots);
      ctl_.back().unreachable = true;
      return {};
    }
    case Op::call_indirect:
    case Op::return_call_indirect: {
      const FuncType& ft = m_.types[in.index].comp.func;
      Entry idx = pop();
      uint32_t base, slots;
      call_args(ft, base, slots);
      bool tail = in.op == Op::return_call_indirect;
      std::vector<uint32_t> refs;
      if (!tail) refs = safepoint_slots(in, 1, ft.params.size());
      op(tail ? IOp::return_call_indirect : IOp::call_indirect);
      w(in.index);
      w(in.index2);
      w(base);
      w(idx.src);
      w(table_is64(in.index2));
      if (tail) {
        w(slots);
        ctl_.back().unreachable = true;
      } else {
        maps_->add(here() - 1, std::move(refs));
        call_results(ft, base);
      }
      return {};
    }
    case Op::call_ref:
    case Op::return_call_ref: {
      const FuncType& ft = m_.types[in.index].comp.func;
      Entry ref = pop();
      uint32_t base, slots;
      call_args(ft, base, slots);
      bool tail = in.op == Op::return_call_ref;
      std::vector<uint32_t> refs;
      if (!tail) refs = safepoint_slots(in, 1, ft.params.size());
      op(tail ? IOp::return_call_ref : IOp::call_ref);
      w(base);
      w(ref.src);
      if (tail) {
        w(slots);
        ctl_.back().unreachable = true;
      } else {
        maps_->add(here() - 1, std::move(refs));
        call_results(ft, base);
      }
      return {};
    }
    case Op::try_table:
    case Op::try_:
    case Op::catch_:
    case Op::catch_all:
    case Op::delegate:
    case Op::throw_:
    case Op::throw_ref:
    case Op::rethrow: return lower_exn(in);
    case Op::drop: pop_raw(); return {};
    case Op::select:
    case Op::select_t: {
      Entry c = pop(), b = pop(), a = pop();
      op(a.w == 2 ? IOp::select128 : IOp::select);
      dst(push(a.w));
      w(a.src);
      w(b.src);
      w(c.src);
      return {};
    }
    case Op::local_get: {
      uint32_t p = top_pos();
      vs_.push_back({p, local_slot_[in.index], local_w_[in.index]});
      if (p + local_w_[in.index] > max_slots_) max_slots_ = p + local_w_[in.index];
      return {};
    }
    case Op::local_set:
    case Op::local_tee: {
      bool tee = in.op == Op::local_tee;
      Entry e = pop();
      uint32_t ls = local_slot_[in.index];
      if (e.src != ls) {
        bool moved = false;
        for (Entry& o : vs_) {
          if (o.src == ls) {
            materialize(o);
            moved = true;
          }
        }
        if (!moved && last_dst_ >= 0 && e.src == e.pos && last_dst_pos_ == e.pos) {
          code_->words[static_cast<size_t>(last_dst_)] = ls;
          last_dst_ = -1;
        } else {
          copy(ls, e.src, e.w);
        }
      }
      if (tee) {
        e.src = ls;
        vs_.push_back(e);
      }
      return {};
    }
    case Op::global_get: {
      uint8_t gw = width(m_.globals[in.index].type);
      op(gw == 2 ? IOp::global_get128 : IOp::global_get);
      dst(push(gw));
      w(in.index);
      return {};
    }
    case Op::global_set: {
      Entry e = pop();
      op(e.w == 2 ? IOp::global_set128 : IOp::global_set);
      w(e.src);
      w(in.index);
      return {};
    }
    case Op::i32_const:
    case Op::f32_const: push_const(0, static_cast<uint32_t>(in.value)); return {};
    case Op::i64_const:
    case Op::f64_const: push_const(1, in.value); return {};
    case Op::ref_null: push_const(1, 0); return {};
    case Op::v128_const: {
      op(IOp::v128_const);
      dst(push(2));
      uint32_t v[4];
      std::memcpy(v, in.v128, 16);
      for (uint32_t x : v) w(x);
      return {};
    }
    case Op::ref_func:
      op(IOp::ref_func);
      dst(push(1));
      w(in.index);
      return {};
    case Op::ref_is_null: {
      Entry r = pop();
      op(IOp::ref_is_null);
      dst(push(1));
      w(r.src);
      return {};
    }
    case Op::ref_eq: {
      Entry b = pop(), a = pop();
      op(IOp::ref_eq);
      dst(push(1));
      w(a.src);
      w(b.src);
      return {};
    }
    case Op::ref_as_non_null:
      materialize(vs_.back());
      op(IOp::ref_as_non_null);
      w(vs_.back().src);
      return {};
    case Op::br_on_null: {
      Entry r = pop();
      Ctl& l = label(in.index);
      if (l.kind != Ctl::Kind::Func && !needs_copies(l)) {
        op(IOp::br_on_null);
        w(r.src);
        target(l);
      } else {
        op(IOp::br_on_non_null);
        w(r.src);
        uint32_t skip = here();
        w(0);
        branch(l);
        patch(skip, here());
      }
      vs_.push_back(r);
      return {};
    }
    case Op::br_on_non_null: {
      materialize(vs_.back());
      Entry r = vs_.back();
      Ctl& l = label(in.index);
      if (l.kind != Ctl::Kind::Func && !needs_copies(l)) {
        op(IOp::br_on_non_null);
        w(r.src);
        target(l);
      } else {
        op(IOp::br_on_null);
        w(r.src);
        uint32_t skip = here();
        w(0);
        branch(l);
        patch(skip, here());
      }
      pop();
      return {};
    }
    case Op::table_get: {
      Entry i = pop();
      op(IOp::table_get);
      dst(push(1));
      w(in.index);
      w(i.src);
      w(table_is64(in.index));
      return {};
    }
    case Op::table_set: {
      Entry v = pop(), i = pop();
      op(IOp::table_set);
      w(in.index);
      w(i.src);
      w(v.src);
      w(table_is64(in.index));
      return {};
    }
    case Op::table_size:
      op(IOp::table_size);
      dst(push(1));
      w(in.index);
      return {};
    case Op::table_grow: {
      Entry n = pop(), v = pop();
      op(IOp::table_grow);
      dst(push(1));
      w(in.index);
      w(v.src);
      w(n.src);
      w(table_is64(in.index));
      return {};
    }
    case Op::table_fill: {
      Entry n = pop(), v = pop(), i = pop();
      op(IOp::table_fill);
      w(in.index);
      w(i.src);
      w(v.src);
      w(n.src);
      w(table_is64(in.index));
      return {};
    }
    case Op::table_copy: {
      Entry n = pop(), s = pop(), d = pop();
      op(IOp::table_copy);
      w(in.index);
      w(in.index2);
      w(d.src);
      w(s.src);
      w(n.src);
      w(table_is64(in.index) | (table_is64(in.index2) << 1));
      return {};
    }
    case Op::table_init: {
      Entry n = pop(), s = pop(), d = pop();
      op(IOp::table_init);
      w(in.index);
      w(in.index2);
      w(d.src);
      w(s.src);
      w(n.src);
      w(table_is64(in.index2));
      return {};
    }
    case Op::elem_drop:
      op(IOp::elem_drop);
      w(in.index);
      return {};
    case Op::memory_size:
      op(IOp::memory_size);
      dst(push(1));
      w(in.index);
      return {};
    case Op::memory_grow: {
      Entry d = pop();
      op(IOp::memory_grow);
      dst(push(1));
      w(d.src);
      w(in.index);
      w(mem_is64(in.index));
      return {};
    }
    case Op::memory_fill: {
      Entry n = pop(), v = pop(), d = pop();
      if (in.index == 0 && !mem_is64(0)) {
        op(IOp::memory_fill0);
        w(d.src);
        w(v.src);
        w(n.src);
        return {};
      }
      op(IOp::memory_fill);
      w(in.index);
      w(d.src);
      w(v.src);
      w(n.src);
      w(mem_is64(in.index));
      return {};
    }
    case Op::memory_copy: {
      Entry n = pop(), s = pop(), d = pop();
      if (in.index == 0 && in.index2 == 0 && !mem_is64(0)) {
        op(IOp::memory_copy0);
        w(d.src);
        w(s.src);
        w(n.src);
        return {};
      }
      op(IOp::memory_copy);
      w(in.index);
      w(in.index2);
      w(d.src);
      w(s.src);
      w(n.src);
      w(mem_is64(in.index) | (mem_is64(in.index2) << 1));
      return {};
    }
    case Op::memory_init: {
      Entry n = pop(), s = pop(), d = pop();
      op(IOp::memory_init);
      w(in.index);
      w(in.index2);
      w(d.src);
      w(s.src);
      w(n.src);
      w(mem_is64(in.index2));
      return {};
    }
    case Op::data_drop:
      op(IOp::data_drop);
      w(in.index);
      return {};
    default: break;
  }
  const OpInfo& info = op_info(in.op);
  if (info.prefix == 0xFE) {
    // Threads: one generic handler and operand layout for all (atomic_ops.h).
    const char* colon = std::strchr(info.sig, ':');
    size_t np = static_cast<size_t>(colon - info.sig);
    uint32_t srcs[3] = {0, 0, 0};
    for (size_t i = np; i-- > 0;) srcs[i] = pop().src;
    bool fence = in.op == Op::atomic_fence;
    op(iop(in.op));
    if (colon[1])
      dst(push(width_of_sig_char(colon[1])));
    else
      w(0);
    for (uint32_t s : srcs) w(s);
    w(static_cast<uint32_t>(in.mem_offset));
    w(static_cast<uint32_t>(in.mem_offset >> 32));
    w(fence ? 0 : in.mem);
    w(fence ? 0 : mem_is64(in.mem));
    w(static_cast<uint32_t>(in.op));
    return {};
  }
  if ((info.imm == Imm::Memarg || info.imm == Imm::MemargLane) && info.prefix != 0xFE) {
    const char* sig = info.sig;
    const char* colon = std::strchr(sig, ':');
    bool load = colon[1] != 0;
    bool lane = info.imm == Imm::MemargLane;
    if (lane) load = colon[1] == 'v';
    uint8_t rw = load ? width_of_sig_char(colon[1]) : 0;
    mem_access(in, iop(in.op), memory_variant(in.op), load, lane, rw);
    return {};
  }
  if (info.prefix == 0xFB) return lower_gc(in);
  return generic(in);
}

// The constant pool: constants used as register operands (float operands, memory
// addresses, left operands) get a frame slot initialized on entry, so using them
// costs nothing in the loop. Constants that will become immediates or be stored
// straight into a local are left out, which keeps entry cheap for small functions.
void Lowerer::build_pool(const FunctionBody& body) {
  constexpr size_t kMaxPool = 64;
  Reader r(m_.data(body.code), m_.data(body.code) + body.code.size, body.code.offset);
  Features f = cm_.engine->config.features;
  InstrReader ir(r, f);
  Instr in;
  bool have = false;
  uint64_t bits = 0;
  bool is_int = false;
  while (ir.next(in)) {
    if (have) {
      bool skip = false;
      switch (in.op) {
        case Op::local_set:
        case Op::local_tee:
        case Op::global_set:
        case Op::drop:
        case Op::end:
        case Op::br:
        case Op::return_: skip = true; break;
        default: skip = is_int && ri_variant(in.op) != IOp::kCount_;
      }
      if (!skip && !pool_.count(bits) && pool_.size() < kMaxPool)
        pool_.emplace(bits, num_local_slots_ + static_cast<uint32_t>(pool_.size()));
      have = false;
    }
    switch (in.op) {
      case Op::try_: ++num_try_; break;  // each gets a rethrow slot
      case Op::i32_const:
      case Op::f32_const:
        have = true;
        bits = static_cast<uint32_t>(in.value);
        is_int = in.op == Op::i32_const;
        break;
      case Op::i64_const:
      case Op::f64_const:
        have = true;
        bits = in.value;
        is_int = in.op == Op::i64_const;
        break;
      default: break;
    }
  }
}

Result<Code*> Lowerer::run() {
  uint32_t func_index = m_.num_imported_funcs + defined_;
  const FuncType& ft = m_.func_type(func_index);
  const FunctionBody& body = m_.bodies[defined_];
  auto code = std::make_unique<Code>();
  code_ = code.get();
  code_->func_index = func_index;
  uint32_t slot = 0;
  auto add_local = [&](const ValType& t) {
    local_slot_.push_back(slot);
    local_w_.push_back(width(t));
    slot += width(t);
  };
  for (const ValType& t : ft.params) add_local(t);
  code_->num_param_slots = slot;
  for (const auto& [count, t] : body.locals)
    for (uint32_t i = 0; i < count; ++i) add_local(t);
  num_local_slots_ = slot;
  maps_.emplace(m_, cm_.vm->functions[defined_], local_slot_);
  build_pool(body);
  exn_slot_base_ = slot + static_cast<uint32_t>(pool_.size());
  stack_base_ = exn_slot_base_ + num_try_;
  // The legacy tries' rethrow slots hold null (zeroed on entry) or an exnref.
  maps_->add_fixed_slots(exn_slot_base_, num_try_);
  code_->num_local_slots = stack_base_;
  code_->init.assign(stack_base_ - code_->num_param_slots, 0);
  for (const auto& [bits, at] : pool_) code_->init[at - code_->num_param_slots] = bits;
  max_slots_ = stack_base_;
  uint32_t result_slots = 0;
  for (const ValType& t : ft.results) result_slots += width(t);
  code_->num_result_slots = result_slots;

  Ctl fc;
  fc.kind = Ctl::Kind::Func;
  fc.base_pos = 0;
  for (const ValType& t : ft.results) fc.results.push_back(width(t));
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
    // Only local.set / local.tee may retarget the previous instruction's result,
    // and only the very next instruction: everything else forgets it.
    // Branches to a label may instead retarget the instruction that computed the
    // label's value (label_copies), and an unconditional branch may absorb the
    // copy just before it (jump).
    bool ends_in_branch = in.op == Op::br || in.op == Op::return_ ||
                          (in.op == Op::end && ctl_.back().kind == Ctl::Kind::Func);
    if (in.op != Op::local_set && in.op != Op::local_tee && !ends_in_branch) last_dst_ = -1;
    if (in.op != Op::br_if && in.op != Op::if_ && in.op != Op::i32_eqz) cmp_.start = -1;
    if (in.op != Op::br) last_copy_ = -1;
    if (Status s = lower_instr(in); !s.ok()) return std::move(s).error();
    // Code emitted by control instructions (e.g. the constant an `end` writes
    // into the block's result slot) may sit before a label that other paths jump
    // to: the next instruction must not retarget or fuse it.
    if (op_info(in.op).sig[0] == 0 && in.op != Op::local_get && in.op != Op::local_set &&
        in.op != Op::local_tee && in.op != Op::global_get && in.op != Op::select &&
        in.op != Op::select_t) {
      last_dst_ = -1;
      cmp_.start = -1;
      add_.start = -1;
      shl_.start = -1;
      fmul_.start = -1;
      last_copy_ = -1;
    }
  }
  code_->frame_slots = std::max({max_slots_, result_slots, num_local_slots_}) + 2;
  maps_->finish(*code_);
  return code.release();
}

}  // namespace

IOp memory_variant(Op op) {
  switch (op) {
#define WASMRUN_XM(n, ...) \
  case Op::n: return IOp::n##_m;
    WASMRUN_INTERP_LOADS(WASMRUN_XM)
    WASMRUN_INTERP_STORES(WASMRUN_XM)
    WASMRUN_SIMD_LOAD(WASMRUN_XM)
    WASMRUN_SIMD_LOAD_LANE(WASMRUN_XM)
    WASMRUN_SIMD_STORE_LANE(WASMRUN_XM)
#undef WASMRUN_XM
    case Op::v128_store: return IOp::v128_store_m;
    default: return iop(op);
  }
}

IOp addend_variant(Op op) {
  switch (op) {
#define WASMRUN_XA(n, ...) \
  case Op::n: return IOp::n##_a;
    WASMRUN_INTERP_LOADS(WASMRUN_XA)
    WASMRUN_INTERP_STORES(WASMRUN_XA)
#undef WASMRUN_XA
    default: return IOp::kCount_;
  }
}

IOp ri_variant(Op op) {
  switch (op) {
#define WASMRUN_X(n, ...) \
  case Op::n: return IOp::n##_ri;
    WASMRUN_INTERP_ICMPS(WASMRUN_X)
    WASMRUN_INTERP_IARITH(WASMRUN_X)
#undef WASMRUN_X
    default: return IOp::kCount_;
  }
}

IOp brif_variant(Op cmp, bool inverted, bool imm) {
  if (cmp == Op::i32_eqz) return inverted ? IOp::brif_i32_nez : IOp::brif_i32_eqz;
  if (cmp == Op::i64_eqz) return inverted ? IOp::brif_i64_nez : IOp::brif_i64_eqz;
  switch (cmp) {
#define WASMRUN_X(n, ...) \
  case Op::n: return inverted ? IOp::brifnot_##n : IOp::brif_##n;
    WASMRUN_INTERP_FCMPS(WASMRUN_X)
#undef WASMRUN_X
    default: break;
  }
  Op c = inverted ? inverse_cmp(cmp) : cmp;
  switch (c) {
#define WASMRUN_X(n, ...) \
  case Op::n: return imm ? IOp::brif_##n##_ri : IOp::brif_##n;
    WASMRUN_INTERP_ICMPS(WASMRUN_X)
#undef WASMRUN_X
    default: return IOp::br_if;
  }
}

uint32_t Code::wasm_offset(uint32_t pos) const {
  uint32_t best = 0;
  for (const auto& [at, off] : offsets) {
    if (at > pos) break;
    best = off;
  }
  return best;
}

Result<Code*> lower_function(const rt::CompiledModule& m, uint32_t defined_index) {
  Lowerer l(m, defined_index);
  return l.run();
}

}  // namespace wasmrun::interp
