;; SIMD instructions that the baseline tier used to call helpers for, in a loop
;; over 1 KiB of memory (saturating add, unsigned max and compare, swizzle,
;; shuffle, narrow, extend, bitmask, extract_lane), for comparing tiers and ISA
;; levels (docs/jit-baseline.md, "Measurements"):
;;   /usr/bin/time -f %U build/cli/wasmrun run --tier=baseline --invoke run bench/simd_mix.wat 1000000
;;   (--tier=interp for the interpreter; WASMRUN_JIT_ISA=sse2|sse41|avx|avx2 for a level)
(module
  (memory 1)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $p i32) (local $acc v128) (local $x v128) (local $y v128) (local $h i32)
    (local.set $acc (v128.const i32x4 1 2 3 4))
    (loop $outer
      (local.set $p (i32.const 0))
      (loop $inner
        (local.set $x (v128.load (local.get $p)))
        (local.set $y (v128.load offset=16 (local.get $p)))
        (local.set $x (i8x16.add_sat_u (local.get $x) (local.get $acc)))
        (local.set $y (i16x8.max_u (local.get $y) (local.get $x)))
        (local.set $x (i8x16.swizzle (local.get $x) (local.get $y)))
        (local.set $y (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get $x) (local.get $y)))
        (local.set $x (v128.xor (local.get $x) (i16x8.narrow_i32x4_s (local.get $y) (local.get $acc))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.extend_low_i16x8_u (local.get $x))))
        (local.set $acc (v128.bitselect (local.get $acc) (local.get $y) (i8x16.lt_u (local.get $x) (local.get $y))))
        (local.set $h (i32.add (local.get $h) (i32.add (i8x16.bitmask (local.get $x)) (i16x8.extract_lane_s 3 (local.get $y)))))
        (v128.store (local.get $p) (local.get $x))
        (br_if $inner (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (i32.const 1024))))
      (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (local.get $h) (i32x4.extract_lane 0 (local.get $acc)))))
