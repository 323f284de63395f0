// Mandelbrot set on an n x n grid, up to 200 iterations per point: f64
// multiply/add chains with data-dependent loop exits.
#include "kernel.h"

int run(int n) {
  u32 h = 2166136261u;
  i32 inside = 0;
  for (i32 y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    for (i32 x = 0; x < n; x++) {
      double cr = 2.5 * x / n - 2.0;
      double zr = 0, zi = 0;
      i32 it = 0;
      for (; it < 200; it++) {
        double zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) break;
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
      }
      inside += it == 200;
      h = mix(h, (u32)it);
    }
  }
  return (i32)(h ^ (u32)inside);
}
