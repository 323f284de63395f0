;; A linked list of arrays, rebuilt every round: $n cells, each holding an i64
;; array of $len elements numbered 0 .. n*len-1. Each round builds the list,
;; walks it and sums every element; the previous round's list is garbage.
;; Returns the last round's sum (n*len*(n*len-1)/2).
(module
  (type $arr (array (mut i64)))
  (type $cell (struct (field $data (ref $arr)) (field $next (ref null $cell))))
  (func (export "run") (param $rounds i32) (param $n i32) (param $len i32) (result i64)
    (local $r i32) (local $i i32) (local $j i32) (local $head (ref null $cell))
    (local $a (ref null $arr)) (local $sum i64) (local $c (ref null $cell))
    (block $rounds_done
      (loop $round
        (br_if $rounds_done (i32.ge_u (local.get $r) (local.get $rounds)))
        (local.set $head (ref.null $cell))
        (local.set $i (i32.const 0))
        (block $built
          (loop $build
            (br_if $built (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $a (array.new_default $arr (local.get $len)))
            (local.set $j (i32.const 0))
            (block $filled
              (loop $fill
                (br_if $filled (i32.ge_u (local.get $j) (local.get $len)))
                (array.set $arr (local.get $a) (local.get $j)
                  (i64.extend_i32_u
                    (i32.add (i32.mul (local.get $i) (local.get $len)) (local.get $j))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $fill)))
            (local.set $head
              (struct.new $cell (ref.as_non_null (local.get $a)) (local.get $head)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $build)))
        (local.set $sum (i64.const 0))
        (local.set $c (local.get $head))
        (block $walked
          (loop $walk
            (br_if $walked (ref.is_null (local.get $c)))
            (local.set $a (struct.get $cell $data (local.get $c)))
            (local.set $j (i32.const 0))
            (block $summed
              (loop $sumloop
                (br_if $summed (i32.ge_u (local.get $j) (array.len (local.get $a))))
                (local.set $sum
                  (i64.add (local.get $sum) (array.get $arr (local.get $a) (local.get $j))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $sumloop)))
            (local.set $c (struct.get $cell $next (local.get $c)))
            (br $walk)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (local.get $sum)))
