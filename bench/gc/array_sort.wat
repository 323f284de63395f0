;; Array sort: fills an i32 array of $n elements from an LCG, sorts it with a
;; bottom-up merge sort that allocates a fresh scratch array for every pass, and
;; repeats $rounds times. Returns a checksum of the last sorted array (or -1 if
;; it is not sorted).
(module
  (type $arr (array (mut i32)))
  (func $merge_pass (param $src (ref $arr)) (param $dst (ref $arr)) (param $width i32)
    (local $n i32) (local $lo i32) (local $mid i32) (local $hi i32)
    (local $i i32) (local $j i32) (local $k i32) (local $take_left i32)
    (local.set $n (array.len (local.get $src)))
    (block $done
      (loop $runs
        (br_if $done (i32.ge_u (local.get $lo) (local.get $n)))
        (local.set $mid (i32.add (local.get $lo) (local.get $width)))
        (if (i32.gt_u (local.get $mid) (local.get $n)) (then (local.set $mid (local.get $n))))
        (local.set $hi (i32.add (local.get $mid) (local.get $width)))
        (if (i32.gt_u (local.get $hi) (local.get $n)) (then (local.set $hi (local.get $n))))
        (local.set $i (local.get $lo))
        (local.set $j (local.get $mid))
        (local.set $k (local.get $lo))
        (block $merged
          (loop $merge
            (br_if $merged (i32.ge_u (local.get $k) (local.get $hi)))
            ;; take from the left run unless it is exhausted or the right head is smaller
            (local.set $take_left (i32.lt_u (local.get $i) (local.get $mid)))
            (if (i32.and (local.get $take_left) (i32.lt_u (local.get $j) (local.get $hi)))
              (then (local.set $take_left
                      (i32.le_s (array.get $arr (local.get $src) (local.get $i))
                                (array.get $arr (local.get $src) (local.get $j))))))
            (if (local.get $take_left)
              (then
                (array.set $arr (local.get $dst) (local.get $k)
                  (array.get $arr (local.get $src) (local.get $i)))
                (local.set $i (i32.add (local.get $i) (i32.const 1))))
              (else
                (array.set $arr (local.get $dst) (local.get $k)
                  (array.get $arr (local.get $src) (local.get $j)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $merge)))
        (local.set $lo (local.get $hi))
        (br $runs))))
  (func (export "run") (param $n i32) (param $rounds i32) (result i32)
    (local $r i32) (local $a (ref null $arr)) (local $b (ref null $arr)) (local $i i32)
    (local $seed i32) (local $width i32) (local $sum i32)
    (local.set $seed (i32.const 12345))
    (block $rounds_done
      (loop $round
        (br_if $rounds_done (i32.ge_u (local.get $r) (local.get $rounds)))
        (local.set $a (array.new_default $arr (local.get $n)))
        (local.set $i (i32.const 0))
        (block $filled
          (loop $fill
            (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $seed (i32.add (i32.mul (local.get $seed) (i32.const 1103515245))
                                      (i32.const 12345)))
            (array.set $arr (local.get $a) (local.get $i)
              (i32.shr_u (local.get $seed) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $fill)))
        (local.set $width (i32.const 1))
        (block $sorted
          (loop $pass
            (br_if $sorted (i32.ge_u (local.get $width) (local.get $n)))
            (local.set $b (array.new_default $arr (local.get $n)))
            (call $merge_pass (ref.as_non_null (local.get $a)) (ref.as_non_null (local.get $b))
                              (local.get $width))
            (local.set $a (local.get $b))
            (local.set $width (i32.shl (local.get $width) (i32.const 1)))
            (br $pass)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (local.set $i (i32.const 1))
    (block $checked
      (loop $check
        (br_if $checked (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.gt_s (array.get $arr (local.get $a) (i32.sub (local.get $i) (i32.const 1)))
                      (array.get $arr (local.get $a) (local.get $i)))
          (then (return (i32.const -1))))
        (local.set $sum (i32.add (i32.mul (local.get $sum) (i32.const 31))
                                 (array.get $arr (local.get $a) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $check)))
    (local.get $sum)))
