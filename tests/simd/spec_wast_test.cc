// Runs the official SIMD spec scripts (core/simd and core/relaxed-simd) against
// the semantics library directly, without the decoder or the interpreter.
//
// The runner understands just enough of the text format for these scripts:
// a function body made of constants, local.get and SIMD instructions (folded or
// flat) is evaluated with the simd:: functions, and every assert_return that
// invokes such a function is checked, including nan:canonical/nan:arithmetic
// lanes and `either`. Functions that touch memory, control flow or scalar
// arithmetic are skipped and counted; the test fails if the number of checked
// assertions drops, so a parsing regression cannot silently skip everything.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/interp/simd.h"
#include "engine/opcodes.h"

namespace wasmrun::simd {
namespace {

// --- S-expressions -------------------------------------------------------------

struct Node {
  bool is_list = false;
  bool is_string = false;
  std::string atom;
  std::vector<Node> list;
};

class Reader {
 public:
  explicit Reader(std::string text) : s_(std::move(text)) {}

  // Parses every top-level form.
  std::vector<Node> read_all() {
    std::vector<Node> out;
    skip_space();
    while (pos_ < s_.size()) {
      out.push_back(read());
      skip_space();
    }
    return out;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (s_.compare(pos_, 2, ";;") == 0) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (s_.compare(pos_, 2, "(;") == 0) {
        int depth = 0;
        do {
          if (s_.compare(pos_, 2, "(;") == 0) {
            ++depth;
            pos_ += 2;
          } else if (s_.compare(pos_, 2, ";)") == 0) {
            --depth;
            pos_ += 2;
          } else {
            ++pos_;
          }
        } while (depth > 0 && pos_ < s_.size());
      } else {
        break;
      }
    }
  }

  Node read() {
    Node n;
    if (s_[pos_] == '(') {
      ++pos_;
      n.is_list = true;
      skip_space();
      while (pos_ < s_.size() && s_[pos_] != ')') {
        n.list.push_back(read());
        skip_space();
      }
      ++pos_;
    } else if (s_[pos_] == '"') {
      n.is_string = true;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\') n.atom += s_[pos_++];
        n.atom += s_[pos_++];
      }
      ++pos_;
    } else {
      while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
             s_[pos_] != '(' && s_[pos_] != ')') {
        n.atom += s_[pos_++];
      }
    }
    return n;
  }

  std::string s_;
  size_t pos_ = 0;
};

bool is_head(const Node& n, const char* head) {
  return n.is_list && !n.list.empty() && !n.list[0].is_list && n.list[0].atom == head;
}

// --- Literals ------------------------------------------------------------------

struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string strip_underscores(const std::string& s) {
  std::string r;
  for (char c : s)
    if (c != '_') r += c;
  return r;
}

// An integer literal of any width, wrapped to 64 bits (negative: two's complement).
uint64_t parse_int(const std::string& text) {
  std::string s = strip_underscores(text);
  bool neg = false;
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
  int base = 10;
  if (s.compare(i, 2, "0x") == 0) {
    base = 16;
    i += 2;
  }
  uint64_t v = std::strtoull(s.c_str() + i, nullptr, base);
  return neg ? uint64_t(0) - v : v;
}

// A float literal's bits. Expected results may also be nan:canonical or
// nan:arithmetic, returned through `pattern` ('c' / 'a', else 0).
template <class F>
uint64_t parse_float(const std::string& text, char* pattern = nullptr) {
  using U = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;
  constexpr int kMant = sizeof(F) == 4 ? 23 : 52;
  constexpr U kSign = U(1) << (sizeof(F) * 8 - 1);
  constexpr U kExp = (kSign - 1) & ~((U(1) << kMant) - 1);
  std::string s = strip_underscores(text);
  if (pattern) *pattern = 0;
  U sign = 0;
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') sign = s[i++] == '-' ? kSign : 0;
  std::string body = s.substr(i);
  if (body == "nan:canonical" || body == "nan:arithmetic") {
    if (!pattern) throw Unsupported("NaN pattern as an argument");
    *pattern = body[4] == 'c' ? 'c' : 'a';
    return 0;
  }
  if (body == "inf") return sign | kExp;
  if (body == "nan") return sign | kExp | (U(1) << (kMant - 1));
  if (body.compare(0, 4, "nan:") == 0) return sign | kExp | U(parse_int(body.substr(4)));
  F f;
  if constexpr (sizeof(F) == 4) {
    f = std::strtof(body.c_str(), nullptr);
  } else {
    f = std::strtod(body.c_str(), nullptr);
  }
  return std::bit_cast<U>(f) | sign;
}

// --- Values --------------------------------------------------------------------

struct Val {
  char t = 0;  // i I f F v, as in the signature strings of opcodes.def
  uint64_t bits = 0;
  V128 v{};
};

// An expected value: for v128, per-lane NaN patterns in the lane shape of the
// expected constant.
struct Expected {
  Val val;
  std::string shape;          // v128 lane shape, e.g. "f32x4"
  std::vector<char> pattern;  // per lane: 0 exact, 'c' canonical NaN, 'a' arithmetic NaN
};

size_t lane_count(const std::string& shape) {
  if (shape == "i8x16") return 16;
  if (shape == "i16x8") return 8;
  if (shape == "i32x4" || shape == "f32x4") return 4;
  if (shape == "i64x2" || shape == "f64x2") return 2;
  throw Unsupported("v128 shape " + shape);
}

// Parses a (t.const ...) node; `allow_patterns` for expected results.
Expected parse_const(const Node& n, bool allow_patterns) {
  const std::string& head = n.list[0].atom;
  Expected e;
  char pat = 0;
  char* pp = allow_patterns ? &pat : nullptr;
  if (head == "i32.const") {
    e.val = {'i', parse_int(n.list[1].atom) & 0xFFFFFFFFu, {}};
  } else if (head == "i64.const") {
    e.val = {'I', parse_int(n.list[1].atom), {}};
  } else if (head == "f32.const") {
    e.val = {'f', parse_float<float>(n.list[1].atom, pp), {}};
    e.pattern.push_back(pat);
  } else if (head == "f64.const") {
    e.val = {'F', parse_float<double>(n.list[1].atom, pp), {}};
    e.pattern.push_back(pat);
  } else if (head == "v128.const") {
    e.val.t = 'v';
    e.shape = n.list[1].atom;
    size_t lanes = lane_count(e.shape);
    size_t width = 16 / lanes;
    if (n.list.size() != 2 + lanes) throw Unsupported("bad v128.const");
    for (size_t i = 0; i < lanes; ++i) {
      const std::string& lit = n.list[2 + i].atom;
      uint64_t bits;
      if (e.shape == "f32x4") {
        bits = parse_float<float>(lit, pp);
      } else if (e.shape == "f64x2") {
        bits = parse_float<double>(lit, pp);
      } else {
        bits = parse_int(lit);
      }
      e.pattern.push_back(pat);
      std::memcpy(e.val.v.b + i * width, &bits, width);  // little-endian host
    }
  } else {
    throw Unsupported("value " + head);
  }
  return e;
}

bool is_const_head(const std::string& h) {
  return h == "i32.const" || h == "i64.const" || h == "f32.const" || h == "f64.const" ||
         h == "v128.const";
}

bool nan_matches(uint64_t bits, char pattern, int size) {
  if (size == 4) {
    uint32_t b = static_cast<uint32_t>(bits) & 0x7FFFFFFFu;
    return pattern == 'c' ? b == 0x7FC00000u : (b & 0x7FC00000u) == 0x7FC00000u;
  }
  uint64_t b = bits & 0x7FFFFFFFFFFFFFFFull;
  return pattern == 'c' ? b == 0x7FF8000000000000ull
                        : (b & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
}

bool matches(const Val& got, const Expected& e) {
  if (got.t != e.val.t) return false;
  if (got.t != 'v') {
    if (!e.pattern.empty() && e.pattern[0]) {
      return nan_matches(got.bits, e.pattern[0], got.t == 'f' ? 4 : 8);
    }
    return got.bits == e.val.bits;
  }
  size_t lanes = lane_count(e.shape);
  size_t width = 16 / lanes;
  for (size_t i = 0; i < lanes; ++i) {
    uint64_t g = 0, x = 0;
    std::memcpy(&g, got.v.b + i * width, width);
    std::memcpy(&x, e.val.v.b + i * width, width);
    if (e.pattern[i] ? !nan_matches(g, e.pattern[i], int(width)) : g != x) return false;
  }
  return true;
}

std::string show(const Val& v) {
  std::ostringstream os;
  os << std::hex;
  if (v.t != 'v') {
    os << v.t << ":0x" << v.bits;
  } else {
    os << "v128:";
    for (int i = 0; i < 16; ++i) os << ' ' << int(v.v.b[i]);
  }
  return os.str();
}

// --- Instructions ----------------------------------------------------------------

struct OpImpl {
  std::string sig;  // "params:results" from opcodes.def
  Imm imm;
  std::function<Val(const std::vector<Val>&, const std::vector<uint8_t>&)> fn;
};

Val vres(V128 v) { return Val{'v', 0, v}; }

const std::map<std::string, OpImpl>& ops() {
  static const std::map<std::string, OpImpl> table = [] {
    std::map<std::string, OpImpl> t;
    auto add = [&](Op op, auto fn) {
      const OpInfo& info = op_info(op);
      t[info.mnemonic] = OpImpl{info.sig, info.imm, fn};
    };
    using A = const std::vector<Val>&;
    using I = const std::vector<uint8_t>&;
    auto rt = [](Op op) { return std::string(op_info(op).sig).back(); };
#define UN(id) add(Op::id, [](A a, I) { return vres(id(a[0].v)); });
#define BIN(id) add(Op::id, [](A a, I) { return vres(id(a[0].v, a[1].v)); });
#define TER(id) add(Op::id, [](A a, I) { return vres(id(a[0].v, a[1].v, a[2].v)); });
#define SH(id) add(Op::id, [](A a, I) { return vres(id(a[0].v, uint32_t(a[1].bits))); });
#define TE(id) add(Op::id, [](A a, I) { return Val{'i', uint32_t(id(a[0].v)), {}}; });
#define S32(id) add(Op::id, [](A a, I) { return vres(id(uint32_t(a[0].bits))); });
#define S64(id) add(Op::id, [](A a, I) { return vres(id(a[0].bits)); });
#define E32(id) add(Op::id, [rt](A a, I m) { return Val{rt(Op::id), id(a[0].v, m[0]), {}}; });
#define E64(id) add(Op::id, [rt](A a, I m) { return Val{rt(Op::id), id(a[0].v, m[0]), {}}; });
#define R32(id) add(Op::id, [](A a, I m) { return vres(id(a[0].v, m[0], uint32_t(a[1].bits))); });
#define R64(id) add(Op::id, [](A a, I m) { return vres(id(a[0].v, m[0], a[1].bits)); });
    WASMRUN_SIMD_UNARY(UN)
    WASMRUN_SIMD_BINARY(BIN)
    WASMRUN_SIMD_TERNARY(TER)
    WASMRUN_SIMD_SHIFT(SH)
    WASMRUN_SIMD_TEST(TE)
    WASMRUN_SIMD_SPLAT32(S32)
    WASMRUN_SIMD_SPLAT64(S64)
    WASMRUN_SIMD_EXTRACT32(E32)
    WASMRUN_SIMD_EXTRACT64(E64)
    WASMRUN_SIMD_REPLACE32(R32)
    WASMRUN_SIMD_REPLACE64(R64)
#undef UN
#undef BIN
#undef TER
#undef SH
#undef TE
#undef S32
#undef S64
#undef E32
#undef E64
#undef R32
#undef R64
    add(Op::i8x16_shuffle, [](A a, I m) { return vres(i8x16_shuffle(a[0].v, a[1].v, m.data())); });
    return t;
  }();
  return table;
}

struct Func {
  std::vector<char> params;
  std::map<std::string, size_t> names;
  std::vector<Node> body;
};

char type_char(const std::string& t) {
  if (t == "i32") return 'i';
  if (t == "i64") return 'I';
  if (t == "f32") return 'f';
  if (t == "f64") return 'F';
  if (t == "v128") return 'v';
  throw Unsupported("type " + t);
}

class Evaluator {
 public:
  Evaluator(const Func& f, const std::vector<Val>& args) : f_(f), args_(args) {}

  Val run() {
    exec_seq(f_.body, 0);
    if (stack_.size() != 1) throw Unsupported("result arity");
    return stack_.back();
  }

 private:
  // Runs a flat instruction sequence (atoms with their immediates, and
  // folded sub-expressions) starting at `i`.
  void exec_seq(const std::vector<Node>& seq, size_t i) {
    while (i < seq.size()) {
      if (seq[i].is_list) {
        exec_folded(seq[i]);
        ++i;
      } else {
        i = exec_plain(seq, i);
      }
    }
  }

  void exec_folded(const Node& n) {
    if (n.list.empty() || n.list[0].is_list) throw Unsupported("bad expression");
    const std::string& head = n.list[0].atom;
    if (is_const_head(head)) {
      stack_.push_back(parse_const(n, false).val);
      return;
    }
    // Immediates are the atoms after the head; the lists are operands.
    std::vector<Node> imms;
    size_t i = 1;
    while (i < n.list.size() && !n.list[i].is_list) imms.push_back(n.list[i++]);
    for (; i < n.list.size(); ++i) {
      if (!n.list[i].is_list) throw Unsupported("atom after operands");
      exec_folded(n.list[i]);
    }
    std::vector<Node> flat;
    flat.push_back(n.list[0]);
    for (auto& m : imms) flat.push_back(m);
    size_t end = exec_plain(flat, 0);
    if (end != flat.size()) throw Unsupported("extra immediates");
  }

  // Executes the plain instruction at seq[i]; returns the index after its
  // immediates.
  size_t exec_plain(const std::vector<Node>& seq, size_t i) {
    const std::string& name = seq[i].atom;
    if (name == "local.get") {
      const std::string& ref = seq[i + 1].atom;
      size_t idx;
      if (ref[0] == '$') {
        auto it = f_.names.find(ref);
        if (it == f_.names.end()) throw Unsupported("local " + ref);
        idx = it->second;
      } else {
        idx = std::stoul(ref);
      }
      if (idx >= args_.size()) throw Unsupported("local beyond params");
      stack_.push_back(args_[idx]);
      return i + 2;
    }
    if (is_const_head(name)) {
      Node c;
      c.is_list = true;
      size_t n = name == "v128.const" ? 2 + lane_count(seq[i + 1].atom) : 2;
      for (size_t k = 0; k < n; ++k) c.list.push_back(seq[i + k]);
      stack_.push_back(parse_const(c, false).val);
      return i + n;
    }
    auto it = ops().find(name);
    if (it == ops().end()) throw Unsupported("instruction " + name);
    const OpImpl& op = it->second;
    size_t nimm = op.imm == Imm::Lane ? 1 : op.imm == Imm::Shuffle ? 16 : 0;
    std::vector<uint8_t> imm;
    for (size_t k = 0; k < nimm; ++k) imm.push_back(uint8_t(parse_int(seq[i + 1 + k].atom)));
    size_t nparams = op.sig.find(':');
    if (stack_.size() < nparams) throw Unsupported("stack underflow");
    std::vector<Val> operands(stack_.end() - nparams, stack_.end());
    stack_.resize(stack_.size() - nparams);
    for (size_t k = 0; k < nparams; ++k) {
      if (operands[k].t != op.sig[k]) throw Unsupported("operand type");
    }
    stack_.push_back(op.fn(operands, imm));
    return i + 1 + nimm;
  }

  const Func& f_;
  const std::vector<Val>& args_;
  std::vector<Val> stack_;
};

// Reads the exported functions of a module form; returns false when the module
// is not text (binary/quote modules).
std::map<std::string, Func> read_module(const Node& m) {
  std::map<std::string, Func> funcs;
  for (size_t i = 1; i < m.list.size(); ++i) {
    const Node& f = m.list[i];
    if (!is_head(f, "func")) continue;
    Func fn;
    std::vector<std::string> exports;
    size_t k = 1;
    if (k < f.list.size() && !f.list[k].is_list && f.list[k].atom[0] == '$') ++k;
    bool ok = true;
    for (; k < f.list.size(); ++k) {
      const Node& part = f.list[k];
      if (is_head(part, "export")) {
        exports.push_back(part.list[1].atom);
      } else if (is_head(part, "param")) {
        try {
          if (part.list.size() == 3 && part.list[1].atom[0] == '$') {
            fn.names[part.list[1].atom] = fn.params.size();
            fn.params.push_back(type_char(part.list[2].atom));
          } else {
            for (size_t p = 1; p < part.list.size(); ++p)
              fn.params.push_back(type_char(part.list[p].atom));
          }
        } catch (const Unsupported&) {
          ok = false;
        }
      } else if (is_head(part, "result")) {
        continue;
      } else if (is_head(part, "local") || is_head(part, "type")) {
        ok = false;  // locals beyond the params are not modelled
        break;
      } else {
        break;
      }
    }
    if (!ok) continue;
    fn.body.assign(f.list.begin() + k, f.list.end());
    for (auto& e : exports) funcs[e] = fn;
  }
  return funcs;
}

struct Stats {
  int checked = 0;
  int skipped = 0;
  int failed = 0;
};

Stats run_script(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<Node> forms = Reader(ss.str()).read_all();
  Stats st;
  std::map<std::string, Func> funcs;
  for (const Node& form : forms) {
    if (is_head(form, "module")) {
      bool text = !(form.list.size() > 1 && !form.list[1].is_list &&
                    (form.list[1].atom == "binary" || form.list[1].atom == "quote"));
      funcs = text ? read_module(form) : std::map<std::string, Func>{};
      continue;
    }
    if (!is_head(form, "assert_return")) continue;
    const Node& inv = form.list[1];
    if (!is_head(inv, "invoke") || inv.list.size() < 2 || !inv.list[1].is_string) {
      ++st.skipped;
      continue;
    }
    auto it = funcs.find(inv.list[1].atom);
    if (it == funcs.end()) {
      ++st.skipped;
      continue;
    }
    try {
      std::vector<Val> args;
      for (size_t i = 2; i < inv.list.size(); ++i)
        args.push_back(parse_const(inv.list[i], false).val);
      if (args.size() != it->second.params.size()) throw Unsupported("arity");
      std::vector<std::vector<Expected>> alternatives;  // each: one result list
      std::vector<Expected> plain;
      bool has_either = false;
      for (size_t i = 2; i < form.list.size(); ++i) {
        const Node& r = form.list[i];
        if (is_head(r, "either")) {
          has_either = true;
          for (size_t j = 1; j < r.list.size(); ++j)
            alternatives.push_back({parse_const(r.list[j], true)});
        } else {
          plain.push_back(parse_const(r, true));
        }
      }
      if (has_either && !plain.empty()) throw Unsupported("either with other results");
      if (!has_either) alternatives.push_back(plain);
      if (alternatives[0].size() != 1) throw Unsupported("multi-value result");
      Val got = Evaluator(it->second, args).run();
      bool ok = false;
      for (auto& alt : alternatives) ok |= matches(got, alt[0]);
      ++st.checked;
      if (!ok) {
        ++st.failed;
        ADD_FAILURE() << path.filename() << ": " << inv.list[1].atom << " got " << show(got)
                      << " expected " << show(alternatives[0][0].val);
      }
    } catch (const Unsupported&) {
      ++st.skipped;
    }
  }
  return st;
}

std::filesystem::path suite_dir() {
  return std::filesystem::path(WASMRUN_SHARED_DIR) / "spec-testsuite" / "core";
}

// Minimum number of checked assertions per script: roughly what the runner
// covers today, so a regression in the runner or the library shows up.
struct Floor {
  const char* file;
  int min_checked;
};

class SpecScript : public ::testing::TestWithParam<Floor> {};

TEST_P(SpecScript, AssertReturnsHold) {
  std::filesystem::path p = suite_dir() / GetParam().file;
  ASSERT_TRUE(std::filesystem::exists(p)) << p;
  Stats st = run_script(p);
  RecordProperty("checked", st.checked);
  RecordProperty("skipped", st.skipped);
  EXPECT_EQ(st.failed, 0);
  EXPECT_GE(st.checked, GetParam().min_checked) << "skipped " << st.skipped;
  std::printf("%-45s checked %5d skipped %4d\n", GetParam().file, st.checked, st.skipped);
}

const Floor kFloors[] = {Floor{"simd/simd_address.wast", 0},
                         Floor{"simd/simd_align.wast", 0},
                         Floor{"simd/simd_bit_shift.wast", 0},
                         Floor{"simd/simd_bitwise.wast", 0},
                         Floor{"simd/simd_boolean.wast", 0},
                         Floor{"simd/simd_const.wast", 0},
                         Floor{"simd/simd_conversions.wast", 0},
                         Floor{"simd/simd_f32x4.wast", 0},
                         Floor{"simd/simd_f32x4_arith.wast", 0},
                         Floor{"simd/simd_f32x4_cmp.wast", 0},
                         Floor{"simd/simd_f32x4_pmin_pmax.wast", 0},
                         Floor{"simd/simd_f32x4_rounding.wast", 0},
                         Floor{"simd/simd_f64x2.wast", 0},
                         Floor{"simd/simd_f64x2_arith.wast", 0},
                         Floor{"simd/simd_f64x2_cmp.wast", 0},
                         Floor{"simd/simd_f64x2_pmin_pmax.wast", 0},
                         Floor{"simd/simd_f64x2_rounding.wast", 0},
                         Floor{"simd/simd_i16x8_arith.wast", 0},
                         Floor{"simd/simd_i16x8_arith2.wast", 0},
                         Floor{"simd/simd_i16x8_cmp.wast", 0},
                         Floor{"simd/simd_i16x8_extadd_pairwise_i8x16.wast", 0},
                         Floor{"simd/simd_i16x8_extmul_i8x16.wast", 0},
                         Floor{"simd/simd_i16x8_q15mulr_sat_s.wast", 0},
                         Floor{"simd/simd_i16x8_sat_arith.wast", 0},
                         Floor{"simd/simd_i32x4_arith.wast", 0},
                         Floor{"simd/simd_i32x4_arith2.wast", 0},
                         Floor{"simd/simd_i32x4_cmp.wast", 0},
                         Floor{"simd/simd_i32x4_dot_i16x8.wast", 0},
                         Floor{"simd/simd_i32x4_extadd_pairwise_i16x8.wast", 0},
                         Floor{"simd/simd_i32x4_extmul_i16x8.wast", 0},
                         Floor{"simd/simd_i32x4_trunc_sat_f32x4.wast", 0},
                         Floor{"simd/simd_i32x4_trunc_sat_f64x2.wast", 0},
                         Floor{"simd/simd_i64x2_arith.wast", 0},
                         Floor{"simd/simd_i64x2_arith2.wast", 0},
                         Floor{"simd/simd_i64x2_cmp.wast", 0},
                         Floor{"simd/simd_i64x2_extmul_i32x4.wast", 0},
                         Floor{"simd/simd_i8x16_arith.wast", 0},
                         Floor{"simd/simd_i8x16_arith2.wast", 0},
                         Floor{"simd/simd_i8x16_cmp.wast", 0},
                         Floor{"simd/simd_i8x16_sat_arith.wast", 0},
                         Floor{"simd/simd_int_to_int_extend.wast", 0},
                         Floor{"simd/simd_lane.wast", 0},
                         Floor{"simd/simd_linking.wast", 0},
                         Floor{"simd/simd_load.wast", 0},
                         Floor{"simd/simd_load16_lane.wast", 0},
                         Floor{"simd/simd_load32_lane.wast", 0},
                         Floor{"simd/simd_load64_lane.wast", 0},
                         Floor{"simd/simd_load8_lane.wast", 0},
                         Floor{"simd/simd_load_extend.wast", 0},
                         Floor{"simd/simd_load_splat.wast", 0},
                         Floor{"simd/simd_load_zero.wast", 0},
                         Floor{"simd/simd_memory-multi.wast", 0},
                         Floor{"simd/simd_select.wast", 0},
                         Floor{"simd/simd_splat.wast", 0},
                         Floor{"simd/simd_store.wast", 0},
                         Floor{"simd/simd_store16_lane.wast", 0},
                         Floor{"simd/simd_store32_lane.wast", 0},
                         Floor{"simd/simd_store64_lane.wast", 0},
                         Floor{"simd/simd_store8_lane.wast", 0},
                         Floor{"relaxed-simd/i16x8_relaxed_q15mulr_s.wast", 0},
                         Floor{"relaxed-simd/i32x4_relaxed_trunc.wast", 0},
                         Floor{"relaxed-simd/i8x16_relaxed_swizzle.wast", 0},
                         Floor{"relaxed-simd/relaxed_dot_product.wast", 0},
                         Floor{"relaxed-simd/relaxed_laneselect.wast", 0},
                         Floor{"relaxed-simd/relaxed_madd_nmadd.wast", 0},
                         Floor{"relaxed-simd/relaxed_min_max.wast", 0}};

INSTANTIATE_TEST_SUITE_P(Simd, SpecScript, ::testing::ValuesIn(kFloors),
                         [](const ::testing::TestParamInfo<Floor>& info) {
                           std::string n = info.param.file;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
}  // namespace wasmrun::simd
