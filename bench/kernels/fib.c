// Recursive Fibonacci: call overhead, tiny functions, deep recursion.
#include "kernel.h"

static i32 fib(i32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int run(int n) { return fib(n); }
