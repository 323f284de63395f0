// GC roots in baseline-JIT frames.
//
// Generated code keeps every GC reference that must survive a call or an
// allocating helper in its frame: the value stack is spilled to its home slots
// before every call and helper (compiler.cc), and reference-typed locals live in
// their slots (only numeric locals are pinned to registers). The collector
// finds those slots by scanning, conservatively, the native stack of the
// allocating thread from the collector's own frame up to this thread's
// outermost entry into generated code: that range holds every JIT frame of the
// thread (and the C++ frames between them, which is harmless: a word counts
// only if it is the start of a live object of the collecting heap, see
// gc::RootVisitor::conservative). Objects do not move, so conservative roots
// are exact enough; a precise scan would walk the rbp chain and visit slots
// from per-call-site gc::StackMaps instead (docs/jit-baseline.md).
#pragma once

#include <cstdint>

namespace wasmrun::jit {

/// Marks the outermost entry from C++ into generated code on this thread for the
/// lifetime of the object (nested entries leave the outer mark in place).
class JitActivation {
 public:
  /// `frame`: the entering C++ function's frame address (__builtin_frame_address(0)),
  /// above every frame it calls.
  explicit JitActivation(void* frame);
  ~JitActivation();
  JitActivation(const JitActivation&) = delete;
  JitActivation& operator=(const JitActivation&) = delete;

 private:
  bool outermost_ = false;
};

}  // namespace wasmrun::jit
