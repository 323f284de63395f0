;; Cycles reachable only through globals and tables. Each round builds a ring
;; of $k nodes (each carrying a 1 KiB array tagged with the round number), and
;; stores it in the global $g and, externalized, in slot (round mod 16) of the
;; externref table $t, replacing older rings, which become cyclic garbage.
;; "verify" walks the global's ring and every table ring, checks that each is a
;; closed ring of $k nodes whose arrays all carry one round number, and returns
;; the sum of those round numbers (or -1 on a broken ring).
(module
  (type $bytes (array (mut i8)))
  (type $node (struct (field $next (mut (ref null $node))) (field $data (ref $bytes))))
  (global $g (mut (ref null $node)) (ref.null $node))
  (table $t 16 externref)
  (func $ring (param $k i32) (param $round i32) (result (ref $node))
    (local $first (ref null $node)) (local $n (ref null $node)) (local $i i32)
    (local.set $first
      (struct.new $node (ref.null $node) (array.new $bytes (local.get $round) (i32.const 1024))))
    (local.set $n (local.get $first))
    (local.set $i (i32.const 1))
    (block $done
      (loop $add
        (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
        (local.set $n
          (struct.new $node (local.get $n) (array.new $bytes (local.get $round) (i32.const 1024))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
    ;; close the ring: first.next = last
    (struct.set $node $next (local.get $first) (local.get $n))
    (ref.as_non_null (local.get $n)))
  (func (export "run") (param $rounds i32) (param $k i32)
    (local $r i32) (local $ring (ref null $node))
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $r) (local.get $rounds)))
        (local.set $ring (call $ring (local.get $k) (i32.and (local.get $r) (i32.const 127))))
        (global.set $g (local.get $ring))
        (table.set $t (i32.and (local.get $r) (i32.const 15))
          (extern.convert_any (local.get $ring)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round))))
  ;; Length of the ring at `start` if every array holds the same tag, else -1;
  ;; the tag goes to $tag.
  (global $tag (mut i32) (i32.const 0))
  (func $walk (param $start (ref $node)) (param $k i32) (result i32)
    (local $n (ref null $node)) (local $len i32)
    (global.set $tag
      (array.get_u $bytes (struct.get $node $data (local.get $start)) (i32.const 0)))
    (local.set $n (local.get $start))
    (loop $step
      (if (i32.ne (array.get_u $bytes (struct.get $node $data (local.get $n)) (i32.const 1023))
                  (global.get $tag))
        (then (return (i32.const -1))))
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (if (i32.gt_u (local.get $len) (local.get $k)) (then (return (i32.const -1))))
      (local.set $n (struct.get $node $next (local.get $n)))
      (br_if $step (i32.eqz (ref.eq (local.get $n) (local.get $start)))))
    (local.get $len))
  (func (export "verify") (param $k i32) (result i32)
    (local $i i32) (local $sum i32)
    (if (i32.ne (call $walk (ref.as_non_null (global.get $g)) (local.get $k)) (local.get $k))
      (then (return (i32.const -1))))
    (local.set $sum (global.get $tag))
    (block $done
      (loop $slot
        (br_if $done (i32.ge_u (local.get $i) (i32.const 16)))
        (if (i32.ne (call $walk (ref.cast (ref $node) (any.convert_extern
                                  (table.get $t (local.get $i))))
                                (local.get $k))
                    (local.get $k))
          (then (return (i32.const -1))))
        (local.set $sum (i32.add (local.get $sum) (global.get $tag)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $slot)))
    (local.get $sum)))
