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
