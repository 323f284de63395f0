// Unit tests: literals, abbreviations and text-level errors.
#include <gtest/gtest.h>

#include <cstring>

#include "engine/text/literals.h"
#include "engine/text/wast.h"
#include "engine/text/wat.h"

namespace wasmrun {
namespace {

using text::LitStatus;

uint32_t f32_bits(const char* s) {
  uint32_t b = 0;
  EXPECT_EQ(text::parse_f32(s, b), LitStatus::Ok) << s;
  return b;
}
uint64_t f64_bits(const char* s) {
  uint64_t b = 0;
  EXPECT_EQ(text::parse_f64(s, b), LitStatus::Ok) << s;
  return b;
}

TEST(Literals, Integers) {
  uint64_t v;
  EXPECT_EQ(text::parse_int("0xffff_ffff", 32, v), LitStatus::Ok);
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_EQ(text::parse_int("-0x8000_0000", 32, v), LitStatus::Ok);
  EXPECT_EQ(v, 0x80000000u);
  EXPECT_EQ(text::parse_int("0x1_0000_0000", 32, v), LitStatus::Range);
  EXPECT_EQ(text::parse_int("-2147483649", 32, v), LitStatus::Range);
  EXPECT_EQ(text::parse_int("18446744073709551615", 64, v), LitStatus::Ok);
  EXPECT_EQ(text::parse_int("18446744073709551616", 64, v), LitStatus::Range);
  EXPECT_EQ(text::parse_int("1__0", 32, v), LitStatus::Syntax);
  EXPECT_EQ(text::parse_int("_1", 32, v), LitStatus::Syntax);
  EXPECT_EQ(text::parse_int("1_", 32, v), LitStatus::Syntax);
  EXPECT_EQ(text::parse_int("-128", 8, v), LitStatus::Ok);
  EXPECT_EQ(v, 0x80u);
  EXPECT_EQ(text::parse_int("256", 8, v), LitStatus::Range);
}

TEST(Literals, Floats) {
  EXPECT_EQ(f32_bits("0x1.8p3"), 0x41400000u);  // 12.0
  EXPECT_EQ(f32_bits("-0x1p-149"), 0x80000001u);
  EXPECT_EQ(f32_bits("0x1p-150"), 0u);         // ties to even: 0
  EXPECT_EQ(f32_bits("0x1.000001p-149"), 1u);  // just above the tie
  EXPECT_EQ(f32_bits("0x1.fffffefffffffffp127"), 0x7f7fffffu);
  EXPECT_EQ(f32_bits("0x1.000001p0"), 0x3f800000u);  // below half ulp: down
  EXPECT_EQ(f32_bits("0x1.000003p0"), 0x3f800002u);  // tie between odd and even ulp: up to even
  EXPECT_EQ(f32_bits("1e-45"), 1u);
  EXPECT_EQ(f32_bits("inf"), 0x7f800000u);
  EXPECT_EQ(f32_bits("-nan"), 0xffc00000u);
  EXPECT_EQ(f32_bits("nan:0x200000"), 0x7fa00000u);
  EXPECT_EQ(f32_bits("1_000.5"), f32_bits("1000.5"));
  EXPECT_EQ(f64_bits("0x1p-1074"), 1u);
  EXPECT_EQ(f64_bits("0.1"), 0x3fb999999999999aull);
  EXPECT_EQ(f64_bits("nan:0xf_ffff_ffff_ffff"), 0x7fffffffffffffffull);
  uint32_t b;
  uint64_t d;
  EXPECT_EQ(text::parse_f32("0x1p128", b), LitStatus::Range);
  EXPECT_EQ(text::parse_f32("1e39", b), LitStatus::Range);
  EXPECT_EQ(text::parse_f32("nan:0x800000", b), LitStatus::Range);
  EXPECT_EQ(text::parse_f32("nan:0x0", b), LitStatus::Range);
  EXPECT_EQ(text::parse_f64("0x1.fffffffffffff8p1023", d), LitStatus::Range);
  EXPECT_EQ(text::parse_f64("1.e", d), LitStatus::Syntax);
  EXPECT_EQ(text::parse_f64(".5", d), LitStatus::Syntax);
}

std::vector<uint8_t> wat(const char* s) {
  auto r = wat_to_wasm(s);
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? r.value() : std::vector<uint8_t>{};
}

std::string wat_error(const char* s) {
  auto r = wat_to_wasm(s);
  EXPECT_FALSE(r.ok()) << s;
  if (r.ok()) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  return r.error().message;
}

bool contains(const std::vector<uint8_t>& hay, std::initializer_list<uint8_t> needle) {
  std::vector<uint8_t> n(needle);
  return std::search(hay.begin(), hay.end(), n.begin(), n.end()) != hay.end();
}

TEST(Wat, EmptyModuleForms) {
  std::vector<uint8_t> empty = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(wat("(module)"), empty);
  EXPECT_EQ(wat(""), empty);
  EXPECT_EQ(wat("(; comment (; nested ;) ;) (module) ;; line"), empty);
}

TEST(Wat, ImplicitTypesAreAppendedAndReused) {
  // $f's inline type matches no explicit type, so it is appended after $t;
  // $g's inline type reuses $t.
  auto b =
      wat("(module (func $f (result f64) (f64.const 0)) (func $g (param i32)) (type $t (func "
          "(param i32))))");
  // type section: 2 entries, (i32)->() first, then ()->(f64).
  EXPECT_TRUE(contains(b, {0x01, 0x09, 0x02, 0x60, 0x01, 0x7F, 0x00, 0x60, 0x00, 0x01, 0x7C}));
  // function section: f uses type 1, g uses type 0.
  EXPECT_TRUE(contains(b, {0x03, 0x03, 0x02, 0x01, 0x00}));
}

TEST(Wat, InlineExportImportAndSegments) {
  auto b =
      wat("(module (func $i (import \"m\" \"f\")) (memory (export \"mem\") (data \"ab\"))"
          " (table $t funcref (elem $i $i)) (global (export \"g\") i32 (i32.const 7)))");
  EXPECT_TRUE(contains(b, {0x01, 'm', 0x01, 'f', 0x00, 0x00}));    // func import of type 0
  EXPECT_TRUE(contains(b, {0x05, 0x04, 0x01, 0x01, 0x01, 0x01}));  // memory min = max = 1 page
  EXPECT_TRUE(contains(b, {0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x02}));  // table min = max = 2
  EXPECT_TRUE(contains(b, {0x00, 0x41, 0x00, 0x0B, 0x02, 0x00, 0x00}));  // elem at 0: $i $i
  EXPECT_TRUE(contains(b, {0x00, 0x41, 0x00, 0x0B, 0x02, 'a', 'b'}));    // data at 0
  EXPECT_TRUE(contains(b, {0x03, 'm', 'e', 'm', 0x02, 0x00}));
}

TEST(Wat, Instructions) {
  // Folded operands come first; labels resolve to depths; memarg with memory index.
  auto b =
      wat("(module (memory 1) (memory $m 1) (func (result i32) (block $b (result i32)"
          " (br_if $b (i32.const 1) (i32.const 0))) (i32.load $m offset=0x10 align=2 (i32.const "
          "0)) drop))");
  EXPECT_TRUE(contains(b, {0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0D, 0x00, 0x0B}));
  EXPECT_TRUE(contains(b, {0x41, 0x00, 0x28, 0x41, 0x01, 0x10}));  // align 2^1, memory 1 follows
  // select with a type, ref.test with a nullable target, br_on_cast flags.
  b =
      wat("(module (func (param anyref) (result i32) (drop (select (result i32) (i32.const 1) "
          "(i32.const 2)"
          " (i32.const 0))) (drop (block (result anyref) (br_on_cast 0 anyref (ref null i31) "
          "(local.get 0))))"
          " (ref.test (ref null i31) (local.get 0))))");
  EXPECT_TRUE(contains(b, {0x1C, 0x01, 0x7F}));
  EXPECT_TRUE(contains(b, {0xFB, 0x18, 0x03, 0x00, 0x6E, 0x6C}));
  EXPECT_TRUE(contains(b, {0xFB, 0x15, 0x6C}));
  b = wat("(module (func (param anyref) (result i32) (ref.test (ref i31) (local.get 0))))");
  EXPECT_TRUE(contains(b, {0xFB, 0x14, 0x6C}));
  // v128.const lanes are little endian.
  b = wat("(module (func (result v128) (v128.const i16x8 1 2 3 4 5 6 7 -1)))");
  EXPECT_TRUE(contains(b, {0xFD, 0x0C, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00}));
  // try_table catch labels are resolved outside the block.
  b = wat("(module (tag $e) (func (block $h (try_table (catch $e $h) (catch_all 0)))))");
  EXPECT_TRUE(contains(b, {0x1F, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00}));
}

TEST(Wat, NameAnnotations) {
  auto b = wat("(module $m (@name \"M\u{fc}\") (func $f (@name \"\u{3bb}\")) (func $g))");
  EXPECT_TRUE(contains(b, {0x00, 0x04, 0x03, 'M', 0xC3, 0xBC}));  // module name "Mü"
  EXPECT_TRUE(
      contains(b, {0x01, 0x08, 0x02, 0x00, 0x02, 0xCE, 0xBB, 0x01}));  // func 0 "λ", then func 1
  EXPECT_NE(wat_error("(module (func) (@name \"M\"))").find("misplaced @name annotation"),
            std::string::npos);
}

TEST(Wat, FlatLegacyTry) {
  auto b = wat("(module (tag $e) (func try $t catch $e catch_all end try delegate 0))");
  // try, catch 0, catch_all, end; the delegate's label is the function (depth 0).
  EXPECT_TRUE(contains(b, {0x06, 0x40, 0x07, 0x00, 0x19, 0x0B}));
  EXPECT_FALSE(wat_to_wasm("(module (func try $t catch_all end $u))").ok());
}

TEST(Wat, NameSection) {
  auto b = wat("(module (func $main (param $x i32)))");
  EXPECT_TRUE(contains(b, {'n', 'a', 'm', 'e', 0x01}));
  EXPECT_TRUE(contains(b, {0x04, 'm', 'a', 'i', 'n'}));
}

TEST(Wat, CustomAnnotations) {
  // (before type) comes first; an unplaced section goes last.
  auto b = wat("(module (type (func)) (@custom \"a\" \"x\") (@custom \"b\" (before type) \"y\"))");
  std::vector<uint8_t> head = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00,
                               0x00, 0x00, 0x03, 0x01, 'b',  'y',  0x01};
  ASSERT_GE(b.size(), head.size());
  EXPECT_TRUE(std::equal(head.begin(), head.end(), b.begin()));
  std::vector<uint8_t> tail = {0x00, 0x03, 0x01, 'a', 'x'};
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), b.end() - 5));
  EXPECT_NE(wat_error("(module (func (@custom \"a\")))").find("misplaced @custom annotation"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (@custom \"a\" (after types)))").find("malformed section kind"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (@custom 4))").find("missing section name"), std::string::npos);
  // Other annotations are skipped wherever they are.
  wat("((@a) module (@a x , ; {}) (func (@b) (nop)))");
}

// A module using many 3.0 forms at once (it also validates with the project's
// validator; this test checks the encodings that are easy to get wrong).
TEST(Wat, ManyForms) {
  const char* src = R"WAT((module $mod
  (rec)
  (rec (type $s (sub (struct (field $a i32) (field $b (mut i64))))) (type $s2 (sub final $s (struct (field i32 (mut i64)) (field $c f32)))))
  (type $arr (array (mut i8)))
  (type $ft (func (param i32) (result i32)))
  (import "env" "t" (table $it i64 1 funcref))
  (import "env" "m" (memory $im i64 1))
  (tag $e (param i32))
  (global $g (ref null $s) (ref.null $s))
  (global $h (mut i64) (i64.const -1))
  (table $tt 2 (ref null $ft))
  (memory $m 1 2 shared)
  (func $f (type $ft) (local $x i64) (local f32 f64)
    local.get 0
    block $b (type $ft)
      drop
      i32.const 1
    end
    drop
    (select (result i32) (result) (local.get 0) (i32.const 1) (i32.const 0))
    drop
    (struct.get $s2 $c (struct.new_default $s2)) drop
    (struct.get $s $b (ref.null $s)) drop
    (array.new_fixed $arr 2 (i32.const 1) (i32.const 2)) drop
    (i32.atomic.rmw.cmpxchg $m offset=4 (i32.const 0) (i32.const 1) (i32.const 2)) drop
    (memory.atomic.notify $m (i32.const 0) (i32.const 1)) drop
    (v128.load8_lane $m offset=1 3 (i32.const 0) (v128.const i64x2 0 -1)) drop
    (v128.load8_lane 7 (i64.const 0) (v128.const f32x4 inf -nan 0x1p-3 1e10)) drop
    (i64.load $im (i64.const 0)) drop
    (try_table (result i32) (catch $e 0) (i32.const 5)) drop
    (call_ref $ft (i32.const 1) (table.get $tt (i32.const 0))) drop
    (drop (block (result anyref) (br_on_cast_fail 0 anyref (ref $s) (ref.null any))))
    local.get 0
  )
  (elem declare func $f)
  (elem $e2 (table $tt) (offset (i32.const 0)) (ref null $ft) (item ref.func $f) (ref.func $f))
  (data (memory $m) (offset i32.const 8) "abc" "\u{1F600}")
  (data $pass "x")
  (export "f" (func $f))
  (start $f2)
  (func $f2)
)
)WAT";
  auto b = wat(src);
  EXPECT_TRUE(contains(b, {0x4E, 0x00}));                    // (rec)
  EXPECT_TRUE(contains(b, {0x4E, 0x02, 0x50, 0x00, 0x5F}));  // rec of two, open sub without supers
  EXPECT_TRUE(contains(b, {0x4F, 0x01, 0x00, 0x5F, 0x03}));  // sub final $s (type 0), three fields
  EXPECT_TRUE(contains(b, {0x01, 0x70, 0x04, 0x01}));  // table64 import: funcref, flags 4, min 1
  EXPECT_TRUE(contains(b, {0x02, 0x04, 0x01}));        // memory64 import: flags 4, min 1
  EXPECT_TRUE(contains(b, {0x03, 0x01, 0x02}));        // shared memory 1..2: flags 3
  EXPECT_TRUE(contains(b, {0x63, 0x03}));              // (ref null $ft), $ft is type 3
  EXPECT_TRUE(contains(b, {0xFE, 0x48, 0x42, 0x01, 0x04}));  // i32.atomic.rmw.cmpxchg $m offset=4
  EXPECT_TRUE(contains(b, {0xFD, 0x54, 0x00, 0x00, 0x07}));  // v128.load8_lane 7 on memory 0
  EXPECT_TRUE(
      contains(b, {0xFB, 0x19, 0x01, 0x00, 0x6E, 0x00}));       // br_on_cast_fail 0 anyref (ref $s)
  EXPECT_TRUE(contains(b, {0xF0, 0x9F, 0x98, 0x80}));           // \u{1F600} in UTF-8
  EXPECT_TRUE(contains(b, {0x00, 0x04, 0x03, 'm', 'o', 'd'}));  // module name
}

TEST(Wat, BranchHints) {
  // Offsets are relative to the body start (the locals vector): 0x00, then the
  // condition (2 bytes), then `if` at 3; `br_if` inside the folded block at 10.
  auto b = wat(
      "(module (func (param i32) (@metadata.code.branch_hint \"\\01\") (if (local.get 0) (then))"
      " (block (@metadata.code.branch_hint \"\\00\") (br_if 0 (local.get 0)))))");
  const char name[] = "metadata.code.branch_hint";
  std::vector<uint8_t> section = {0x00, 0x23, 0x19};
  section.insert(section.end(), name, name + 25);
  for (uint8_t x : {0x01, 0x00, 0x02, 0x03, 0x01, 0x01, 0x0A, 0x01, 0x00}) section.push_back(x);
  EXPECT_TRUE(std::search(b.begin(), b.end(), section.begin(), section.end()) != b.end());
  EXPECT_NE(
      wat_error("(module (@metadata.code.branch_hint \"\\01\") (func))").find("not in a function"),
      std::string::npos);
  auto invalid = wat_to_wasm("(module (func (@metadata.code.branch_hint \"\\01\") nop))");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind, ErrorKind::Invalid);
}

TEST(Wat, InvalidButWellFormedModulesEncode) {
  // Type errors and out-of-range numeric indices are for the validator.
  wat("(module (func (result i32) (i64.const 0)))");
  wat("(module (func (call 42)))");
  wat("(module (func (local.get 7)))");
}

TEST(Wat, TextErrors) {
  EXPECT_NE(wat_error("(module (func (i32.add2)))").find("unknown operator"), std::string::npos);
  EXPECT_NE(wat_error("(module (func (call $nope)))").find("unknown function"), std::string::npos);
  EXPECT_NE(wat_error("(module (func (i32.const 0x1_0000_0000)))").find("constant out of range"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (func block $a end $b))").find("mismatching label"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (func $f) (func $f))").find("duplicate func"), std::string::npos);
  EXPECT_NE(wat_error("(module (func (param $x i32) (local $x i32)))").find("duplicate local"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (type $t (func)) (func (type $t) (param i32)))")
                .find("inline function type"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (func) (import \"a\" \"b\" (func)))").find("import after function"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (func $f) (start $f) (start $f))").find("multiple start sections"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))")
                .find("alignment"),
            std::string::npos);
  EXPECT_NE(wat_error("(module (func \"a\"x))").find("unknown operator"), std::string::npos);
  EXPECT_NE(wat_error("(module (func $\"\"))").find("empty identifier"), std::string::npos);
  EXPECT_NE(wat_error("(module (export \"\\ff\" (func 0)) (func))").find("malformed UTF-8"),
            std::string::npos);
  EXPECT_NE(
      wat_error("(module (func (v128.const i32x4 1 2)))").find("wrong number of lane literals"),
      std::string::npos);
  EXPECT_NE(wat_error("(module (func (f32.const nan:canonical)))").find("unexpected token"),
            std::string::npos);
  EXPECT_NE(wat_error("(module \"unclosed)").find("unclosed string"), std::string::npos);
}

TEST(Wat, ErrorOffsetAndPosition) {
  std::string src = "(module\n  (func (i32.frob)))";
  auto r = wat_to_wasm(src);
  ASSERT_FALSE(r.ok());
  TextPosition p = text_position(src, r.error().offset);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 10u);
}

TEST(Wast, CommandsAndValues) {
  const char* script = R"WAST(
(module $M (func (export "f") (param i32) (result i32) (local.get 0)))
(register "m" $M)
(assert_return (invoke $M "f" (i32.const -1)) (i32.const 0xffffffff))
(assert_return (invoke "g" (f32.const 1.5) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16) (ref.null func) (ref.extern 3))
  (f32.const nan:canonical) (v128.const f64x2 nan:arithmetic 1.0) (either (i32.const 1) (ref.null)) (ref.func))
(assert_trap (invoke "f") "unreachable")
(assert_malformed (module quote "(func (i32.frob))") "unknown operator")
(assert_invalid (module (func (result i32))) "type mismatch")
(module definition $D binary "\00asm" "\01\00\00\00")
(module instance $I $D)
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_exception (invoke "throws"))
(get "glob")
)WAST";
  auto r = parse_wast(script);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const auto& c = r->commands;
  ASSERT_EQ(c.size(), 12u);
  EXPECT_EQ(r->assertion_count(), 7u);
  EXPECT_EQ(c[0].kind, WastCommand::Kind::Module);
  EXPECT_EQ(c[0].module->id, "M");
  EXPECT_FALSE(c[0].module->bytes.empty());
  EXPECT_EQ(c[1].register_name, "m");
  EXPECT_EQ(c[2].action->args[0].bits, 0xffffffffu);
  EXPECT_EQ(c[2].line, 4u);
  const WastCommand& g = c[3];
  ASSERT_EQ(g.action->args.size(), 4u);
  EXPECT_EQ(g.action->args[0].bits, 0x3fc00000u);
  EXPECT_EQ(g.action->args[1].v128[15], 16);
  EXPECT_EQ(g.action->args[2].kind, WastValue::Kind::RefNull);
  EXPECT_EQ(g.action->args[3].kind, WastValue::Kind::RefExtern);
  EXPECT_EQ(g.action->args[3].bits, 3u);
  ASSERT_EQ(g.expected.size(), 4u);
  EXPECT_EQ(g.expected[0].kind, WastExpected::Kind::F32Nan);
  EXPECT_EQ(g.expected[1].kind, WastExpected::Kind::V128Lanes);
  EXPECT_EQ(g.expected[1].lanes[0].kind, WastLane::Kind::NanArithmetic);
  EXPECT_EQ(g.expected[1].lanes[1].bits, 0x3ff0000000000000ull);
  EXPECT_EQ(g.expected[2].kind, WastExpected::Kind::Either);
  EXPECT_EQ(g.expected[2].alternatives[1].kind, WastExpected::Kind::RefNullAny);
  EXPECT_EQ(g.expected[3].kind, WastExpected::Kind::RefFunc);
  EXPECT_EQ(c[4].kind, WastCommand::Kind::AssertTrap);
  EXPECT_EQ(c[4].message, "unreachable");
  EXPECT_EQ(c[5].module->form, WastModule::Form::Quote);
  EXPECT_FALSE(c[5].module->encode().ok());
  EXPECT_EQ(c[6].kind, WastCommand::Kind::AssertInvalid);
  EXPECT_TRUE(c[6].module->encode().ok());
  EXPECT_TRUE(c[7].module->definition);
  EXPECT_EQ(c[7].module->bytes.size(), 8u);
  EXPECT_EQ(c[8].kind, WastCommand::Kind::ModuleInstance);
  EXPECT_EQ(c[8].instance_id, "I");
  EXPECT_EQ(c[8].definition_id, "D");
  EXPECT_EQ(c[10].kind, WastCommand::Kind::AssertException);
  EXPECT_EQ(c[11].action->kind, WastAction::Kind::Get);
}

TEST(Wast, EncodingErrorsAreStoredNotFatal) {
  auto r = parse_wast("(module (func (i32.frob)))\n(assert_return (invoke \"f\"))");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->commands.size(), 2u);
  ASSERT_TRUE(r->commands[0].module->error.has_value());
  EXPECT_NE(r->commands[0].module->error->message.find("unknown operator"), std::string::npos);
  EXPECT_FALSE(parse_wast("(assert_return (invoke \"f\" (i32.const 1x)))").ok());
  EXPECT_FALSE(parse_wast("(frobnicate)").ok());
}

}  // namespace
}  // namespace wasmrun
