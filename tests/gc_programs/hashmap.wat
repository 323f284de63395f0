;; A churning hash map: separate chaining over an array of buckets. Each step
;; toggles key (s * 2654435761) mod $keys: removed if present, inserted (a new
;; entry) otherwise, so entries are allocated and dropped continually while
;; the live set stays near $keys / 2 entries. Returns the number of keys present;
;; "checksum" returns the sum of the present keys' values (each value = key + 1).
(module
  (type $entry (struct (field $key i32) (field $val i32) (field $next (mut (ref null $entry)))))
  (type $buckets (array (mut (ref null $entry))))
  (global $map (mut (ref null $buckets)) (ref.null $buckets))
  (global $count (mut i32) (i32.const 0))
  ;; Removes `key` from its bucket; returns 1 if it was there.
  (func $remove (param $b (ref $buckets)) (param $h i32) (param $key i32) (result i32)
    (local $e (ref null $entry)) (local $prev (ref null $entry))
    (local.set $e (array.get $buckets (local.get $b) (local.get $h)))
    (block $absent
      (loop $find
        (br_if $absent (ref.is_null (local.get $e)))
        (if (i32.eq (struct.get $entry $key (local.get $e)) (local.get $key))
          (then
            (if (ref.is_null (local.get $prev))
              (then (array.set $buckets (local.get $b) (local.get $h)
                      (struct.get $entry $next (local.get $e))))
              (else (struct.set $entry $next (local.get $prev)
                      (struct.get $entry $next (local.get $e)))))
            (return (i32.const 1))))
        (local.set $prev (local.get $e))
        (local.set $e (struct.get $entry $next (local.get $e)))
        (br $find)))
    (i32.const 0))
  (func (export "run") (param $steps i32) (param $keys i32) (param $nbuckets i32) (result i32)
    (local $s i32) (local $key i32) (local $h i32) (local $b (ref null $buckets))
    (local.set $b (array.new_default $buckets (local.get $nbuckets)))
    (global.set $map (local.get $b))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $s) (local.get $steps)))
        (local.set $key (i32.rem_u (i32.mul (local.get $s) (i32.const 2654435761))
                                   (local.get $keys)))
        (local.set $h (i32.rem_u (local.get $key) (local.get $nbuckets)))
        (if (call $remove (ref.as_non_null (local.get $b)) (local.get $h) (local.get $key))
          (then (global.set $count (i32.sub (global.get $count) (i32.const 1))))
          (else
            (array.set $buckets (local.get $b) (local.get $h)
              (struct.new $entry (local.get $key) (i32.add (local.get $key) (i32.const 1))
                (array.get $buckets (local.get $b) (local.get $h))))
            (global.set $count (i32.add (global.get $count) (i32.const 1)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $step)))
    (global.get $count))
  (func (export "checksum") (result i64)
    (local $i i32) (local $e (ref null $entry)) (local $sum i64) (local $b (ref null $buckets))
    (local.set $b (global.get $map))
    (block $done
      (loop $bucket
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $b))))
        (local.set $e (array.get $buckets (local.get $b) (local.get $i)))
        (block $end
          (loop $chain
            (br_if $end (ref.is_null (local.get $e)))
            (local.set $sum (i64.add (local.get $sum)
              (i64.extend_i32_u (struct.get $entry $val (local.get $e)))))
            (local.set $e (struct.get $entry $next (local.get $e)))
            (br $chain)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $bucket)))
    (local.get $sum)))
