#!/usr/bin/env python3
"""Transcribes a sample of assert_return cases from the official SIMD spec
scripts into tests/simd/spec_tables_test.cc, as plain C++ tables.

The tables check the semantics library without any text-format parsing at test
time (spec_wast_test.cc does run the whole scripts, through its own small
parser; these tables are an independent second check). Literals are converted
to exact bit patterns here: floats are rounded to nearest-even from their exact
rational value, so no host float parsing is involved.

Usage: gen_spec_tables.py /work/shared/spec-testsuite/core/simd > spec_tables_data.cc
       clang-format -i spec_tables_data.cc
"""
import os
import sys
from fractions import Fraction

# (file, max rows per instruction): 10 representative scripts.
FILES = [
    ("simd_i8x16_sat_arith.wast", 12),
    ("simd_i16x8_q15mulr_sat_s.wast", 26),
    ("simd_bit_shift.wast", 6),
    ("simd_f32x4_rounding.wast", 12),
    ("simd_f64x2.wast", 10),
    ("simd_i32x4_trunc_sat_f32x4.wast", 20),
    ("simd_i32x4_trunc_sat_f64x2.wast", 12),
    ("simd_conversions.wast", 10),
    ("simd_i32x4_dot_i16x8.wast", 28),
    ("simd_i8x16_arith2.wast", 6),
]


def read_sexprs(text):
    """Parses S-expressions; lists are (line, [items]), atoms are strings."""
    pos, line, n = 0, 1, len(text)

    def skip():
        nonlocal pos, line
        while pos < n:
            c = text[pos]
            if c == "\n":
                line += 1
                pos += 1
            elif c.isspace():
                pos += 1
            elif text.startswith(";;", pos):
                while pos < n and text[pos] != "\n":
                    pos += 1
            elif text.startswith("(;", pos):
                depth = 0
                while True:
                    if text.startswith("(;", pos):
                        depth += 1
                        pos += 2
                    elif text.startswith(";)", pos):
                        depth -= 1
                        pos += 2
                        if depth == 0:
                            break
                    else:
                        if text[pos] == "\n":
                            line += 1
                        pos += 1
            else:
                break

    def read():
        nonlocal pos
        if text[pos] == "(":
            start = line
            pos += 1
            items = []
            skip()
            while text[pos] != ")":
                items.append(read())
                skip()
            pos += 1
            return (start, items)
        if text[pos] == '"':
            end = text.index('"', pos + 1)
            s = text[pos : end + 1]
            pos = end + 1
            return s
        start = pos
        while pos < n and not text[pos].isspace() and text[pos] not in "()":
            pos += 1
        return text[start:pos]

    out = []
    skip()
    while pos < n:
        out.append(read())
        skip()
    return out


def head(x):
    return isinstance(x, tuple) and x[1] and isinstance(x[1][0], str) and x[1][0]


def parse_int(s):
    s = s.replace("_", "")
    neg = s.startswith("-")
    s = s.lstrip("+-")
    v = int(s, 16) if s.startswith("0x") else int(s)
    return -v if neg else v


def exact(s):
    """Exact rational value of a finite float literal."""
    s = s.replace("_", "")
    neg = s.startswith("-")
    s = s.lstrip("+-")
    if s.startswith("0x"):
        s = s[2:]
        mant, _, exp = s.partition("p") if "p" in s else s.partition("P")
        ip, _, fp = mant.partition(".")
        digits = ip + fp
        v = Fraction(int(digits or "0", 16), 16 ** len(fp))
        e = int(exp) if exp else 0
        v *= Fraction(2) ** e
    else:
        v = Fraction(s)
    return -v if neg else v


def round_float(v, mant_bits, exp_bits):
    """Bits of the nearest (ties to even) binary float to the rational v."""
    bias = (1 << (exp_bits - 1)) - 1
    sign = 0
    if v < 0:
        sign, v = 1, -v
    if v == 0:
        return sign << (mant_bits + exp_bits)
    e = v.numerator.bit_length() - v.denominator.bit_length()
    if Fraction(2) ** e > v:
        e -= 1
    e = max(e, 1 - bias)
    scaled = v / Fraction(2) ** (e - mant_bits)
    m = scaled.numerator // scaled.denominator
    rem = scaled - m
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and m % 2 == 1):
        m += 1
    if m == 1 << (mant_bits + 1):
        m >>= 1
        e += 1
    if e > bias:
        return (sign << (mant_bits + exp_bits)) | (((1 << exp_bits) - 1) << mant_bits)
    if m < (1 << mant_bits):  # subnormal
        biased = 0
    else:
        biased = e + bias
        m -= 1 << mant_bits
    return (sign << (mant_bits + exp_bits)) | (biased << mant_bits) | m


def float_lane(s, width):
    """Returns (bits, kind) with kind '' exact, 'c' canonical, 'a' arithmetic."""
    mant, expb = (23, 8) if width == 4 else (52, 11)
    s = s.replace("_", "")
    sign = 1 if s.startswith("-") else 0
    body = s.lstrip("+-")
    top = sign << (mant + expb)
    expmask = ((1 << expb) - 1) << mant
    if body == "nan:canonical":
        return 0, "c"
    if body == "nan:arithmetic":
        return 0, "a"
    if body == "inf":
        return top | expmask, ""
    if body == "nan":
        return top | expmask | (1 << (mant - 1)), ""
    if body.startswith("nan:"):
        return top | expmask | parse_int(body[4:]), ""
    # The sign is taken from the text: the rational value of -0 has none.
    return top | round_float(exact(body), mant, expb), ""


SHAPES = {"i8x16": (16, 1), "i16x8": (8, 2), "i32x4": (4, 4), "i64x2": (2, 8),
          "f32x4": (4, 4), "f64x2": (2, 8)}


def v128(node):
    """A v128.const node as (shape, [(bits, kind)])."""
    items = node[1]
    assert items[0] == "v128.const"
    shape = items[1]
    count, width = SHAPES[shape]
    lanes = []
    for lit in items[2 : 2 + count]:
        if shape[0] == "f":
            lanes.append(float_lane(lit, width))
        else:
            lanes.append((parse_int(lit) & ((1 << (8 * width)) - 1), ""))
    return shape, lanes


def cxx_v128(shape, lanes):
    width = SHAPES[shape][1]
    fn = {1: "u8", 2: "u16", 4: "u32", 8: "u64"}[width]
    parts = []
    for bits, kind in lanes:
        if kind == "c":
            parts.append("kCanon")
        elif kind == "a":
            parts.append("kArith")
        else:
            parts.append(hex(bits))
    return "%s({%s})" % (fn, ", ".join(parts))


def main():
    root = sys.argv[1]
    rows = []
    for fname, limit in FILES:
        forms = read_sexprs(open(os.path.join(root, fname)).read())
        simple = {}  # export name -> (op, param types)
        for form in forms:
            if head(form) == "module":
                simple = {}
                for f in form[1][1:]:
                    if head(f) != "func":
                        continue
                    items = f[1]
                    exports = [x[1][1].strip('"') for x in items if head(x) == "export"]
                    params = []
                    for x in items:
                        if head(x) == "param":
                            params += [t for t in x[1][1:] if not t.startswith("$")]
                    body = [x for x in items if isinstance(x, tuple) and
                            head(x) not in ("export", "param", "result")]
                    if len(body) != 1 or not head(body[0]):
                        continue
                    ops = body[0][1]
                    args = ops[1:]
                    if len(args) != len(params) or not all(
                            head(a) == "local.get" for a in args):
                        continue
                    if [a[1][1] for a in args] not in (
                            [str(i) for i in range(len(args))],
                            [a[1][1] for a in args if a[1][1].startswith("$")]):
                        continue
                    for e in exports:
                        simple[e] = (ops[0], params)
            elif head(form) == "assert_return":
                inv = form[1][1][1]
                if inv[0] != "invoke":
                    continue
                name = inv[1].strip('"')
                if name not in simple:
                    continue
                op, params = simple[name]
                res = form[1][2:]
                if len(res) != 1 or head(res[0]) != "v128.const":
                    continue
                args = inv[2:]
                vecs = []
                scalar = None
                ok = True
                for a, t in zip(args, params):
                    if t == "v128" and head(a) == "v128.const":
                        vecs.append(cxx_v128(*v128(a)))
                    elif t == "i32" and head(a) == "i32.const":
                        scalar = parse_int(a[1][1]) & 0xFFFFFFFF
                    else:
                        ok = False
                if not ok:
                    continue
                shape, lanes = v128(res[0])
                rows.append((fname, form[0], op, vecs, scalar, cxx_v128(shape, lanes)))
    # Keep at most `limit` rows per (file, op), spread over the file.
    limits = dict(FILES)
    by_key = {}
    for r in rows:
        by_key.setdefault((r[0], r[2]), []).append(r)
    picked = []
    for key, rs in by_key.items():
        limit = limits[key[0]]
        step = max(1, len(rs) / limit)
        chosen = [rs[int(i * step)] for i in range(min(limit, len(rs)))]
        picked += chosen
    picked.sort(key=lambda r: (r[0], r[1]))

    print("// Generated by tests/simd/gen_spec_tables.py from the official SIMD spec")
    print("// scripts: %d assert_return cases from %d files, each row citing its" %
          (len(picked), len(FILES)))
    print("// source line. Regenerate rather than edit by hand.")
    print('#include "spec_tables.h"')
    print()
    print("namespace wasmrun::simd::testing {")
    print()
    print("const std::vector<SpecRow>& spec_rows() {")
    print("  static const std::vector<SpecRow> rows = {")
    for fname, line, op, vecs, scalar, expect in picked:
        ident = op.replace(".", "_")
        print('      {Op::%s, "%s:%d", {%s}, %s, %s},' % (
            ident, fname, line, ", ".join(vecs), "%su" % scalar if scalar is not None else "0u",
            expect))
    print("  };")
    print("  return rows;")
    print("}")
    print()
    print("}  // namespace wasmrun::simd::testing")


if __name__ == "__main__":
    main()
