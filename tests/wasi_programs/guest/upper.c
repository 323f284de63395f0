// upper: a stdin-to-stdout filter. Copies stdin to stdout with ASCII letters
// upper-cased, and on exit prints "lines=N bytes=N" to stderr.
#include <ctype.h>
#include <stdio.h>

int main(void) {
  char buf[8192];
  long long lines = 0, bytes = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    for (size_t i = 0; i < n; ++i) {
      if (buf[i] == '\n') ++lines;
      buf[i] = (char)toupper((unsigned char)buf[i]);
    }
    bytes += (long long)n;
    if (fwrite(buf, 1, n, stdout) != n) {
      perror("fwrite");
      return 1;
    }
  }
  if (ferror(stdin)) {
    perror("fread");
    return 1;
  }
  fprintf(stderr, "lines=%lld bytes=%lld\n", lines, bytes);
  return 0;
}
