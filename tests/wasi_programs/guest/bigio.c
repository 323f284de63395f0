// bigio MODE [PATH]: moves 64 MiB through single large read()/write() calls,
// looping whenever the runtime transfers less than asked (a short read or
// write), and prints FNV-1a-64 checksums so the host can verify every byte.
//   file PATH  writes the pattern to PATH with one write() call (plus however
//              many the short writes need), reads it back the same way, checks
//              a pread() in the middle, prints "size", "write_calls",
//              "read_calls", "sum" lines
//   stdout     writes the pattern to stdout (waiting in poll() when a
//              non-blocking stdout is full); prints "sum", "write_calls",
//              "waits" lines on stderr
//   stdin      reads stdin to EOF into one buffer; prints "size", "read_calls",
//              "sum" on stdout
// The pattern is xorshift64 (seed 0x9e3779b97f4a7c15), low byte of each step.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIZE (64u << 20)

static uint64_t fnv1a(const unsigned char* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static void fill(unsigned char* p, size_t n) {
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p[i] = (unsigned char)x;
  }
}

// Counts the write() calls that transferred something; on a non-blocking fd
// that is full (EAGAIN) it waits in poll() for POLLOUT, counted in *waits.
static long write_all(int fd, const unsigned char* p, size_t n, long* waits) {
  long calls = 0;
  *waits = 0;
  for (size_t done = 0; done < n;) {
    ssize_t w = write(fd, p + done, n - done);
    if (w < 0 && errno == EAGAIN) {
      struct pollfd pfd = {.fd = fd, .events = POLLOUT};
      if (poll(&pfd, 1, -1) != 1 || !(pfd.revents & POLLOUT)) {
        perror("poll");
        exit(1);
      }
      ++*waits;
      continue;
    }
    ++calls;
    if (w <= 0) {
      perror("write");
      exit(1);
    }
    done += (size_t)w;
  }
  return calls;
}

// Reads until EOF or `cap` bytes; returns the byte count and stores the number
// of read() calls (including the one that saw EOF when it was reached).
static size_t read_all(int fd, unsigned char* p, size_t cap, long* calls) {
  size_t done = 0;
  *calls = 0;
  while (done < cap) {
    ssize_t r = read(fd, p + done, cap - done);
    ++*calls;
    if (r < 0) {
      perror("read");
      exit(1);
    }
    if (r == 0) break;
    done += (size_t)r;
  }
  return done;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  unsigned char* a = malloc(SIZE);
  unsigned char* b = malloc(SIZE + 1);
  if (!a || !b) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  if (!strcmp(argv[1], "file") && argc == 3) {
    fill(a, SIZE);
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      perror(argv[2]);
      return 1;
    }
    long waits;
    long wcalls = write_all(fd, a, SIZE, &waits);
    close(fd);
    fd = open(argv[2], O_RDONLY);
    if (fd < 0) {
      perror(argv[2]);
      return 1;
    }
    long rcalls;
    // Asks for one byte more than was written: the file must end exactly there.
    size_t got = read_all(fd, b, SIZE + 1, &rcalls);
    if (got != SIZE || memcmp(a, b, SIZE) != 0) {
      fprintf(stderr, "read back %zu bytes, %s\n", got,
              got == SIZE ? "contents differ" : "size differs");
      return 1;
    }
    unsigned char mid[4096];
    off_t off = (off_t)SIZE / 2 + 12345;
    if (pread(fd, mid, sizeof mid, off) != (ssize_t)sizeof mid ||
        memcmp(mid, a + off, sizeof mid) != 0) {
      fprintf(stderr, "pread in the middle returned other data\n");
      return 1;
    }
    close(fd);
    printf("size %zu\nwrite_calls %ld\nread_calls %ld\nsum %016llx\n", got, wcalls, rcalls,
           (unsigned long long)fnv1a(b, got));
    return 0;
  }
  if (!strcmp(argv[1], "stdout")) {
    fill(a, SIZE);
    long waits;
    long wcalls = write_all(1, a, SIZE, &waits);
    fprintf(stderr, "sum %016llx\nwrite_calls %ld\nwaits %ld\n", (unsigned long long)fnv1a(a, SIZE),
            wcalls, waits);
    return 0;
  }
  if (!strcmp(argv[1], "stdin")) {
    long rcalls;
    size_t got = read_all(0, b, SIZE + 1, &rcalls);
    printf("size %zu\nread_calls %ld\nsum %016llx\n", got, rcalls,
           (unsigned long long)fnv1a(b, got));
    return 0;
  }
  return 2;
}
