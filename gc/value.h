// The 64-bit reference slot encoding shared by the interpreter, both JIT tiers,
// the host API and the collector. Every reference a Store handles is one
// uint64_t; its low bits say what it is:
//
//   bits                               meaning
//   0x0000000000000000                 null (of every heap type)
//   ...............................000 (non-zero) pointer to a GC object
//                                      (gc/object.h); objects are at least
//                                      8-byte aligned, so the low 3 bits are 0
//   0x00000000_vvvvvvvv_vvvvvvvv...1   i31: bits [31:1] hold the 31-bit value,
//                                      bits [63:32] are zero
//   pppp...pppp10                      host reference: payload p << 2 | 0b10,
//                                      p < 2^62
//   ...100                             reserved (never produced)
//
// funcref and exnref live in their own hierarchies and are not part of this
// scheme: a funcref is a FuncInst* (8-aligned), an exnref is whatever the
// runtime allocates. No instruction converts them to or from anyref, so their
// bit patterns never meet the tests below; the collector never traces them.
//
// Why host references get their own tag: `any.convert_extern` and
// `extern.convert_any` must round-trip (externalize(internalize(e)) == e and
// the other way round), an internalized host reference must fail `ref.test
// eq`, and an externalized i31 or struct must come back as itself. With one
// encoding for both hierarchies both conversions are the identity on the slot
// bits: no allocation, no table, no GC interaction, and ref.eq stays a 64-bit
// compare. The cost is that host payloads are 62-bit: the runtime's
// Value::externref(payload) must encode as `make_host(payload)` instead of
// payload + 1.
//
// i31 values are canonical (upper 32 bits zero), so two i31refs are ref.eq
// exactly when their slots are equal.
#pragma once

#include <cstdint>

namespace wasmrun::gc {

struct Object;

/// A reference slot as stored in locals, operand stacks, globals, tables and
/// object fields.
using Ref = uint64_t;

inline constexpr Ref kNullRef = 0;
inline constexpr uint64_t kObjectTagMask = 0x7;  ///< pointer iff (ref & mask) == 0 && ref != 0
inline constexpr uint64_t kI31Tag = 0x1;         ///< i31 iff (ref & 1) == 1
inline constexpr uint64_t kHostTagMask = 0x3;
inline constexpr uint64_t kHostTag = 0x2;  ///< host iff (ref & 3) == 2
/// Largest host payload that can be encoded.
inline constexpr uint64_t kMaxHostPayload = (uint64_t{1} << 62) - 1;

constexpr bool is_null(Ref r) { return r == kNullRef; }
constexpr bool is_i31(Ref r) { return (r & kI31Tag) != 0; }
constexpr bool is_host(Ref r) { return (r & kHostTagMask) == kHostTag; }
/// A pointer to a heap object (struct or array).
constexpr bool is_object(Ref r) { return r != kNullRef && (r & kObjectTagMask) == 0; }

/// `ref.i31`: keeps the low 31 bits of `v` (the spec's wrap).
constexpr Ref make_i31(uint32_t v) { return (uint64_t{v & 0x7fffffffu} << 1) | kI31Tag; }
/// `i31.get_u`.
constexpr uint32_t i31_get_u(Ref r) { return static_cast<uint32_t>(r >> 1) & 0x7fffffffu; }
/// `i31.get_s`: sign-extends bit 30 of the value.
constexpr int32_t i31_get_s(Ref r) { return static_cast<int32_t>(static_cast<uint32_t>(r)) >> 1; }

/// A host reference (externref from the embedder, or `ref.host N` as anyref).
/// The caller ensures payload <= kMaxHostPayload.
constexpr Ref make_host(uint64_t payload) { return (payload << 2) | kHostTag; }
constexpr uint64_t host_payload(Ref r) { return r >> 2; }

inline Object* as_object(Ref r) { return reinterpret_cast<Object*>(r); }
inline Ref from_object(const Object* o) { return reinterpret_cast<uint64_t>(o); }

/// `any.convert_extern` and `extern.convert_any`: the identity on slot bits
/// (see the header comment). Written as functions so every tier names them.
constexpr Ref any_convert_extern(Ref r) { return r; }
constexpr Ref extern_convert_any(Ref r) { return r; }

}  // namespace wasmrun::gc
