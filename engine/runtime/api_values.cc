// Value, trap messages and host-side error constructors of the public API.
#include <bit>
#include <cinttypes>
#include <cstdio>

#include "engine/runtime/objects.h"
#include "gc/object.h"
#include "gc/value.h"

namespace wasmrun {

const char* trap_message(TrapKind kind) {
  switch (kind) {
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::IntegerDivideByZero: return "integer divide by zero";
    case TrapKind::IntegerOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::OutOfBoundsMemory: return "out of bounds memory access";
    case TrapKind::OutOfBoundsTable: return "out of bounds table access";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::UninitializedElement: return "uninitialized element";
    case TrapKind::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::NullFunctionReference: return "null function reference";
    case TrapKind::NullReference: return "null reference";
    case TrapKind::CastFailure: return "cast failure";
    case TrapKind::StackExhausted: return "call stack exhausted";
    case TrapKind::Unsupported: return "unsupported instruction";
    case TrapKind::Host: return "host trap";
    case TrapKind::NullStructReference: return "null structure reference";
    case TrapKind::NullArrayReference: return "null array reference";
    case TrapKind::NullI31Reference: return "null i31 reference";
    case TrapKind::OutOfBoundsArrayAccess: return "out of bounds array access";
    case TrapKind::ArrayTooLarge: return "out of memory: array too large";
    case TrapKind::HeapExhausted: return "out of memory: GC heap exhausted";
    case TrapKind::UnalignedAtomic: return "unaligned atomic";
    case TrapKind::ExpectedSharedMemory: return "expected shared memory";
    case TrapKind::NullExceptionReference: return "null exception reference";
  }
  return "trap";
}

std::string trap_message(TrapKind kind, uint64_t detail) {
  std::string m = trap_message(kind);
  if (kind == TrapKind::UninitializedElement) m += " " + std::to_string(detail);
  if (kind == TrapKind::HeapExhausted) m += " (limit " + std::to_string(detail) + " bytes)";
  return m;
}

std::string TrapInfo::backtrace_string() const {
  std::string out;
  char buf[64];
  for (size_t i = 0; i < backtrace.size(); ++i) {
    const TrapFrame& f = backtrace[i];
    std::snprintf(buf, sizeof buf, "  %zu: func %u", i, f.func_index);
    out += buf;
    if (!f.func_name.empty()) out += " <" + f.func_name + ">";
    std::snprintf(buf, sizeof buf, " @0x%x\n", f.offset);
    out += buf;
  }
  return out;
}

}  // namespace wasmrun

namespace wasmrun::api {

Value Value::i32(int32_t v) {
  Value r;
  r.type_ = ValType::i32();
  r.bits_.u64 = static_cast<uint32_t>(v);
  return r;
}
Value Value::i64(int64_t v) {
  Value r;
  r.type_ = ValType::i64();
  r.bits_.u64 = static_cast<uint64_t>(v);
  return r;
}
Value Value::f32(float v) { return f32_bits(std::bit_cast<uint32_t>(v)); }
Value Value::f64(double v) { return f64_bits(std::bit_cast<uint64_t>(v)); }
Value Value::f32_bits(uint32_t b) {
  Value r;
  r.type_ = ValType::f32();
  r.bits_.u64 = b;
  return r;
}
Value Value::f64_bits(uint64_t b) {
  Value r;
  r.type_ = ValType::f64();
  r.bits_.u64 = b;
  return r;
}
Value Value::v128(const V128& v) {
  Value r;
  r.type_ = ValType::v128();
  std::memcpy(r.bits_.v128, v.bytes, 16);
  return r;
}
Value Value::null(const ValType& t) {
  Value r;
  r.type_ = t;
  r.type_.nullable = true;
  r.bits_.u64 = 0;
  return r;
}
Value Value::funcref(Func f) {
  Value r;
  r.type_ = ValType::ref(HeapType::abstract(AbsHeap::Func), f.get() == nullptr);
  r.bits_.u64 = reinterpret_cast<uint64_t>(f.get());
  return r;
}
Value Value::externref(uint64_t payload) {
  Value r;
  r.type_ = ValType::ref(HeapType::abstract(AbsHeap::Extern), false);
  r.bits_.u64 = gc::make_host(payload);
  return r;
}
Value Value::anyref_host(uint64_t payload) {
  Value r;
  r.type_ = ValType::ref(HeapType::abstract(AbsHeap::Any), false);
  r.bits_.u64 = gc::make_host(payload);
  return r;
}
namespace {
// The GC object a reference value points to, or null. Values typed in the func
// or exn hierarchies hold FuncInst*/exception pointers, which look like object
// pointers but are not; a concrete heap type is trusted to be a struct/array
// type (the caller checks kinds only where it expects a GC reference).
const gc::Object* gc_object_of(const ValType& t, uint64_t bits) {
  if (!t.is_ref() || !gc::is_object(bits)) return nullptr;
  if (t.heap.is_abstract()) {
    switch (t.heap.abs) {
      case AbsHeap::Func:
      case AbsHeap::NoFunc:
      case AbsHeap::Exn:
      case AbsHeap::NoExn: return nullptr;
      default: break;
    }
  }
  return gc::as_object(bits);
}
}  // namespace

bool Value::is_struct_ref() const {
  const gc::Object* o = gc_object_of(type_, bits_.u64);
  return o && o->rtt->kind == gc::RttKind::Struct;
}
bool Value::is_array_ref() const {
  const gc::Object* o = gc_object_of(type_, bits_.u64);
  return o && o->rtt->kind == gc::RttKind::Array;
}
Value Value::zero(const ValType& t) {
  Value r;
  r.type_ = t;
  std::memset(r.bits_.v128, 0, 16);
  return r;
}
float Value::f32() const { return std::bit_cast<float>(f32_bits()); }
double Value::f64() const { return std::bit_cast<double>(f64_bits()); }
V128 Value::v128() const {
  V128 v;
  std::memcpy(v.bytes, bits_.v128, 16);
  return v;
}
Func Value::func() const { return Func(reinterpret_cast<rt::FuncInst*>(bits_.u64)); }

Value Value::from_raw(const ValType& t, const uint64_t* slots) {
  Value r;
  r.type_ = t;
  std::memset(r.bits_.v128, 0, 16);
  switch (t.kind) {
    case ValKind::I32:
    case ValKind::F32: r.bits_.u64 = static_cast<uint32_t>(slots[0]); break;
    case ValKind::V128: std::memcpy(r.bits_.v128, slots, 16); break;
    default: r.bits_.u64 = slots[0]; break;
  }
  return r;
}

Value Value::from_raw(const ValType& t, const uint64_t* slots, rt::StoreImpl& store) {
  Value r = from_raw(t, slots);
  // Only real objects of this store's heap need a root: structs, arrays and
  // exception objects (exnref), not i31s, host refs or FuncInst pointers.
  if (t.is_ref() && store.heap && store.heap->owns(r.bits_.u64))
    r.root_ = store.value_roots.make(r.bits_.u64);
  return r;
}

void Value::retain_root(rt::RootCell* c) { rt::ValueRoots::retain(c); }
void Value::release_root(rt::RootCell* c) { rt::ValueRoots::release(c); }

void Value::to_raw(uint64_t* slots) const {
  if (type_.kind == ValKind::V128)
    std::memcpy(slots, bits_.v128, 16);
  else
    slots[0] = bits_.u64;
}

std::string Value::to_string() const {
  char buf[96];
  switch (type_.kind) {
    case ValKind::I32: std::snprintf(buf, sizeof buf, "i32:%" PRId32, i32()); break;
    case ValKind::I64: std::snprintf(buf, sizeof buf, "i64:%" PRId64, i64()); break;
    case ValKind::F32:
      std::snprintf(buf, sizeof buf, "f32:%g (0x%08" PRIx32 ")", f32(), f32_bits());
      break;
    case ValKind::F64:
      std::snprintf(buf, sizeof buf, "f64:%g (0x%016" PRIx64 ")", f64(), f64_bits());
      break;
    case ValKind::V128: {
      std::string s = "v128:";
      for (int i = 0; i < 16; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", bits_.v128[i]);
        s += buf;
      }
      return s;
    }
    case ValKind::Ref:
      if (is_null()) return "ref.null";
      if (type_.heap.is_abstract() &&
          (type_.heap.abs == AbsHeap::Extern || type_.heap.abs == AbsHeap::NoExtern)) {
        // An externref is a host reference or an externalized i31/object.
        if (!is_host_ref()) return "ref.extern (internal)";
        std::snprintf(buf, sizeof buf, "ref.extern %" PRIu64, extern_payload());
        break;
      }
      if (is_host_ref()) {
        std::snprintf(buf, sizeof buf, "ref.host %" PRIu64, extern_payload());
        break;
      }
      if (is_i31_ref()) {
        std::snprintf(buf, sizeof buf, "ref.i31 %" PRIu32, gc::i31_get_u(bits_.u64));
        break;
      }
      if (is_struct_ref()) return "ref.struct";
      if (is_array_ref()) return "ref.array";
      return "ref.func";
    default: return "?";
  }
  return buf;
}

Error host_trap(std::string message) {
  Error e(ErrorKind::Trap, std::move(message));
  auto info = std::make_shared<TrapInfo>();
  info->kind = TrapKind::Host;
  e.trap = std::move(info);
  return e;
}

Error exit_error(int32_t code) {
  Error e(ErrorKind::Exit, "exit with code " + std::to_string(code));
  e.exit_code = code;
  return e;
}

}  // namespace wasmrun::api
