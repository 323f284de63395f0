// exits MODE: ends the way MODE says, after printing "start" on stdout
// (buffered, not flushed, so exiting must flush stdio):
//   exit0, exit42     exit(0), exit(42)
//   return0, return7  return from main
//   abort             abort(), which traps in wasm
//   proc_exit255      __wasi_proc_exit(255) directly, skipping libc's atexit
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const char* m = argv[1];
  printf("start");
  if (!strcmp(m, "exit0")) exit(0);
  if (!strcmp(m, "exit42")) exit(42);
  if (!strcmp(m, "return0")) return 0;
  if (!strcmp(m, "return7")) return 7;
  if (!strcmp(m, "abort")) {
    fflush(stdout);
    abort();
  }
  if (!strcmp(m, "proc_exit255")) __wasi_proc_exit(255);
  return 99;
}
