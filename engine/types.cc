#include "engine/types.h"

namespace wasmrun {

std::string to_string(const HeapType& t) {
  switch (t.kind) {
    case HeapType::Kind::Index: return std::to_string(t.index);
    case HeapType::Kind::Bot: return "bot";
    case HeapType::Kind::Abstract: break;
  }
  switch (t.abs) {
    case AbsHeap::NoExn: return "noexn";
    case AbsHeap::NoFunc: return "nofunc";
    case AbsHeap::NoExtern: return "noextern";
    case AbsHeap::None: return "none";
    case AbsHeap::Func: return "func";
    case AbsHeap::Extern: return "extern";
    case AbsHeap::Any: return "any";
    case AbsHeap::Eq: return "eq";
    case AbsHeap::I31: return "i31";
    case AbsHeap::Struct: return "struct";
    case AbsHeap::Array: return "array";
    case AbsHeap::Exn: return "exn";
  }
  return "?";
}

std::string to_string(const ValType& t) {
  switch (t.kind) {
    case ValKind::I32: return "i32";
    case ValKind::I64: return "i64";
    case ValKind::F32: return "f32";
    case ValKind::F64: return "f64";
    case ValKind::V128: return "v128";
    case ValKind::I8: return "i8";
    case ValKind::I16: return "i16";
    case ValKind::Bot: return "bot";
    case ValKind::Ref: break;
  }
  // Nullable abstract types have short names (funcref, externref, nullref, ...).
  if (t.nullable && t.heap.is_abstract()) {
    switch (t.heap.abs) {
      case AbsHeap::None: return "nullref";
      case AbsHeap::NoFunc: return "nullfuncref";
      case AbsHeap::NoExtern: return "nullexternref";
      case AbsHeap::NoExn: return "nullexnref";
      default: return to_string(t.heap) + "ref";
    }
  }
  return std::string(t.nullable ? "(ref null " : "(ref ") + to_string(t.heap) + ")";
}

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "?";
}

}  // namespace wasmrun
