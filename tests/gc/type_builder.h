// A tiny canonical type space for the gc tests: types are appended in order and
// their ids are their positions, the way rt::TypeRegistry numbers them.
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "engine/types.h"
#include "gc/rtt.h"

namespace wasmrun::gc::testing {

class TypeBuilder {
 public:
  explicit TypeBuilder(RttOptions options = {}) : registry_(options) {}

  uint32_t add_struct(std::vector<FieldType> fields, std::optional<uint32_t> super = {},
                      bool final = false) {
    SubType st;
    st.final = final;
    st.super = super;
    st.comp.kind = CompositeType::Kind::Struct;
    st.comp.struct_.fields = std::move(fields);
    return push(std::move(st));
  }
  uint32_t add_array(FieldType elem, std::optional<uint32_t> super = {}) {
    SubType st;
    st.final = false;
    st.super = super;
    st.comp.kind = CompositeType::Kind::Array;
    st.comp.array.field = elem;
    return push(std::move(st));
  }
  uint32_t add_func() {
    SubType st;
    st.comp.kind = CompositeType::Kind::Func;
    return push(std::move(st));
  }

  const Rtt* rtt(uint32_t id) {
    return registry_.get(id, [this](uint32_t i) -> const SubType& { return types_.at(i); });
  }

  const Rtt* exception_rtt(uint32_t tag_type) {
    return registry_.exception_rtt(tag_type,
                                   [this](uint32_t i) -> const SubType& { return types_.at(i); });
  }
  uint32_t add_func(std::vector<ValType> params) {
    SubType st;
    st.comp.kind = CompositeType::Kind::Func;
    st.comp.func.params = std::move(params);
    return push(std::move(st));
  }

  std::vector<const Rtt*> resolve(const std::vector<uint32_t>& ids) {
    return registry_.resolve(ids, [this](uint32_t i) -> const SubType& { return types_.at(i); });
  }

  static FieldType field(ValType t, bool mut = true) { return FieldType{t, mut}; }
  static ValType ref_to(uint32_t id, bool nullable = true) {
    return ValType::ref(HeapType::type_index(id), nullable);
  }
  static ValType abs_ref(AbsHeap h, bool nullable = true) {
    return ValType::ref(HeapType::abstract(h), nullable);
  }

 private:
  uint32_t push(SubType st) {
    types_.push_back(std::move(st));
    return static_cast<uint32_t>(types_.size() - 1);
  }
  std::deque<SubType> types_;
  RttRegistry registry_;
};

}  // namespace wasmrun::gc::testing
