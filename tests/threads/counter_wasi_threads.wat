;; wasi-threads guest: _start spawns 4 threads that each add 1 to a shared
;; counter 2,500,000 times with i32.atomic.rmw.add, waits for all of them with
;; memory.atomic.wait32 on a "done" counter, prints the total and exits 0 only
;; if it is exactly 10,000,000 (any lost update shows up as a smaller count).
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))
  ;; [0] counter, [4] threads done, [64] iovec, [72] nwritten, [100..120) digits
  (func (export "wasi_thread_start") (param $tid i32) (param $n i32)
    (local $i i32)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))
  (func (export "_start")
    (local $k i32) (local $done i32) (local $v i32) (local $p i32)
    (loop $s
      (if (i32.lt_s (call $spawn (i32.const 2500000)) (i32.const 1))
        (then (call $exit (i32.const 3))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $s (i32.lt_u (local.get $k) (i32.const 4))))
    (block $all
      (loop $w
        (local.set $done (i32.atomic.load (i32.const 4)))
        (br_if $all (i32.eq (local.get $done) (i32.const 4)))
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $done) (i64.const -1)))
        (br $w)))
    ;; decimal digits of the counter, then a newline
    (local.set $v (i32.atomic.load (i32.const 0)))
    (local.set $p (i32.const 119))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $d (local.get $v)))
    (i32.store (i32.const 64) (local.get $p))
    (i32.store (i32.const 68) (i32.sub (i32.const 120) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72)))
    (call $exit (i32.ne (i32.atomic.load (i32.const 0)) (i32.const 10000000))))
)
