// Allocation far beyond the live set must not grow the process: the collector
// has to actually give memory back, and reuse it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <vector>

#include "gc/heap.h"
#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

uint64_t rss_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

TEST(GcStress, TwoGibibytesThroughATenMebibyteLiveSet) {
  TypeBuilder tb;
  const Rtt* bytes = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i8())));
  // $box = struct (mut anyref) (mut i64): links objects so tracing is exercised.
  const Rtt* box = tb.rtt(tb.add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),
                                         TypeBuilder::field(ValType::i64())}));
  Heap heap;
  // The live set: a ring of slots rooted by an enumerator, each holding a box
  // whose first field points at a byte array of varying size (16 B .. 2 KiB,
  // and every 64th one a 24 KiB large object). Average object ~1.4 KiB, so
  // 7,000 slots keep ~10 MiB live.
  constexpr size_t kSlots = 7000;
  std::vector<uint64_t> ring(kSlots, kNullRef);
  heap.add_root_enumerator([&](RootVisitor& visit) {
    for (uint64_t& r : ring) visit(&r);
  });

  const uint64_t rss_start = rss_bytes();
  uint64_t rss_peak = rss_start;
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t i = 0;
  uint32_t seed = 12345;
  while (heap.stats().allocated_bytes < (uint64_t{2} << 30)) {
    seed = seed * 1103515245u + 12345u;
    const uint32_t len = (i % 64 == 63) ? 24 * 1024 : 16 + (seed >> 8) % 2048;
    Object* arr = heap.try_alloc_array(*bytes, len);
    ASSERT_NE(arr, nullptr);
    store_scalar(arr->element(len - 1), Storage::I8, i);
    // The array is unrooted while the box is allocated: root it in a handle.
    HandleScope scope(heap);
    Handle harr = scope.make(arr);
    Object* b = heap.try_alloc_struct(*box);
    ASSERT_NE(b, nullptr);
    write_ref(b, b->field(0), harr.get());
    store_scalar(b->field(1), Storage::I64, len);
    ring[i % kSlots] = from_object(b);
    if (i % 4096 == 0) rss_peak = std::max(rss_peak, rss_bytes());
    ++i;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const HeapStats s = heap.stats();
  std::printf(
      "allocated %.0f MiB in %llu objects, %llu collections, %.2f s; "
      "live after last gc %.1f MiB, mapped %.1f MiB, RSS growth %.1f MiB, "
      "GC pauses %.0f ms total\n",
      s.allocated_bytes / 1048576.0, static_cast<unsigned long long>(s.allocated_objects),
      static_cast<unsigned long long>(s.collections), seconds,
      s.live_bytes_after_last_gc / 1048576.0, s.mapped_bytes / 1048576.0,
      (rss_peak - rss_start) / 1048576.0, s.total_pause_ns / 1e6);

  // Every slot still holds an intact box -> array pair.
  for (uint64_t r : ring) {
    ASSERT_TRUE(heap.owns(r));
    Object* b = as_object(r);
    const Ref arr = read_ref(b->field(0));
    ASSERT_TRUE(heap.owns(arr));
    EXPECT_EQ(as_object(arr)->length, load_scalar(b->field(1), Storage::I64));
  }
  EXPECT_GE(s.collections, 20u);
  EXPECT_LT(s.live_bytes_after_last_gc, uint64_t{16} << 20);
  EXPECT_LT(s.mapped_bytes, uint64_t{64} << 20);
  EXPECT_LT(rss_peak - rss_start, uint64_t{96} << 20) << "RSS must follow the live set";
  EXPECT_LT(seconds, 10.0);
  EXPECT_GT(s.total_pause_ns, 0u);
  EXPECT_LE(s.last_pause_ns, s.total_pause_ns);
}

}  // namespace
}  // namespace wasmrun::gc

namespace wasmrun::gc {
namespace {

// The classic binary-trees GC benchmark, with references held the way an
// interpreter holds them: in a slot stack that a root enumerator visits.
class BinaryTrees {
 public:
  BinaryTrees(Heap& heap, const Rtt& node) : heap_(heap), node_(node) {
    heap_.add_root_enumerator([this](RootVisitor& visit) {
      for (Ref& r : stack_) visit(&r);
    });
  }

  // Leaves the new tree's root on top of the slot stack.
  void make(int depth) {
    if (depth == 0) {
      stack_.push_back(from_object(alloc()));
      return;
    }
    make(depth - 1);
    make(depth - 1);
    Object* n = alloc();
    write_ref(n, n->field(1), stack_.back());
    stack_.pop_back();
    write_ref(n, n->field(0), stack_.back());
    stack_.back() = from_object(n);
  }
  static uint64_t check(Ref r) {
    uint64_t count = 0;
    std::vector<Ref> work = {r};
    while (!work.empty()) {
      Object* n = as_object(work.back());
      work.pop_back();
      ++count;
      const Ref l = read_ref(n->field(0));
      if (l != kNullRef) {
        work.push_back(l);
        work.push_back(read_ref(n->field(1)));
      }
    }
    return count;
  }
  std::vector<Ref>& stack() { return stack_; }

 private:
  Object* alloc() {
    Object* o = heap_.try_alloc_struct(node_);
    if (!o) std::abort();
    return o;
  }
  Heap& heap_;
  const Rtt& node_;
  std::vector<Ref> stack_;
};

class GcBinaryTrees : public ::testing::TestWithParam<bool> {};

TEST_P(GcBinaryTrees, KeepsTheLongLivedTreeIntact) {
  TypeBuilder tb;
  const Rtt* node = tb.rtt(tb.add_struct(
      {TypeBuilder::field(TypeBuilder::ref_to(0)), TypeBuilder::field(TypeBuilder::ref_to(0))}));
  HeapConfig config;
  config.generational = GetParam();
  Heap heap(config);
  BinaryTrees bt(heap, *node);
  constexpr int kMaxDepth = 16;
  const auto t0 = std::chrono::steady_clock::now();
  bt.make(kMaxDepth);  // long-lived
  uint64_t total_nodes = 0;
  for (int depth = 4; depth <= kMaxDepth; depth += 2) {
    const int iterations = 1 << (kMaxDepth - depth + 4);
    for (int i = 0; i < iterations; ++i) {
      bt.make(depth);
      const uint64_t n = BinaryTrees::check(bt.stack().back());
      ASSERT_EQ(n, (uint64_t{2} << depth) - 1);
      total_nodes += n;
      bt.stack().pop_back();
    }
  }
  ASSERT_EQ(bt.stack().size(), 1u);
  EXPECT_EQ(BinaryTrees::check(bt.stack().back()), (uint64_t{2} << kMaxDepth) - 1);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const HeapStats s = heap.stats();
  std::printf(
      "binary-trees depth %d (%s): %llu temporary nodes, %.2f s, %llu collections (%llu minor), "
      "%.0f ms in GC, mapped %.1f MiB\n",
      kMaxDepth, GetParam() ? "generational" : "full only",
      static_cast<unsigned long long>(total_nodes), seconds,
      static_cast<unsigned long long>(s.collections),
      static_cast<unsigned long long>(s.minor_collections), s.total_pause_ns / 1e6,
      s.mapped_bytes / 1048576.0);
  EXPECT_GT(s.collections, 10u);
  EXPECT_LT(s.mapped_bytes, uint64_t{64} << 20);
}

INSTANTIATE_TEST_SUITE_P(Modes, GcBinaryTrees, ::testing::Bool());

}  // namespace
}  // namespace wasmrun::gc
