// Randomized check of the collector against a model: a mirror of the object
// graph kept in plain C++. After every explicit collection, exactly the
// objects the model says are reachable must remain, each with the fields the
// model says it has.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <tuple>
#include <vector>

#include "gc/heap.h"
#include "type_builder.h"

namespace wasmrun::gc {
namespace {

using testing::TypeBuilder;

// A field value in the model: another object (id >= 0), or an immediate.
struct ModelValue {
  int64_t id = -1;  ///< object id, or -1 for the immediate `imm`
  Ref imm = kNullRef;
};

struct ModelObject {
  Ref addr = kNullRef;
  std::vector<ModelValue> fields;  // struct fields 0..2, or array elements
  bool array = false;
};

class GcModel : public ::testing::TestWithParam<std::tuple<uint32_t, bool>> {
 protected:
  void SetUp() override {
    node_ = tb_.rtt(tb_.add_struct({TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),
                                    TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any)),
                                    TypeBuilder::field(ValType::externref()),
                                    TypeBuilder::field(ValType::i64())}));
    vec_ = tb_.rtt(tb_.add_array(TypeBuilder::field(TypeBuilder::abs_ref(AbsHeap::Any))));
  }

  Ref value_ref(const ModelValue& v) const { return v.id >= 0 ? objects_[v.id].addr : v.imm; }
  uint8_t* slot_of(const ModelObject& o, size_t i) const {
    Object* obj = as_object(o.addr);
    return o.array ? obj->element(static_cast<uint32_t>(i)) : obj->field(static_cast<uint32_t>(i));
  }

  std::vector<int64_t> reachable() const {
    std::vector<bool> seen(objects_.size(), false);
    std::vector<int64_t> work, out;
    for (const ModelValue& r : roots_) {
      if (r.id >= 0 && !seen[r.id]) seen[r.id] = true, work.push_back(r.id);
    }
    while (!work.empty()) {
      const int64_t id = work.back();
      work.pop_back();
      out.push_back(id);
      for (const ModelValue& f : objects_[id].fields) {
        if (f.id >= 0 && !seen[f.id]) seen[f.id] = true, work.push_back(f.id);
      }
    }
    return out;
  }

  TypeBuilder tb_;
  const Rtt* node_ = nullptr;
  const Rtt* vec_ = nullptr;
  std::vector<ModelObject> objects_;
  std::vector<ModelValue> roots_;
};

TEST_P(GcModel, SurvivorsAreExactlyTheReachableObjects) {
  const auto [seed, generational] = GetParam();
  std::mt19937_64 rng(seed);
  HeapConfig config;
  config.generational = generational;
  config.nursery_bytes = 8 << 10;
  config.initial_gc_threshold = 16 << 10;  // collections inside rounds, too
  config.verify_roots = true;
  Heap heap(config);
  roots_.assign(64, ModelValue{});
  std::vector<Ref> root_slots(roots_.size(), kNullRef);
  heap.add_root_enumerator([&](RootVisitor& visit) {
    for (Ref& r : root_slots) visit(&r);
  });
  auto random_immediate = [&]() -> Ref {
    switch (rng() % 3) {
      case 0: return kNullRef;
      case 1: return make_i31(static_cast<uint32_t>(rng()));
      default: return make_host(rng() % 1000);
    }
  };

  for (int round = 0; round < 100; ++round) {
    std::vector<int64_t> live = reachable();
    {
      // Everything reachable at the start of the round stays rooted during it,
      // so ids picked below never name a freed object.
      HandleScope scope(heap);
      for (int64_t id : live) scope.make(objects_[id].addr);
      for (int op = 0; op < 1500; ++op) {
        const uint32_t what = rng() % 10;
        if (what < 4) {  // allocate, and store it somewhere reachable
          ModelObject o;
          o.array = rng() % 4 == 0;
          const uint32_t len = rng() % 16 == 0 ? 1500 + rng() % 1000 : rng() % 8;
          Object* obj = o.array ? heap.try_alloc_array(*vec_, len) : heap.try_alloc_struct(*node_);
          ASSERT_NE(obj, nullptr);
          o.addr = from_object(obj);
          o.fields.assign(o.array ? len : 3, ModelValue{});
          if (!o.array) store_scalar(obj->field(3), Storage::I64, objects_.size());
          scope.make(o.addr);
          live.push_back(static_cast<int64_t>(objects_.size()));
          objects_.push_back(std::move(o));
        }
        if (live.empty()) continue;
        // Write a field or a root: another live object or an immediate.
        ModelValue v;
        if (rng() % 6 != 0) {
          v.id = live[rng() % live.size()];
        } else {
          v.imm = random_immediate();
        }
        if (rng() % 4 == 0) {
          const size_t r = rng() % roots_.size();
          roots_[r] = v;
          root_slots[r] = value_ref(v);
        } else {
          ModelObject& target = objects_[live[rng() % live.size()]];
          if (target.fields.empty()) continue;
          const size_t i = rng() % target.fields.size();
          target.fields[i] = v;
          write_ref(as_object(target.addr), slot_of(target, i), value_ref(v));
        }
      }
    }
    // Odd rounds end with a full collection: survivors must be exactly the
    // model's reachable set. Even rounds end with a minor one (a full one in
    // non-generational mode): old garbage may stay, but every reachable
    // object must survive intact.
    const bool full = !generational || round % 2 == 1;
    if (full) {
      heap.collect();
    } else {
      heap.collect_minor();
    }
    const std::vector<int64_t> expect = reachable();
    if (full) {
      ASSERT_EQ(heap.stats().used_objects, expect.size()) << "round " << round;
    } else {
      ASSERT_GE(heap.stats().used_objects, expect.size()) << "round " << round;
    }
    for (int64_t id : expect) {
      const ModelObject& o = objects_[id];
      ASSERT_TRUE(heap.owns(o.addr)) << "object " << id << " was freed while reachable";
      Object* obj = as_object(o.addr);
      if (!o.array) ASSERT_EQ(load_scalar(obj->field(3), Storage::I64), static_cast<uint64_t>(id));
      ASSERT_EQ(obj->length, o.array ? o.fields.size() : 0u);
      for (size_t i = 0; i < o.fields.size(); ++i) {
        ASSERT_EQ(read_ref(slot_of(o, i)), value_ref(o.fields[i])) << "object " << id;
      }
    }
  }
  std::printf("%zu objects created, %zu reachable at the end, %llu collections (%llu minor)\n",
              objects_.size(), reachable().size(),
              static_cast<unsigned long long>(heap.stats().collections),
              static_cast<unsigned long long>(heap.stats().minor_collections));
  if (generational) EXPECT_GT(heap.stats().minor_collections, 50u);
  EXPECT_GT(heap.stats().collections, 100u) << "allocation pressure collected inside rounds too";
}

INSTANTIATE_TEST_SUITE_P(Seeds, GcModel,
                         ::testing::Combine(::testing::Values(1u, 2u, 3u, 42u, 1234u),
                                            ::testing::Bool()));

}  // namespace
}  // namespace wasmrun::gc
