// The native reference: links one kernel compiled by clang -O2 for the host and
// runs it like the other runners (same n, same checksum), timing each call.
// Usage: kernel_native N [REPS]  -> prints "result <checksum>" and one
// "time <seconds>" line per repetition.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int run(int n);

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s N [REPS]\n", argv[0]);
    return 2;
  }
  int n = atoi(argv[1]);
  int reps = argc > 2 ? atoi(argv[2]) : 1;
  int first = 0;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    int result = run(n);
    double t1 = now();
    if (r == 0) {
      first = result;
      printf("result %d\n", result);
    } else if (result != first) {
      // A kernel must be a pure function of n; anything else is a kernel bug.
      fprintf(stderr, "result changed between repetitions: %d then %d\n", first, result);
      return 1;
    }
    printf("time %.9f\n", t1 - t0);
  }
  return 0;
}
