// The last step: sections in binary order, custom sections in their slots, names.
#include "engine/text/module_parser.h"

namespace wasmrun::text {

Bytes ModuleParser::assemble() {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes body;
  // Custom sections from annotations go into their slots (module_annotations.cc).
  auto customs = [&](int slot) {
    for (const CustomSection& cs : customs_) {
      if (cs.slot != slot) continue;
      body.clear();
      put_name(body, cs.name);
      body.insert(body.end(), cs.data.begin(), cs.data.end());
      put_section(out, 0, body);
    }
  };
  int slot_index = 0;
  auto placed = [&](const auto& emit) {
    customs(2 * slot_index + 1);
    emit();
    customs(2 * slot_index + 2);
    ++slot_index;
  };
  customs(0);
  auto section = [&](uint8_t id, uint32_t n, const Bytes& entries) {
    placed([&] {
      if (n == 0) return;
      body.clear();
      put_vec(body, n, entries);
      put_section(out, id, body);
    });
  };
  Bytes types = type_sec_;
  for (const std::string& sig : implicit_types_) {
    types.push_back(0x60);
    types.insert(types.end(), sig.begin(), sig.end());
  }
  section(1, rec_group_count_ + static_cast<uint32_t>(implicit_types_.size()), types);
  section(2, n_imports_, imports_);
  section(3, n_funcs_, funcs_);
  section(4, n_tables_, tables_);
  section(5, n_memories_, memories_);
  section(13, n_tags_, tags_);
  section(6, n_globals_, globals_);
  section(7, n_exports_, exports_);
  placed([&] {
    if (!start_) return;
    body.clear();
    put_uleb(body, *start_);
    put_section(out, 8, body);
  });
  section(9, n_elems_, elems_);
  placed([&] {
    if (!uses_data_count_) return;
    body.clear();
    put_uleb(body, n_datas_);
    put_section(out, 12, body);
  });
  if (!branch_hints_.empty()) {
    // Branch hints precede the code section they describe.
    body.clear();
    put_name(body, "metadata.code.branch_hint");
    put_uleb(body, branch_hints_.size());
    for (auto& [func, hints] : branch_hints_) {
      put_uleb(body, func);
      put_uleb(body, hints.size());
      for (auto& [at, value] : hints) {
        put_uleb(body, at);
        put_uleb(body, 1);
        body.push_back(value);
      }
    }
    put_section(out, 0, body);
  }
  section(10, n_funcs_, codes_);
  section(11, n_datas_, datas_);
  customs(2 * slot_index + 1);  // after last

  // The name section: module name, function names, local names.
  if (module_name_ || !func_names_.empty() || !local_names_.empty()) {
    Bytes names;
    put_name(names, "name");
    Bytes sub;
    if (module_name_) {
      sub.clear();
      put_name(sub, *module_name_);
      names.push_back(0);
      put_uleb(names, sub.size());
      names.insert(names.end(), sub.begin(), sub.end());
    }
    if (!func_names_.empty()) {
      sub.clear();
      put_uleb(sub, func_names_.size());
      for (auto& [i, n] : func_names_) {
        put_uleb(sub, i);
        put_name(sub, n);
      }
      names.push_back(1);
      put_uleb(names, sub.size());
      names.insert(names.end(), sub.begin(), sub.end());
    }
    if (!local_names_.empty()) {
      sub.clear();
      put_uleb(sub, local_names_.size());
      for (auto& [f, locals] : local_names_) {
        put_uleb(sub, f);
        put_uleb(sub, locals.size());
        for (auto& [i, n] : locals) {
          put_uleb(sub, i);
          put_name(sub, n);
        }
      }
      names.push_back(2);
      put_uleb(names, sub.size());
      names.insert(names.end(), sub.begin(), sub.end());
    }
    put_section(out, 0, names);
  }
  return out;
}

}  // namespace wasmrun::text
