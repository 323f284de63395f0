// clocks: sleeps 50 ms with nanosleep() and reports, one per line:
//   slept_ns N     the monotonic clock's advance across the sleep
//   realtime_ns N  the realtime clock after the sleep
//   res_ns N       the monotonic clock's resolution
//   monotonic_ok   when 1000 consecutive monotonic reads never went backwards
#include <stdio.h>
#include <time.h>

static long long ns(const struct timespec* t) {
  return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void) {
  struct timespec a, b, rt, res;
  struct timespec req = {0, 50 * 1000 * 1000};
  if (clock_gettime(CLOCK_MONOTONIC, &a) != 0) return 1;
  if (nanosleep(&req, NULL) != 0) {
    perror("nanosleep");
    return 1;
  }
  if (clock_gettime(CLOCK_MONOTONIC, &b) != 0) return 1;
  if (clock_gettime(CLOCK_REALTIME, &rt) != 0) return 1;
  if (clock_getres(CLOCK_MONOTONIC, &res) != 0) return 1;
  printf("slept_ns %lld\n", ns(&b) - ns(&a));
  printf("realtime_ns %lld\n", ns(&rt));
  printf("res_ns %lld\n", ns(&res));
  long long prev = ns(&b);
  for (int i = 0; i < 1000; ++i) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (ns(&t) < prev) {
      printf("monotonic went backwards\n");
      return 1;
    }
    prev = ns(&t);
  }
  printf("monotonic_ok\n");
  return 0;
}
