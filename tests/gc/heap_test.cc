// The heap: allocation, field storage, collection, roots and limits.
#include "gc/heap.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "gc/object.h"
#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

class GcHeap : public ::testing::Test {
 protected:
  // $node  = struct (mut (ref null $node)) (mut i32)       (id 0)
  // $pair  = struct (mut anyref) (mut anyref)
  // $bytes = array (mut i8), $refs = array (mut anyref), $longs = array (mut i64)
  void SetUp() override {
    const uint32_t node_id = tb_.add_struct(
        {TypeBuilder::field(TypeBuilder::ref_to(0)), TypeBuilder::field(ValType::i32())});
    ASSERT_EQ(node_id, 0u);
    node_ = tb_.rtt(node_id);
    pair_ = tb_.rtt(tb_.add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),
                                    TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))}));
    bytes_ = tb_.rtt(tb_.add_array(TypeBuilder::field(ValType::i8())));
    refs_ = tb_.rtt(tb_.add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))));
    longs_ = tb_.rtt(tb_.add_array(TypeBuilder::field(ValType::i64())));
  }

  static void set_ref(Object* o, uint32_t field, Ref v) { write_ref(o, o->field(field), v); }
  static Ref get_ref(Object* o, uint32_t field) { return read_ref(o->field(field)); }

  TypeBuilder tb_;
  const Rtt* node_ = nullptr;
  const Rtt* pair_ = nullptr;
  const Rtt* bytes_ = nullptr;
  const Rtt* refs_ = nullptr;
  const Rtt* longs_ = nullptr;
};

TEST_F(GcHeap, StructsAreZeroInitializedAndHoldTheirFields) {
  Heap heap;
  TypeBuilder tb;
  const Rtt* rtt = tb.rtt(tb.add_struct(
      {TypeBuilder::field(ValType::i8()), TypeBuilder::field(ValType::i16()),
       TypeBuilder::field(ValType::i32()), TypeBuilder::field(ValType::i64()),
       TypeBuilder::field(ValType::f64()), TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),
       TypeBuilder::field(ValType::v128())}));
  // Dirty a cell first so that reuse has to zero it.
  {
    Object* junk = heap.try_alloc_struct(*rtt);
    ASSERT_NE(junk, nullptr);
    std::memset(junk->bytes() + kHeaderSize, 0xAB, rtt->instance_size - kHeaderSize);
    heap.collect();
  }
  Object* o = heap.try_alloc_struct(*rtt);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->rtt, rtt);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(o) % 16, 0u) << "v128 field needs 16-byte alignment";
  for (uint32_t i = 0; i < rtt->instance_size; ++i) {
    if (i >= kHeaderSize) ASSERT_EQ(o->bytes()[i], 0) << "byte " << i;
  }
  store_scalar(o->field(2), Storage::I32, 0xdeadbeef);
  store_scalar(o->field(3), Storage::I64, 0x0123456789abcdefull);
  write_ref(o, o->field(5), make_i31(5));
  EXPECT_EQ(load_scalar(o->field(2), Storage::I32), 0xdeadbeefu);
  EXPECT_EQ(load_scalar(o->field(3), Storage::I64), 0x0123456789abcdefull);
  EXPECT_EQ(read_ref(o->field(5)), make_i31(5));
  EXPECT_EQ(load_scalar(o->field(0), Storage::I8), 0u) << "neighbours untouched";
}

TEST_F(GcHeap, PackedFieldsTruncateOnStoreAndExtendOnLoad) {
  Heap heap;
  TypeBuilder tb;
  const Rtt* rtt =
      tb.rtt(tb.add_struct({TypeBuilder::field(ValType::i8()), TypeBuilder::field(ValType::i8()),
                            TypeBuilder::field(ValType::i16())}));
  Object* o = heap.try_alloc_struct(*rtt);
  ASSERT_NE(o, nullptr);
  store_scalar(o->field(0), Storage::I8, 0x1ff);  // struct.set keeps the low 8 bits
  store_scalar(o->field(1), Storage::I8, 0x7f);
  store_scalar(o->field(2), Storage::I16, 0x18000);
  EXPECT_EQ(load_packed(o->field(0), Storage::I8, true), 0xffffffffu);  // get_s: -1
  EXPECT_EQ(load_packed(o->field(0), Storage::I8, false), 0xffu);       // get_u: 255
  EXPECT_EQ(load_packed(o->field(1), Storage::I8, true), 0x7fu);
  EXPECT_EQ(load_packed(o->field(2), Storage::I16, true), 0xffff8000u);
  EXPECT_EQ(load_packed(o->field(2), Storage::I16, false), 0x8000u);
  EXPECT_EQ(o->field(1) - o->field(0), 1);
  EXPECT_EQ(o->field(2) - o->field(0), 2);
}

TEST_F(GcHeap, ArraysCarryTheirLengthAndZeroedElements) {
  Heap heap;
  for (uint32_t len : {0u, 1u, 7u, 1000u, 5000u /* 40 KB: a large object */}) {
    Object* a = heap.try_alloc_array(*longs_, len);
    ASSERT_NE(a, nullptr) << len;
    EXPECT_EQ(a->length, len);
    uint32_t length_at_offset;
    std::memcpy(&length_at_offset, a->bytes() + kArrayLengthOffset, 4);
    EXPECT_EQ(length_at_offset, len);
    for (uint32_t i = 0; i < len; ++i) ASSERT_EQ(load_scalar(a->element(i), Storage::I64), 0u);
    if (len > 0) {
      store_scalar(a->element(len - 1), Storage::I64, 77);
      EXPECT_EQ(load_scalar(a->bytes() + kArrayDataOffset + 8 * (len - 1), Storage::I64), 77u);
    }
  }
  Object* b = heap.try_alloc_array(*bytes_, 3);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->element(2) - b->element(0), 2);
}

TEST_F(GcHeap, ArrayLengthTimesElementSizeIsCheckedAgainstTheCap) {
  HeapConfig config;
  config.max_heap_bytes = uint64_t{1} << 30;
  Heap heap(config);
  EXPECT_EQ(heap.try_alloc_array(*longs_, 0xffffffffu), nullptr);
  EXPECT_EQ(heap.last_failure(), AllocFailure::TooLarge);
  Result<Object*> r = heap.alloc_array(*longs_, 0x20000000u);  // 4 GiB of i64
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().message, "allocation size too large");
  EXPECT_EQ(heap.stats().mapped_bytes, 0u) << "a failed size check maps nothing";
}

TEST_F(GcHeap, CollectionFreesUnreachableObjects) {
  Heap heap;
  for (int i = 0; i < 10000; ++i) ASSERT_NE(heap.try_alloc_struct(*node_), nullptr);
  for (int i = 0; i < 100; ++i) ASSERT_NE(heap.try_alloc_array(*bytes_, 20000), nullptr);
  const HeapStats before = heap.stats();
  EXPECT_EQ(before.used_objects, 10100u);
  EXPECT_GE(before.used_bytes, 10000u * 32 + 100u * 20000);
  heap.collect();
  const HeapStats after = heap.stats();
  EXPECT_EQ(after.used_objects, 0u);
  EXPECT_EQ(after.used_bytes, 0u);
  EXPECT_EQ(after.freed_objects, 10100u);
  EXPECT_EQ(after.freed_bytes, before.used_bytes);
  EXPECT_LT(after.mapped_bytes, before.mapped_bytes);
  EXPECT_LE(after.mapped_bytes, before.mapped_bytes - 100u * 20480) << "large objects unmapped";
  EXPECT_LE(after.mapped_bytes, after.gc_threshold)
      << "spares are trimmed to the next cycle's need";
}

TEST_F(GcHeap, MemoryGoesBackToTheOsWhenTheLiveSetShrinks) {
  Heap heap;
  {
    HandleScope scope(heap);
    Handle arr = scope.make(heap.try_alloc_array(*refs_, 1 << 20));
    for (uint32_t i = 0; i < (1u << 20); ++i) {
      Object* n = heap.try_alloc_struct(*pair_);  // 1 Mi x 32 B = 32 MiB live
      ASSERT_NE(n, nullptr);
      write_ref(arr.object(), arr.object()->element(i), from_object(n));
    }
    heap.collect();
    EXPECT_GE(heap.stats().mapped_bytes, uint64_t{40} << 20);
  }
  heap.collect();
  const HeapStats s = heap.stats();
  EXPECT_EQ(s.used_bytes, 0u);
  EXPECT_LE(s.mapped_bytes, heap.config().initial_gc_threshold);
}

TEST_F(GcHeap, HandlesKeepObjectsAliveUntilTheirScopeEnds) {
  Heap heap;
  {
    HandleScope scope(heap);
    Handle kept = scope.make(heap.try_alloc_struct(*node_));
    store_scalar(kept.object()->field(1), Storage::I32, 1234);
    for (int i = 0; i < 1000; ++i) ASSERT_NE(heap.try_alloc_struct(*node_), nullptr);
    heap.collect();
    EXPECT_EQ(heap.stats().used_objects, 1u);
    EXPECT_TRUE(heap.owns(kept.get()));
    EXPECT_EQ(load_scalar(kept.object()->field(1), Storage::I32), 1234u);
  }
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u);
}

TEST_F(GcHeap, CyclesAreCollected) {
  Heap heap;
  {
    HandleScope scope(heap);
    Handle a = scope.make(heap.try_alloc_struct(*pair_));
    Handle b = scope.make(heap.try_alloc_struct(*pair_));
    set_ref(a.object(), 0, b.get());
    set_ref(b.object(), 0, a.get());
    set_ref(a.object(), 1, a.get());  // self loop
    // A three-node ring reachable only from itself.
    Object* x = heap.try_alloc_struct(*pair_);
    Object* y = heap.try_alloc_struct(*pair_);
    Object* z = heap.try_alloc_struct(*pair_);
    set_ref(x, 0, from_object(y));
    set_ref(y, 0, from_object(z));
    set_ref(z, 0, from_object(x));
    heap.collect();
    EXPECT_EQ(heap.stats().used_objects, 2u) << "the unrooted ring is garbage";
    EXPECT_EQ(get_ref(a.object(), 0), b.get());
    EXPECT_EQ(get_ref(b.object(), 0), a.get());
  }
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u) << "the rooted cycle dies with its roots";
}

TEST_F(GcHeap, RootEnumeratorsAreVisitedAndCanBeRemoved) {
  Heap heap;
  // A pretend interpreter: a typed value stack with refs and non-refs mixed.
  std::vector<uint64_t> stack(8, 0);
  std::vector<bool> is_ref = {true, false, true, true, false, true, false, true};
  Object* arr = heap.try_alloc_array(*refs_, 3);
  Object* leaf = heap.try_alloc_struct(*node_);
  write_ref(arr, arr->element(1), from_object(leaf));
  stack[0] = from_object(arr);
  stack[1] = 12345;          // an i64, not a ref
  stack[2] = make_i31(3);    // i31: ignored by the marker
  stack[3] = make_host(42);  // host ref: ignored by the marker
  stack[5] = kNullRef;
  stack[7] = from_object(heap.try_alloc_struct(*pair_));
  const uint32_t id = heap.add_root_enumerator([&](RootVisitor& visit) {
    for (size_t i = 0; i < stack.size(); ++i) {
      if (is_ref[i]) visit(&stack[i]);
    }
  });
  for (int i = 0; i < 500; ++i) ASSERT_NE(heap.try_alloc_struct(*pair_), nullptr);
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 3u);  // arr, leaf (through arr), stack[7]
  EXPECT_TRUE(heap.owns(stack[0]));
  EXPECT_TRUE(heap.owns(from_object(leaf)));
  EXPECT_TRUE(heap.owns(stack[7]));
  heap.remove_root_enumerator(id);
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u);
}

TEST_F(GcHeap, ConservativeRootsKeepOnlyRealObjectStarts) {
  Heap heap;
  Object* kept = heap.try_alloc_struct(*pair_);
  Object* interior = heap.try_alloc_struct(*pair_);
  Object* large = heap.try_alloc_array(*bytes_, 100000);
  std::vector<uint64_t> words = {
      from_object(kept),
      from_object(interior) + 8,  // an interior pointer is not a reference
      from_object(large),        0x1234, make_i31(9), make_host(5), ~uint64_t{0},
  };
  heap.add_root_enumerator(
      [&](RootVisitor& visit) { visit.conservative(words.data(), words.size()); });
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 2u);
  EXPECT_TRUE(heap.owns(from_object(kept)));
  EXPECT_TRUE(heap.owns(from_object(large)));
}

TEST_F(GcHeap, PersistentHandlesAreRootsUntilReset) {
  Heap heap;
  Persistent p(heap, from_object(heap.try_alloc_struct(*node_)));
  Persistent q(heap, from_object(heap.try_alloc_struct(*node_)));
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 2u);
  q.reset();
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 1u);
  EXPECT_TRUE(heap.owns(p.get()));
  Persistent moved = std::move(p);
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 1u);
  EXPECT_TRUE(heap.owns(moved.get()));
  moved.reset();
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u);
}

TEST_F(GcHeap, OwnsRejectsFreedCells) {
  Heap heap;
  const Ref r = from_object(heap.try_alloc_struct(*node_));
  EXPECT_TRUE(heap.owns(r));
  heap.collect();
  EXPECT_FALSE(heap.owns(r));
  EXPECT_FALSE(heap.owns(make_i31(1)));
  EXPECT_FALSE(heap.owns(kNullRef));
}

TEST_F(GcHeap, AllocationPressureTriggersCollections) {
  HeapConfig config;
  config.initial_gc_threshold = 4 << 20;
  Heap heap(config);
  // 256 MiB of garbage in 1 KiB arrays.
  for (int i = 0; i < 256 * 1024; ++i) ASSERT_NE(heap.try_alloc_array(*bytes_, 1000), nullptr);
  const HeapStats s = heap.stats();
  EXPECT_GE(s.collections, 50u);
  EXPECT_LE(s.mapped_bytes, uint64_t{8} << 20);
  EXPECT_GE(s.allocated_bytes, uint64_t{256} << 20);
}

TEST_F(GcHeap, HeapCapMakesAllocationFailInsteadOfCrashing) {
  HeapConfig config;
  config.max_heap_bytes = 16 << 20;
  config.initial_gc_threshold = 1 << 20;
  Heap heap(config);
  HandleScope scope(heap);
  Handle list = scope.make(kNullRef);
  uint64_t nodes = 0;
  for (;;) {
    Object* n = heap.try_alloc_struct(*node_);
    if (!n) break;
    set_ref(n, 0, list.get());
    list.set(from_object(n));
    ++nodes;
    ASSERT_LT(nodes, uint64_t{1} << 24) << "the cap never hit";
  }
  EXPECT_EQ(heap.last_failure(), AllocFailure::HeapExhausted);
  EXPECT_LE(heap.stats().mapped_bytes, config.max_heap_bytes);
  EXPECT_GE(nodes * 32, uint64_t{15} << 20) << "the cap is usable almost to the byte";
  Result<Object*> big = heap.alloc_array(*bytes_, 1 << 20);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(big.error().message, "out of GC heap memory");
  // Once the roots go, the same allocations succeed again.
  list.set(kNullRef);
  EXPECT_NE(heap.try_alloc_array(*bytes_, 1 << 20), nullptr);
  EXPECT_NE(heap.try_alloc_struct(*node_), nullptr);
}

TEST_F(GcHeap, RootEnumeratorsCannotAllocate) {
  Heap heap;
  Object* inside = reinterpret_cast<Object*>(1);
  heap.add_root_enumerator([&](RootVisitor&) { inside = heap.try_alloc_struct(*node_); });
  heap.collect();
  EXPECT_EQ(inside, nullptr);
}

TEST_F(GcHeap, ALongLinkedListIsMarkedWithoutRecursion) {
  // 10 million nodes: recursive marking would need ~10 million C frames.
  constexpr uint32_t kNodes = 10'000'000;
  Heap heap;
  HandleScope scope(heap);
  Handle head = scope.make(kNullRef);
  for (uint32_t i = 0; i < kNodes; ++i) {
    Object* n = heap.try_alloc_struct(*node_);
    ASSERT_NE(n, nullptr);
    set_ref(n, 0, head.get());
    store_scalar(n->field(1), Storage::I32, i);
    head.set(from_object(n));
  }
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, kNodes);
  uint32_t count = 0;
  uint32_t expect = kNodes;
  for (Ref r = head.get(); r != kNullRef; r = get_ref(as_object(r), 0)) {
    ASSERT_EQ(load_scalar(as_object(r)->field(1), Storage::I32), --expect);
    ++count;
  }
  EXPECT_EQ(count, kNodes);
  head.set(kNullRef);
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u);
}

TEST_F(GcHeap, ALongRefArrayChainIsMarked) {
  // Arrays of references are traced too, including large ones.
  Heap heap;
  HandleScope scope(heap);
  Handle root = scope.make(heap.try_alloc_array(*refs_, 50000));
  for (uint32_t i = 0; i < 50000; i += 2) {
    Object* leaf = heap.try_alloc_struct(*node_);
    ASSERT_NE(leaf, nullptr);
    write_ref(root.object(), root.object()->element(i), from_object(leaf));
  }
  for (int i = 0; i < 1000; ++i) ASSERT_NE(heap.try_alloc_struct(*node_), nullptr);
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 1u + 25000u);
}

TEST_F(GcHeap, VerifyRootsCatchesABadRoot) {
  HeapConfig config;
  config.verify_roots = true;
  EXPECT_DEATH(
      {
        Heap heap(config);
        alignas(16) static uint64_t not_in_heap[4] = {};
        uint64_t slot = reinterpret_cast<uint64_t>(not_in_heap);
        heap.add_root_enumerator([&](RootVisitor& visit) { visit(&slot); });
        heap.collect();
      },
      "not a live object of this heap");
}

}  // namespace
}  // namespace wasmrun::gc

namespace wasmrun::gc {
namespace {

TEST(GcHeapMarking, AHugeRefArrayOfLongChainsIsMarkedCompletely) {
  // 100,000 array elements, each the head of a 50-node chain: scanning the
  // array in slices must still reach every chain.
  TypeBuilder tb;
  const Rtt* node = tb.rtt(tb.add_struct({TypeBuilder::field(TypeBuilder::ref_to(0))}));
  const Rtt* refs = tb.rtt(tb.add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))));
  Heap heap;
  HandleScope scope(heap);
  Handle arr = scope.make(heap.try_alloc_array(*refs, 100000));
  for (uint32_t i = 0; i < 100000; ++i) {
    for (int k = 0; k < 50; ++k) {
      Object* n = heap.try_alloc_struct(*node);
      ASSERT_NE(n, nullptr);
      write_ref(n, n->field(0), read_ref(arr.object()->element(i)));
      write_ref(arr.object(), arr.object()->element(i), from_object(n));
    }
  }
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 1u + 100000u * 50u);
  // Drop every other chain.
  for (uint32_t i = 0; i < 100000; i += 2) {
    write_ref(arr.object(), arr.object()->element(i), kNullRef);
  }
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 1u + 50000u * 50u);
}

}  // namespace
}  // namespace wasmrun::gc

namespace wasmrun::gc {
namespace {

TEST(GcHeapVerify, VerifyRootsAcceptsEveryLegalRootAndField) {
  // A workload with every kind of slot value (null, i31, host, objects, large
  // objects, freed-then-reused cells) must pass the verifier.
  TypeBuilder tb;
  const Rtt* pair = tb.rtt(tb.add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),
                                          TypeBuilder::field(ValType::externref())}));
  const Rtt* refs = tb.rtt(tb.add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))));
  HeapConfig config;
  config.verify_roots = true;
  config.initial_gc_threshold = 1 << 20;
  Heap heap(config);
  std::vector<uint64_t> roots(64, kNullRef);
  heap.add_root_enumerator([&](RootVisitor& visit) {
    for (uint64_t& r : roots) visit(&r);
  });
  for (uint32_t i = 0; i < 200000; ++i) {
    Object* p = heap.try_alloc_struct(*pair);
    ASSERT_NE(p, nullptr);
    const Ref prev = roots[(i + 1) % roots.size()];
    write_ref(p, p->field(0), i % 3 == 0 ? make_i31(i) : prev);
    write_ref(p, p->field(1), i % 2 == 0 ? make_host(i) : extern_convert_any(prev));
    roots[i % roots.size()] = i % 5 == 0 ? make_host(i) : from_object(p);
    if (i % 10000 == 0) {
      Object* big = heap.try_alloc_array(*refs, 5000);
      ASSERT_NE(big, nullptr);
      write_ref(big, big->element(4999), roots[(i + 7) % roots.size()]);
      roots[(i + 3) % roots.size()] = from_object(big);
    }
  }
  heap.collect();
  EXPECT_GT(heap.stats().collections, 3u);
  for (uint64_t r : roots) {
    if (is_object(r)) EXPECT_TRUE(heap.owns(r));
  }
}

}  // namespace
}  // namespace wasmrun::gc

namespace wasmrun::gc {
namespace {

TEST(GcHeapSizes, EverySizeAroundTheSmallLargeBoundaryIsZeroedAndCollected) {
  TypeBuilder tb;
  const Rtt* bytes = tb.rtt(tb.add_array(TypeBuilder::field(ValType::i8())));
  const Rtt* vecs = tb.rtt(tb.add_array(TypeBuilder::field(ValType::v128())));
  Heap heap;
  {
    HandleScope scope(heap);
    std::vector<Handle> kept;
    // Byte arrays whose object size runs from 8160 to 8230 bytes (small ->
    // large at 8192), each filled so a reused cell would show stale bytes.
    for (int round = 0; round < 2; ++round) {
      for (uint32_t len = 8144; len < 8214; ++len) {
        Object* a = heap.try_alloc_array(*bytes, len);
        ASSERT_NE(a, nullptr) << len;
        for (uint32_t i = 0; i < len; ++i) ASSERT_EQ(*a->element(i), 0) << len << "@" << i;
        std::memset(a->element(0), 0xEE, len);
        if (round == 1 && len % 10 == 0) kept.push_back(scope.make(a));
      }
      heap.collect();
    }
    EXPECT_EQ(heap.stats().used_objects, kept.size());
    for (const Handle& h : kept) EXPECT_EQ(*h.object()->element(h.object()->length - 1), 0xEE);
    // v128 arrays stay 16-byte aligned on both sides of the boundary.
    for (uint32_t len : {0u, 1u, 7u, 510u, 511u, 512u, 513u}) {
      Object* v = heap.try_alloc_array(*vecs, len);
      ASSERT_NE(v, nullptr);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(v->element(0)) % 16, 0u) << len;
    }
  }
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u);
  EXPECT_EQ(heap.stats().used_bytes, 0u);
}

}  // namespace
}  // namespace wasmrun::gc

namespace wasmrun::gc {
namespace {

class GcGenerational : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.generational = true;
    config_.nursery_bytes = 1 << 20;
    node_ = tb_.rtt(tb_.add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),
                                    TypeBuilder::field(ValType::i64())}));
    refs_ = tb_.rtt(tb_.add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))));
  }
  TypeBuilder tb_;
  HeapConfig config_;
  const Rtt* node_ = nullptr;
  const Rtt* refs_ = nullptr;
};

TEST_F(GcGenerational, MinorCollectionFreesYoungGarbageAndKeepsOldObjects) {
  Heap heap(config_);
  HandleScope scope(heap);
  Handle old_live = scope.make(heap.try_alloc_struct(*node_));
  Handle old_dead = scope.make(heap.try_alloc_struct(*node_));
  heap.collect();  // both are old now
  old_dead.set(kNullRef);
  for (int i = 0; i < 100; ++i) ASSERT_NE(heap.try_alloc_struct(*node_), nullptr);
  Handle young_live = scope.make(heap.try_alloc_struct(*node_));
  heap.collect_minor();
  EXPECT_EQ(heap.stats().used_objects, 3u)
      << "young garbage freed, old garbage kept until a full gc";
  EXPECT_TRUE(heap.owns(old_live.get()));
  EXPECT_TRUE(heap.owns(young_live.get()));
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 2u);
}

TEST_F(GcGenerational, BarrierKeepsYoungObjectsReachableOnlyFromOldOnes) {
  Heap heap(config_);
  HandleScope scope(heap);
  Handle old_obj = scope.make(heap.try_alloc_struct(*node_));
  Handle old_arr = scope.make(heap.try_alloc_array(*refs_, 10000));  // a large object
  heap.collect();
  // Young objects referenced only from the old struct and the old array.
  Object* y1 = heap.try_alloc_struct(*node_);
  store_scalar(y1->field(1), Storage::I64, 111);
  write_ref(old_obj.object(), old_obj.object()->field(0), from_object(y1));
  Object* y2 = heap.try_alloc_struct(*node_);
  store_scalar(y2->field(1), Storage::I64, 222);
  write_ref(old_arr.object(), old_arr.object()->element(9999), from_object(y2));
  // A young chain hanging off y1: reached by tracing young objects normally.
  Object* y3 = heap.try_alloc_struct(*node_);
  write_ref(y1, y1->field(0), from_object(y3));
  for (int i = 0; i < 1000; ++i) ASSERT_NE(heap.try_alloc_struct(*node_), nullptr);
  heap.collect_minor();
  EXPECT_EQ(heap.stats().used_objects, 5u);
  ASSERT_TRUE(heap.owns(from_object(y1)));
  ASSERT_TRUE(heap.owns(from_object(y2)));
  ASSERT_TRUE(heap.owns(from_object(y3)));
  EXPECT_EQ(load_scalar(y1->field(1), Storage::I64), 111u);
  EXPECT_EQ(load_scalar(y2->field(1), Storage::I64), 222u);
  // A second minor collection: y1..y3 are old now, nothing is dirty.
  heap.collect_minor();
  EXPECT_EQ(heap.stats().used_objects, 5u);
  EXPECT_EQ(heap.stats().minor_collections, 2u);
}

TEST_F(GcGenerational, BulkArrayWritesAreCoveredByTheRangeBarrier) {
  Heap heap(config_);
  HandleScope scope(heap);
  Handle old_arr = scope.make(heap.try_alloc_array(*refs_, 4));
  heap.collect();
  Ref young[2];
  {
    HandleScope inner(heap);
    young[0] = inner.make(heap.try_alloc_struct(*node_)).get();
    young[1] = inner.make(heap.try_alloc_struct(*node_)).get();
    std::memcpy(old_arr.object()->element(1), young, sizeof young);  // array.init_elem
    write_ref_range(old_arr.object(), old_arr.object()->element(1), 2);
  }
  heap.collect_minor();
  EXPECT_TRUE(heap.owns(young[0]));
  EXPECT_TRUE(heap.owns(young[1]));
}

TEST_F(GcGenerational, AllocationPressureRunsMostlyMinorCollections) {
  config_.nursery_bytes = 256 << 10;
  Heap heap(config_);
  HandleScope scope(heap);
  Handle keep = scope.make(heap.try_alloc_array(*refs_, 1000));
  for (uint32_t i = 0; i < 2'000'000; ++i) {
    Object* n = heap.try_alloc_struct(*node_);
    ASSERT_NE(n, nullptr);
    if (i % 1000 == 0) write_ref(keep.object(), keep.object()->element(i / 2000), from_object(n));
  }
  const HeapStats s = heap.stats();
  EXPECT_GT(s.minor_collections, 100u);
  EXPECT_LT(s.collections - s.minor_collections, s.minor_collections / 10);
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 1u + 1000u);
}

}  // namespace
}  // namespace wasmrun::gc

namespace wasmrun::gc {
namespace {

TEST(GcGenerationalRoots, ConservativeAndPreciseRootsWorkInMinorCollections) {
  TypeBuilder tb;
  const Rtt* node = tb.rtt(tb.add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))}));
  HeapConfig config;
  config.generational = true;
  Heap heap(config);
  std::vector<uint64_t> untyped(4, 0);  // an interpreter stack scanned conservatively
  uint64_t typed = kNullRef;            // a typed global
  heap.add_root_enumerator([&](RootVisitor& visit) {
    visit.conservative(untyped.data(), untyped.size());
    visit(&typed);
  });
  untyped[0] = from_object(heap.try_alloc_struct(*node));
  untyped[1] = 42;
  typed = from_object(heap.try_alloc_struct(*node));
  // A young child of a young root object, linked without the old-object path.
  Object* child = heap.try_alloc_struct(*node);
  write_ref(as_object(typed), as_object(typed)->field(0), from_object(child));
  for (int i = 0; i < 50; ++i) ASSERT_NE(heap.try_alloc_struct(*node), nullptr);
  heap.collect_minor();
  EXPECT_EQ(heap.stats().used_objects, 3u);
  EXPECT_TRUE(heap.owns(untyped[0]));
  EXPECT_TRUE(heap.owns(from_object(child)));
  untyped[0] = 0;
  typed = kNullRef;
  heap.collect_minor();
  EXPECT_EQ(heap.stats().used_objects, 3u) << "now old: only a full collection frees them";
  heap.collect();
  EXPECT_EQ(heap.stats().used_objects, 0u);
}

}  // namespace
}  // namespace wasmrun::gc
