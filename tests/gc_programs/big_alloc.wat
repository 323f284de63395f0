;; Allocation volume with a bounded live set: $count arrays of 512 i64 (4 KiB
;; each) go through a ring of 8192 slots (a 32 MiB live set), each replacing
;; the array allocated 8192 steps earlier. Every array records its sequence
;; number in its first and last element; "run" returns the sum of the first
;; elements of the ring's arrays, verifying the last ones along the way (-1 if
;; any array was damaged).
(module
  (type $block (array (mut i64)))
  (type $ring (array (mut (ref null $block))))
  (func (export "run") (param $count i64) (result i64)
    (local $ring (ref null $ring)) (local $i i64) (local $a (ref null $block))
    (local $slot i32) (local $sum i64)
    (local.set $ring (array.new_default $ring (i32.const 8192)))
    (block $done
      (loop $alloc
        (br_if $done (i64.ge_u (local.get $i) (local.get $count)))
        (local.set $a (array.new_default $block (i32.const 512)))
        (array.set $block (local.get $a) (i32.const 0) (local.get $i))
        (array.set $block (local.get $a) (i32.const 511) (local.get $i))
        (array.set $ring (local.get $ring)
          (i32.wrap_i64 (i64.and (local.get $i) (i64.const 8191))) (local.get $a))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $alloc)))
    (block $summed
      (loop $sum
        (br_if $summed (i32.ge_u (local.get $slot) (i32.const 8192)))
        (local.set $a (array.get $ring (local.get $ring) (local.get $slot)))
        (if (i32.eqz (ref.is_null (local.get $a)))
          (then
            (if (i64.ne (array.get $block (local.get $a) (i32.const 0))
                        (array.get $block (local.get $a) (i32.const 511)))
              (then (return (i64.const -1))))
            (local.set $sum
              (i64.add (local.get $sum) (array.get $block (local.get $a) (i32.const 0))))))
        (local.set $slot (i32.add (local.get $slot) (i32.const 1)))
        (br $sum)))
    (local.get $sum)))
