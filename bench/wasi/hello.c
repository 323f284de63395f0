// The start-up benchmark's module: the smallest useful WASI command, so the
// measurement is the runtime's own cost (load, compile, instantiate, one
// fd_write, exit).
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
