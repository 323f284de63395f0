;; Exceptions and atomics in a loop, for comparing tiers (docs/jit-baseline.md,
;; "Measurements"):
;;   /usr/bin/time -f %U build/cli/wasmrun run --tier=baseline --invoke run bench/exceptions_atomics.wat 8000000
;;   (--invoke atomics for the atomics loop, --invoke run_ref for catch_ref + drop;
;;   --tier=interp for the interpreter)
(module
  (tag $e (param i32))
  (func $f (param i32) (result i32)
    (if (i32.eqz (i32.and (local.get 0) (i32.const 7))) (then (throw $e (local.get 0))))
    (local.get 0))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (block $h (result i32)
        (try_table (result i32) (catch $e $h) (call $f (local.get $i))))
      (local.set $s (i32.add (local.get $s)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  ;; The same with catch_ref + drop: every exception escapes, so none is
  ;; recycled and each is left to the collector (docs/exceptions.md, "Lifetime").
  (func (export "run_ref") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (block $done
        (block $h (result i32 exnref)
          (try_table (result i32) (catch_ref $e $h) (call $f (local.get $i)))
          (local.set $s (i32.add (local.get $s)))
          (br $done))
        (drop)
        (local.set $s (i32.add (local.get $s))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  (memory 1 1 shared)
  (func (export "atomics") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (drop (i32.atomic.rmw.or (i32.const 4) (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.atomic.load (i32.const 0)))
)
