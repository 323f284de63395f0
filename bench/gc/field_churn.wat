;; Struct field churn: a pool of $n particle structs (mutable f64 position and
;; velocity, an i32 counter, a reference to a boxed "cell" struct). Each step
;; updates every particle's fields and replaces its cell with a new struct every
;; 4th update, so field reads/writes dominate with a steady trickle of garbage.
;; Returns a checksum of the counters and rounded positions.
(module
  (type $cell (struct (field $id i32)))
  (type $particle (struct (field $x (mut f64)) (field $v (mut f64)) (field $n (mut i32))
                          (field $cell (mut (ref $cell)))))
  (type $pool (array (mut (ref null $particle))))
  (func (export "run") (param $n i32) (param $steps i32) (result i32)
    (local $pool (ref null $pool)) (local $i i32) (local $s i32) (local $p (ref null $particle))
    (local $sum i32)
    (local.set $pool (array.new_default $pool (local.get $n)))
    (block $made
      (loop $make
        (br_if $made (i32.ge_u (local.get $i) (local.get $n)))
        (array.set $pool (local.get $pool) (local.get $i)
          (struct.new $particle (f64.convert_i32_u (local.get $i)) (f64.const 0.5) (i32.const 0)
                                (struct.new $cell (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $make)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $s) (local.get $steps)))
        (local.set $i (i32.const 0))
        (block $all
          (loop $each
            (br_if $all (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $p (array.get $pool (local.get $pool) (local.get $i)))
            (struct.set $particle $x (local.get $p)
              (f64.add (struct.get $particle $x (local.get $p))
                       (struct.get $particle $v (local.get $p))))
            (struct.set $particle $v (local.get $p)
              (f64.mul (struct.get $particle $v (local.get $p)) (f64.const 0.999)))
            (struct.set $particle $n (local.get $p)
              (i32.add (struct.get $particle $n (local.get $p)) (i32.const 1)))
            (if (i32.eqz (i32.and (struct.get $particle $n (local.get $p)) (i32.const 3)))
              (then (struct.set $particle $cell (local.get $p)
                      (struct.new $cell (i32.add (local.get $s) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $each)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $step)))
    (local.set $i (i32.const 0))
    (block $summed
      (loop $sumloop
        (br_if $summed (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (array.get $pool (local.get $pool) (local.get $i)))
        (local.set $sum (i32.add (local.get $sum)
          (i32.add (struct.get $particle $n (local.get $p))
            (i32.add (struct.get $cell $id (struct.get $particle $cell (local.get $p)))
                     (i32.trunc_f64_s (struct.get $particle $x (local.get $p)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sumloop)))
    (local.get $sum)))
