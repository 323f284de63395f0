// Exception handling shared by the interpreter's run loop and the runtime: creating
// exception objects, finding the handler for a thrown exception in a frame, and
// converting between exceptions and the Errors that carry them across host calls
// and out to the embedder. The mechanism is described in docs/exceptions.md.
#pragma once

#include <cstdint>

#include "engine/interp/code.h"
#include "wasmrun/result.h"

namespace wasmrun::rt {
struct ExnInst;
struct InstanceInst;
struct StoreImpl;
struct TagInst;
}  // namespace wasmrun::rt

namespace wasmrun::interp {

/// A new exception `tag(payload)` in `store`'s GC heap; `payload` holds
/// `num_slots` raw slots (the tag's parameters, a v128 taking two). Reuses a
/// recycled exception of the same tag type when there is one; otherwise it
/// allocates, which may collect, so the caller keeps the references in
/// `payload` reachable from roots meanwhile (an interpreter frame publishes
/// itself with GcTop, a JIT helper is a JitActivation, the API holds rooted
/// Values). Null when the heap is exhausted (the caller traps HeapExhausted).
rt::ExnInst* new_exception(rt::StoreImpl& store, const rt::TagInst* tag, const uint64_t* payload,
                           uint32_t num_slots);

/// Looks for the handler of `exn` thrown at word `pos` of `code`, running in
/// `inst` with frame `fp`. On a match, writes the payload (and the exnref for
/// catch_ref / catch_all_ref, and for legacy catches the rethrow slot) into the
/// frame and returns the word index to continue at; returns -1 when no handler of
/// this frame applies (the exception leaves the frame).
int64_t catch_exception(const Code& code, uint32_t pos, const rt::InstanceInst& inst,
                        rt::ExnInst* exn, uint64_t* fp);

/// Offers `exn` to one catch clause of `kind` for `tag` (ignored by the catch_all
/// kinds). On a match, writes the payload (Catch, CatchRef) and then the exnref
/// (the _ref kinds) to consecutive slots from `dst` and returns true. The one
/// place that matches and unpacks exceptions: catch_exception and the baseline
/// JIT's handlers both use it.
bool deliver_exception(rt::ExnInst* exn, ExnCatch::Kind kind, const rt::TagInst* tag,
                       uint64_t* dst);

/// The Error (kind Exception, with Error::exception) that carries `exn` out of
/// wasm. The api::Exception roots the exception object (and so its payload)
/// for as long as the Error or a copy of it lives.
Error exception_error(rt::ExnInst* exn);

/// The exception an Error carries (a host function returning an uncaught
/// exception, or Exception::error), or null.
rt::ExnInst* exception_of(const Error& e);

}  // namespace wasmrun::interp
