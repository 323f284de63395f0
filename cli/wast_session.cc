#include "cli/wast_session.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wasmrun/wasmrun.h"

namespace wasmrun::cli {

namespace {

std::string describe(const api::Value& v) { return v.to_string(); }

std::string describe(const std::vector<api::Value>& vs) {
  std::string s = "(";
  for (size_t i = 0; i < vs.size(); ++i) s += (i ? " " : "") + describe(vs[i]);
  return s + ")";
}

std::string describe(const Error& e) {
  return std::string(error_kind_name(e.kind)) + " \"" + e.message + "\"";
}

api::Value to_value(const WastValue& w) {
  switch (w.kind) {
    case WastValue::Kind::I32: return api::Value::i32(static_cast<int32_t>(w.bits));
    case WastValue::Kind::I64: return api::Value::i64(static_cast<int64_t>(w.bits));
    case WastValue::Kind::F32: return api::Value::f32_bits(static_cast<uint32_t>(w.bits));
    case WastValue::Kind::F64: return api::Value::f64_bits(w.bits);
    case WastValue::Kind::V128: {
      api::V128 v;
      std::memcpy(v.bytes, w.v128.data(), 16);
      return api::Value::v128(v);
    }
    case WastValue::Kind::RefNull: return api::Value::null(ValType::ref(w.heap, true));
    case WastValue::Kind::RefExtern: return api::Value::externref(w.bits);
    // `ref.host N` is an anyref in the reference interpreter; host references
    // have one encoding in both hierarchies (gc/value.h).
    case WastValue::Kind::RefHost: return api::Value::anyref_host(w.bits);
  }
  return api::Value();
}

// NaN patterns of the spec: canonical = quiet bit only (either sign),
// arithmetic = quiet bit set (any payload, either sign).
bool nan_matches32(uint32_t bits, WastLane::Kind k) {
  if (k == WastLane::Kind::NanCanonical) return (bits & 0x7fffffffu) == 0x7fc00000u;
  return (bits & 0x7fc00000u) == 0x7fc00000u;
}
bool nan_matches64(uint64_t bits, WastLane::Kind k) {
  if (k == WastLane::Kind::NanCanonical)
    return (bits & ~(uint64_t{1} << 63)) == 0x7ff8000000000000ull;
  return (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

bool is_abstract(const ValType& t, AbsHeap h) {
  return t.is_ref() && t.heap.is_abstract() && t.heap.abs == h;
}

bool matches(const api::Value& v, const WastExpected& e) {
  switch (e.kind) {
    case WastExpected::Kind::Value: {
      const WastValue& w = e.value;
      switch (w.kind) {
        case WastValue::Kind::I32:
          return v.type().kind == ValKind::I32 &&
                 static_cast<uint32_t>(v.i32()) == static_cast<uint32_t>(w.bits);
        case WastValue::Kind::I64:
          return v.type().kind == ValKind::I64 && static_cast<uint64_t>(v.i64()) == w.bits;
        case WastValue::Kind::F32:
          return v.type().kind == ValKind::F32 && v.f32_bits() == static_cast<uint32_t>(w.bits);
        case WastValue::Kind::F64: return v.type().kind == ValKind::F64 && v.f64_bits() == w.bits;
        case WastValue::Kind::V128:
          return v.type().kind == ValKind::V128 &&
                 std::memcmp(v.v128().bytes, w.v128.data(), 16) == 0;
        case WastValue::Kind::RefNull: return v.is_ref() && v.is_null();
        case WastValue::Kind::RefExtern:
        case WastValue::Kind::RefHost:
          // An externalized i31 or object is an externref too, but not `ref.extern N`.
          return v.is_ref() && !v.is_null() && v.is_host_ref() && v.extern_payload() == w.bits;
      }
      return false;
    }
    case WastExpected::Kind::F32Nan:
      return v.type().kind == ValKind::F32 && nan_matches32(v.f32_bits(), e.nan);
    case WastExpected::Kind::F64Nan:
      return v.type().kind == ValKind::F64 && nan_matches64(v.f64_bits(), e.nan);
    case WastExpected::Kind::V128Lanes: {
      if (v.type().kind != ValKind::V128) return false;
      api::V128 got = v.v128();
      size_t lane_bytes = 16 / e.lanes.size();
      bool is_float =
          e.shape == WastExpected::Shape::F32x4 || e.shape == WastExpected::Shape::F64x2;
      for (size_t i = 0; i < e.lanes.size(); ++i) {
        uint64_t bits = 0;
        std::memcpy(&bits, got.bytes + i * lane_bytes, lane_bytes);
        const WastLane& lane = e.lanes[i];
        if (lane.kind == WastLane::Kind::Exact) {
          uint64_t mask = lane_bytes == 8 ? ~uint64_t{0} : ((uint64_t{1} << (lane_bytes * 8)) - 1);
          if ((bits & mask) != (lane.bits & mask)) return false;
        } else {
          if (!is_float) return false;
          bool ok = lane_bytes == 4 ? nan_matches32(static_cast<uint32_t>(bits), lane.kind)
                                    : nan_matches64(bits, lane.kind);
          if (!ok) return false;
        }
      }
      return true;
    }
    case WastExpected::Kind::RefNullAny: return v.is_ref() && v.is_null();
    case WastExpected::Kind::RefFunc:
      if (!v.is_ref() || v.is_null() || is_abstract(v.type(), AbsHeap::Extern)) return false;
      return true;
    case WastExpected::Kind::RefExternAny:
      return v.is_ref() && !v.is_null() && is_abstract(v.type(), AbsHeap::Extern);
    // GC references, checked against the slot encoding (gc/value.h) and the
    // object's Rtt kind.
    case WastExpected::Kind::RefStruct: return !v.is_null() && v.is_struct_ref();
    case WastExpected::Kind::RefArray: return !v.is_null() && v.is_array_ref();
    case WastExpected::Kind::RefI31: return !v.is_null() && v.is_i31_ref();
    case WastExpected::Kind::RefEq:
      return !v.is_null() && (v.is_i31_ref() || v.is_struct_ref() || v.is_array_ref());
    case WastExpected::Kind::RefAny:
      return v.is_ref() && !v.is_null() && !is_abstract(v.type(), AbsHeap::Func) &&
             !is_abstract(v.type(), AbsHeap::Exn);
    case WastExpected::Kind::RefExn:
      // An exnref result is typed by the function's (abstract) exn result type.
      return v.is_ref() && !v.is_null() && is_abstract(v.type(), AbsHeap::Exn);
    case WastExpected::Kind::Either:
      for (const WastExpected& alt : e.alternatives) {
        if (matches(v, alt)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

struct WastSession::Impl {
  static api::EngineConfig config(api::Tier tier, uint64_t gc_heap_limit) {
    api::EngineConfig c;
    c.features = Features::all();
    c.tier = tier;
    c.gc_heap_limit = gc_heap_limit;
    return c;
  }
  api::Engine engine;
  api::Store store;
  api::Linker linker;
  std::optional<api::Instance> latest;
  std::map<std::string, api::Instance> instances;
  std::map<std::string, api::Module> definitions;
  std::optional<api::Module> latest_definition;
  std::string setup_error;

  Impl(api::Tier tier, uint64_t gc_heap_limit)
      : engine(config(tier, gc_heap_limit)), store(engine), linker(engine) {
    linker.allow_shadowing(true);
    if (Status s = api::define_spectest(linker, store); !s.ok())
      setup_error = s.error().to_string();
  }

  Result<api::Module> compile(const WastModule& m) {
    auto bytes = m.encode();
    if (!bytes) return std::move(bytes).error();
    return api::Module::compile(engine, std::span<const uint8_t>(bytes->data(), bytes->size()));
  }

  std::optional<api::Instance> find_instance(const std::optional<std::string>& id) {
    if (!id) return latest;
    auto it = instances.find(*id);
    if (it == instances.end()) return std::nullopt;
    return it->second;
  }

  void remember(const std::optional<std::string>& id, const api::Instance& inst) {
    latest = inst;
    if (id) instances[*id] = inst;
  }

  // Runs an action; on success the results.
  Result<std::vector<api::Value>> act(const WastAction& a) {
    auto inst = find_instance(a.module_id);
    if (!inst) {
      return Error(
          ErrorKind::Usage,
          "no module instance " + (a.module_id ? "$" + *a.module_id : std::string("(none yet)")));
    }
    if (a.kind == WastAction::Kind::Get) {
      auto g = inst->global(a.name);
      if (!g) return Error(ErrorKind::Usage, "no global export \"" + a.name + "\"");
      return std::vector<api::Value>{g->get()};
    }
    auto f = inst->func(a.name);
    if (!f) return Error(ErrorKind::Usage, "no function export \"" + a.name + "\"");
    std::vector<api::Value> args;
    args.reserve(a.args.size());
    for (const WastValue& w : a.args) args.push_back(to_value(w));
    return f->call(std::span<const api::Value>(args.data(), args.size()));
  }

  std::string expect_error(const Error& e, ErrorKind kind, const std::string& message) {
    if (e.kind != kind)
      return "expected " + std::string(error_kind_name(kind)) + " \"" + message + "\", got " +
             describe(e);
    if (e.message.find(message) == std::string::npos)
      return "expected \"" + message + "\", got " + describe(e);
    return {};
  }

  std::string execute(const WastCommand& cmd) {
    if (!setup_error.empty()) return "spectest module: " + setup_error;
    using K = WastCommand::Kind;
    switch (cmd.kind) {
      case K::Module: {
        auto m = compile(*cmd.module);
        if (!m) return "module failed to compile: " + describe(m.error());
        if (cmd.module->definition) {
          latest_definition = *m;
          if (cmd.module->id) definitions[*cmd.module->id] = *m;
          return {};
        }
        auto inst = linker.instantiate(store, *m);
        if (!inst) return "module failed to instantiate: " + describe(inst.error());
        remember(cmd.module->id, *inst);
        return {};
      }
      case K::ModuleInstance: {
        std::optional<api::Module> def = latest_definition;
        if (cmd.definition_id) {
          auto it = definitions.find(*cmd.definition_id);
          if (it == definitions.end()) return "no module definition $" + *cmd.definition_id;
          def = it->second;
        }
        if (!def) return "no module definition to instantiate";
        auto inst = linker.instantiate(store, *def);
        if (!inst) return "module instance failed: " + describe(inst.error());
        remember(cmd.instance_id, *inst);
        return {};
      }
      case K::Register: {
        auto inst = find_instance(cmd.register_id);
        if (!inst) return "register: no such instance";
        if (Status s = linker.define_instance(cmd.register_name, *inst); !s.ok()) {
          return "register failed: " + describe(s.error());
        }
        return {};
      }
      case K::Action: {
        auto r = act(*cmd.action);
        if (!r) return "action failed: " + describe(r.error());
        return {};
      }
      case K::AssertReturn: {
        auto r = act(*cmd.action);
        if (!r) return "expected results, got " + describe(r.error());
        if (r->size() != cmd.expected.size()) {
          return "expected " + std::to_string(cmd.expected.size()) + " results, got " +
                 describe(*r);
        }
        for (size_t i = 0; i < r->size(); ++i) {
          if (!matches((*r)[i], cmd.expected[i]))
            return "result " + std::to_string(i) + " mismatch: got " + describe(*r);
        }
        return {};
      }
      case K::AssertTrap: {
        if (cmd.action) {
          auto r = act(*cmd.action);
          if (r) return "expected trap \"" + cmd.message + "\", got " + describe(*r);
          return expect_error(r.error(), ErrorKind::Trap, cmd.message);
        }
        return expect_instantiation_error(cmd, ErrorKind::Uninstantiable);
      }
      case K::AssertExhaustion: {
        auto r = act(*cmd.action);
        if (r) return "expected exhaustion \"" + cmd.message + "\", got " + describe(*r);
        return expect_error(r.error(), ErrorKind::Exhaustion, cmd.message);
      }
      case K::AssertException: {
        auto r = act(*cmd.action);
        if (r) return "expected an exception, got " + describe(*r);
        if (r.error().kind != ErrorKind::Exception)
          return "expected an exception, got " + describe(r.error());
        return {};
      }
      case K::AssertUnlinkable: return expect_instantiation_error(cmd, ErrorKind::Unlinkable);
      case K::AssertUninstantiable:
        return expect_instantiation_error(cmd, ErrorKind::Uninstantiable);
      case K::AssertInvalid:
      case K::AssertMalformed: return "internal error: module assertion reached the session";
    }
    return "unknown command";
  }

  std::string expect_instantiation_error(const WastCommand& cmd, ErrorKind kind) {
    auto m = compile(*cmd.module);
    if (!m) return "module failed to compile: " + describe(m.error());
    auto inst = linker.instantiate(store, *m);
    if (inst)
      return "expected " + std::string(error_kind_name(kind)) + " \"" + cmd.message +
             "\", module instantiated";
    // A trap during instantiation (start function, segment bounds) is
    // "uninstantiable"; the runtime may report it as a plain trap.
    Error e = std::move(inst).error();
    if (kind == ErrorKind::Uninstantiable && e.kind == ErrorKind::Trap)
      e.kind = ErrorKind::Uninstantiable;
    return expect_error(e, kind, cmd.message);
  }
};

WastSession::WastSession(api::Tier tier, uint64_t gc_heap_limit)
    : impl_(std::make_unique<Impl>(tier, gc_heap_limit)) {}
WastSession::~WastSession() = default;

std::string WastSession::execute(const WastCommand& cmd) { return impl_->execute(cmd); }

}  // namespace wasmrun::cli
