// f64 matrix multiply, n x n (n <= 384). The inputs are small multiples of 0.5,
// so every product and partial sum is exact and the checksum does not depend on
// the order of additions (a vectorizing native compiler gives the same bits).
#include "kernel.h"

#define MAXN 384
static double A[MAXN * MAXN], B[MAXN * MAXN], C[MAXN * MAXN];

int run(int n) {
  if (n > MAXN) n = MAXN;
  for (i32 i = 0; i < n; i++)
    for (i32 j = 0; j < n; j++) {
      A[i * n + j] = (double)((i + 2 * j) % 17) * 0.5 - 4.0;
      B[i * n + j] = (double)((3 * i + j) % 13) * 0.5 - 3.0;
      C[i * n + j] = 0.0;
    }
  // i-k-j order: the inner loop streams rows of B and C.
  for (i32 i = 0; i < n; i++)
    for (i32 k = 0; k < n; k++) {
      double a = A[i * n + k];
      for (i32 j = 0; j < n; j++) C[i * n + j] += a * B[k * n + j];
    }
  u32 h = 2166136261u;
  for (i32 i = 0; i < n * n; i++) h = mix(h, (u32)(i64)C[i]);
  return (i32)h;
}
