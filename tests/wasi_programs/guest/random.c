// random: prints 64 bytes from random_get (called directly) and 64 from
// getentropy() (wasi-libc's wrapper over it), each as one line of hex.
#include <stdio.h>
#include <unistd.h>
#include <wasi/api.h>

static void hex(const unsigned char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) printf("%02x", p[i]);
  printf("\n");
}

int main(void) {
  unsigned char a[64], b[64];
  __wasi_errno_t e = __wasi_random_get(a, sizeof a);
  if (e != 0) {
    fprintf(stderr, "random_get: errno %d\n", e);
    return 1;
  }
  if (getentropy(b, sizeof b) != 0) {
    perror("getentropy");
    return 1;
  }
  hex(a, sizeof a);
  hex(b, sizeof b);
  return 0;
}
