// A WASI guest (built with clang --target=wasm32-wasi by guest_program_test.cc)
// that probes the sandbox through wasi-libc, as real programs do: escapes via
// "..", absolute paths, symlinks and links, a read-only preopen, and ordinary
// file work. Each line it prints is "what: result"; the test compares them all.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char* what, int rc) {
  if (rc < 0) {
    printf("%s: errno %d\n", what, errno);
  } else {
    printf("%s: ok\n", what);
  }
}

int main(int argc, char** argv) {
  printf("argc: %d %s\n", argc, argc > 1 ? argv[1] : "");
  const char* env = getenv("PROBE");
  printf("env: %s\n", env ? env : "(unset)");
  printf("home: %s\n", getenv("HOME") ? "inherited" : "(unset)");

  // Escapes.
  report("open dotdot", open("/sandbox/../outside/canary.txt", O_RDONLY));
  report("open sub dotdot", open("/sandbox/sub/../../outside/canary.txt", O_RDONLY));
  report("open etc", open("/etc/passwd", O_RDONLY));
  report("symlink rel out", symlink("../outside/canary.txt", "/sandbox/evil"));
  report("open through it", open("/sandbox/evil", O_RDONLY));
  report("symlink abs", symlink("/etc/passwd", "/sandbox/abs"));
  report("rename out", rename("/sandbox/file.txt", "/sandbox/../outside/stolen"));
  report("link out", link("/sandbox/../outside/canary.txt", "/sandbox/hl"));
  report("mkdir out", mkdir("/sandbox/../outside/newdir", 0755));

  // Ordinary work inside.
  FILE* f = fopen("/sandbox/out.txt", "w");
  report("fopen w", f ? 0 : -1);
  fputs("written by the guest\n", f);
  fclose(f);
  char buf[64] = {0};
  int fd = open("/sandbox/out.txt", O_RDONLY);
  report("open r", fd);
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 8);
  printf("pread: %d %s", (int)n, buf);
  printf("lseek end: %d\n", (int)lseek(fd, 0, SEEK_END));
  close(fd);
  struct stat st;
  report("stat", stat("/sandbox/out.txt", &st));
  printf("size: %d\n", (int)st.st_size);
  DIR* d = opendir("/sandbox/sub");
  int entries = 0;
  for (struct dirent* e; d && (e = readdir(d));) entries += e->d_name[0] != '.';
  if (d) closedir(d);
  printf("sub entries: %d\n", entries);

  // The read-only preopen.
  report("ro read", open("/ro/data.txt", O_RDONLY));
  // wasi-libc limits the rights it asks for to what the directory can hand
  // down, so opening for writing yields an fd without the write right, and the
  // write itself is refused.
  int ro = open("/ro/data.txt", O_WRONLY);
  report("ro open for write", ro);
  report("ro write", (int)write(ro, "x", 1));
  report("ro truncate", open("/ro/data.txt", O_WRONLY | O_TRUNC));
  report("ro create", open("/ro/new.txt", O_WRONLY | O_CREAT, 0644));
  report("ro unlink", unlink("/ro/data.txt"));
  report("ro mkdir", mkdir("/ro/d", 0755));
  return 3;
}
