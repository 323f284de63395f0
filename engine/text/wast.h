// The WebAssembly script format (WAST) used by the spec test suite.
//
// parse_wast() turns a script into a flat list of commands. Text modules are
// encoded to binary eagerly, but a module that fails to encode does not stop the
// script: the error is stored in the WastModule, because assert_malformed and
// assert_invalid expect failures later. `(module quote ...)` keeps its text; the
// runner calls WastModule::encode() (which runs wat_to_wasm) when it needs it.
//
// Counting: every top-level assert_* command is one WastCommand whose
// is_assertion() is true, so a runner reports `passed + failed + skipped ==
// number of assertions` per file.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.h"
#include "wasmrun/result.h"

namespace wasmrun {

/// A module as a script writes it.
struct WastModule {
  enum class Form : uint8_t {
    Text,    ///< (module ...) with fields: encoded by the parser into `bytes` or `error`
    Binary,  ///< (module binary "..."): `bytes` holds the concatenated strings
    Quote,   ///< (module quote "..."): `quote` holds the text, encode() parses it
  };
  Form form = Form::Text;
  std::optional<std::string> id;  ///< `$name` without the '$'
  bool definition = false;        ///< `(module definition ...)`: compile, do not instantiate
  std::vector<uint8_t> bytes;     ///< binary module (Text when it encoded, Binary)
  std::optional<Error> error;     ///< Text form that failed to encode (always Malformed)
  std::string quote;              ///< Quote: the concatenated strings
  size_t line = 0;                ///< 1-based line of `(module`
  size_t source_offset = 0;       ///< byte offset of the module's '(' in the script
  size_t source_size = 0;         ///< length of the module's text through its ')'

  /// The binary module, or the text error: bytes for Text/Binary, wat_to_wasm(quote)
  /// for Quote. Error offsets of a Quote module are offsets into `quote`.
  Result<std::vector<uint8_t>> encode() const;
};

/// A concrete value: an argument of invoke, or an exact expected result.
struct WastValue {
  enum class Kind : uint8_t {
    I32,
    I64,
    F32,
    F64,
    V128,
    RefNull,    ///< (ref.null ht): `heap` is the heap type
    RefExtern,  ///< (ref.extern N): host reference N, externalized
    RefHost,    ///< (ref.host N): host reference N as an anyref
  };
  Kind kind = Kind::I32;
  uint64_t bits = 0;                  ///< I32/I64 value, F32/F64 bit pattern, RefExtern/RefHost N
  std::array<uint8_t, 16> v128 = {};  ///< V128 bytes, little endian lanes
  HeapType heap;                      ///< RefNull: the (abstract) heap type
};

/// One lane of an expected v128 (or a whole scalar float result).
struct WastLane {
  enum class Kind : uint8_t { Exact, NanCanonical, NanArithmetic };
  Kind kind = Kind::Exact;
  uint64_t bits = 0;  ///< Exact: the lane's bits (integer value or float bit pattern)
};

/// An expected result of assert_return.
struct WastExpected {
  enum class Kind : uint8_t {
    Value,      ///< exactly `value` (for F32/F64 bit-exact; RefNull matches a null of `value.heap`)
    F32Nan,     ///< f32 `nan:canonical` / `nan:arithmetic`, pattern in `nan`
    F64Nan,     ///< f64 NaN pattern in `nan`
    V128Lanes,  ///< v128 compared lane by lane: `shape` and `lanes`
    RefNullAny,    ///< `(ref.null)`: any null reference
    RefFunc,       ///< `(ref.func)`, any non-null funcref; `(ref.func N)` keeps N in `index` (`$f`:
                   ///< none)
    RefExternAny,  ///< `(ref.extern)`: any non-null externref
    RefStruct,     ///< `(ref.struct)`
    RefArray,      ///< `(ref.array)`
    RefEq,         ///< `(ref.eq)`
    RefI31,        ///< `(ref.i31)`
    RefAny,        ///< `(ref.any)`: any non-null anyref
    RefExn,        ///< `(ref.exn)`
    Either,        ///< `(either r1 r2 ...)`: any one of `alternatives`
  };
  /// Lane shapes of V128Lanes.
  enum class Shape : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };

  Kind kind = Kind::Value;
  WastValue value;                                    ///< Kind::Value
  WastLane::Kind nan = WastLane::Kind::NanCanonical;  ///< F32Nan/F64Nan
  Shape shape = Shape::I32x4;                         ///< V128Lanes
  std::vector<WastLane> lanes;                        ///< V128Lanes: one per lane
  std::optional<uint32_t> index;                      ///< RefFunc with a function index
  std::vector<WastExpected> alternatives;             ///< Either
};

/// (invoke $mod? "name" arg*) or (get $mod? "name").
struct WastAction {
  enum class Kind : uint8_t { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::optional<std::string> module_id;  ///< without '$'; nullopt means the latest instance
  std::string name;                      ///< export name (UTF-8)
  std::vector<WastValue> args;
};

/// One top-level script command.
struct WastCommand {
  enum class Kind : uint8_t {
    Module,                ///< `module`: instantiate it (or only compile when module->definition)
    ModuleInstance,        ///< (module instance $inst? $def?)
    Register,              ///< (register "name" $mod?)
    Action,                ///< a bare (invoke ...) / (get ...)
    AssertReturn,          ///< action + expected
    AssertTrap,            ///< action or module (module set) + message
    AssertExhaustion,      ///< action + message
    AssertException,       ///< action
    AssertInvalid,         ///< module + message (also assert_invalid_custom, see `custom`)
    AssertMalformed,       ///< module + message (also assert_malformed_custom)
    AssertUnlinkable,      ///< module + message
    AssertUninstantiable,  ///< module + message
  };
  Kind kind = Kind::Module;
  size_t line = 0;  ///< 1-based line of the command's '('

  std::optional<WastModule> module;  ///< Module and module assertions (and assert_trap on a module)
  std::optional<WastAction> action;  ///< Action and action assertions
  std::vector<WastExpected> expected;        ///< AssertReturn results
  std::string message;                       ///< expected failure text of assertions
  bool custom = false;                       ///< assert_invalid_custom / assert_malformed_custom
  std::optional<std::string> instance_id;    ///< ModuleInstance: new instance name
  std::optional<std::string> definition_id;  ///< ModuleInstance: module definition name
  std::string register_name;                 ///< Register: the name imports use
  std::optional<std::string> register_id;    ///< Register: which instance (nullopt: the latest)

  /// Whether this command is an assertion (counted as passed/failed/skipped).
  bool is_assertion() const { return kind >= Kind::AssertReturn; }
};

/// A parsed script.
struct WastScript {
  std::vector<WastCommand> commands;
  /// Number of commands with is_assertion().
  size_t assertion_count() const;
};

/// Parse a script. Fails only on errors in the script structure itself (bad
/// tokens, unknown commands, malformed constants in actions); errors inside
/// text modules are stored in their WastModule. Error offsets are byte offsets
/// in `text` (see text_position() in engine/text/wat.h).
Result<WastScript> parse_wast(std::string_view text);

}  // namespace wasmrun
