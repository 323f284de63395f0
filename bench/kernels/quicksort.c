// Quicksort of n pseudo-random ints (n <= 4M): compares, swaps and recursion.
// The result checks that the array is sorted and mixes in sampled elements.
#include "kernel.h"

#define MAXN (4 << 20)
static i32 a[MAXN];

static void sort(i32* v, i32 lo, i32 hi) {
  while (hi - lo > 16) {
    i32 pivot = v[lo + (hi - lo) / 2];
    i32 i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        i32 t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    // Recurse into the smaller half so the depth stays O(log n).
    if (j - lo < hi - i) {
      sort(v, lo, j);
      lo = i;
    } else {
      sort(v, i, hi);
      hi = j;
    }
  }
  for (i32 k = lo + 1; k <= hi; k++) {
    i32 x = v[k], m = k - 1;
    while (m >= lo && v[m] > x) {
      v[m + 1] = v[m];
      m--;
    }
    v[m + 1] = x;
  }
}

int run(int n) {
  if (n > MAXN) n = MAXN;
  u32 seed = 2463534242u;
  for (i32 i = 0; i < n; i++) a[i] = (i32)(xorshift32(&seed) >> 1) - 0x20000000;
  if (n > 0) sort(a, 0, n - 1);
  u32 h = 2166136261u;
  for (i32 i = 1; i < n; i++)
    if (a[i - 1] > a[i]) return -1;  // not sorted: a wrong result, never a valid checksum
  for (i32 i = 0; i < n; i += 97) h = mix(h, (u32)a[i]);
  return (i32)h;
}
