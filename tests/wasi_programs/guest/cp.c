// cp SRC DST [BUFSIZE]: copies SRC to DST with read()/write() through a buffer
// of BUFSIZE bytes (default 64 KiB), looping on short writes, and prints the
// number of bytes copied and how many read() calls it took.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: cp SRC DST [BUFSIZE]\n");
    return 2;
  }
  size_t bufsize = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 65536;
  char* buf = malloc(bufsize);
  int in = open(argv[1], O_RDONLY);
  if (in < 0) {
    perror(argv[1]);
    return 1;
  }
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) {
    perror(argv[2]);
    return 1;
  }
  long long total = 0, reads = 0;
  for (;;) {
    ssize_t n = read(in, buf, bufsize);
    if (n < 0) {
      perror("read");
      return 1;
    }
    if (n == 0) break;
    ++reads;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, (size_t)(n - done));
      if (w <= 0) {
        perror("write");
        return 1;
      }
      done += w;
    }
    total += n;
  }
  if (close(out) != 0 || close(in) != 0) {
    perror("close");
    return 1;
  }
  printf("copied %lld bytes in %lld reads\n", total, reads);
  return 0;
}
