// readonly DIR: tries every kind of change inside DIR (a read-only preopen,
// with DIR/data.txt present) and prints "OP: ok" or "OP: errno N" per attempt.
// Reading must still work: "read: ok <contents>".
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[4096], path2[4096];
static const char* dir;

static const char* at(char* buf, const char* name) {
  snprintf(buf, 4096, "%s/%s", dir, name);
  return buf;
}

static void report(const char* op, int rc) {
  if (rc < 0) {
    printf("%s: errno %d\n", op, errno);
  } else {
    printf("%s: ok\n", op);
  }
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  dir = argv[1];
  int fd = open(at(path, "data.txt"), O_RDONLY);
  char buf[64] = {0};
  if (fd < 0 || read(fd, buf, sizeof buf - 1) < 0) {
    printf("read: errno %d\n", errno);
  } else {
    printf("read: ok %s\n", buf);
  }
  if (fd >= 0) close(fd);

  // wasi-libc asks only for the rights the directory can hand down, so an
  // O_WRONLY open succeeds with an fd lacking fd_write, and write() fails.
  fd = open(at(path, "data.txt"), O_WRONLY);
  report("open wronly", fd);
  errno = 0;
  report("write", (int)write(fd, "x", 1));
  if (fd >= 0) close(fd);
  fd = open(at(path, "data.txt"), O_RDWR | O_APPEND);
  report("open append", fd);
  report("append write", (int)write(fd, "x", 1));
  if (fd >= 0) close(fd);
  report("open trunc", open(at(path, "data.txt"), O_WRONLY | O_TRUNC));
  report("create", open(at(path, "new.txt"), O_WRONLY | O_CREAT, 0644));
  report("fopen w", fopen(at(path, "data.txt"), "w") ? 0 : -1);
  report("truncate", truncate(at(path, "data.txt"), 0));
  report("unlink", unlink(at(path, "data.txt")));
  report("mkdir", mkdir(at(path, "sub"), 0755));
  report("rmdir", rmdir(at(path, "keep")));
  report("rename", rename(at(path, "data.txt"), at(path2, "moved.txt")));
  report("symlink", symlink("data.txt", at(path, "link")));
  report("link", link(at(path, "data.txt"), at(path2, "hard")));
  return 0;
}
