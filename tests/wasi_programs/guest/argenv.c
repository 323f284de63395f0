// argenv: prints its arguments and environment exactly, one per line:
// "argc N", then "argv[i]=VALUE" for each argument, then "env=ENTRY" for each
// environ entry in order.
#include <stdio.h>

extern char** environ;

int main(int argc, char** argv) {
  printf("argc %d\n", argc);
  for (int i = 0; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  for (char** e = environ; *e; ++e) printf("env=%s\n", *e);
  return 0;
}
