// The native reference: links one kernel compiled by clang -O2 for the host and
// runs it like the other runners (same n, same checksum), timing each call.
// Usage: kernel_native N [REPS]  -> prints "result <checksum>" and one
// "time <wall seconds> <CPU seconds>" line per repetition.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int run(int n);

static double now(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
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
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    int result = run(n);
    double t1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
    if (r == 0) {
      first = result;
      printf("result %d\n", result);
    } else if (result != first) {
      // A kernel must be a pure function of n; anything else is a kernel bug.
      fprintf(stderr, "result changed between repetitions: %d then %d\n", first, result);
      return 1;
    }
    printf("time %.9f %.9f\n", t1 - t0, c1 - c0);
  }
  return 0;
}
