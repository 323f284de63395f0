// walk DIR: lists the tree under DIR with nftw() (which reads directories with
// opendir/readdir, i.e. fd_readdir) without following symlinks. One line per
// entry, in the order nftw visits them (a directory before its contents):
//   d REL            directory
//   f REL SIZE       regular file
//   l REL -> TARGET  symbolic link
// REL is the path relative to DIR; the root itself is not printed.
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t root_len;

static int visit(const char* path, const struct stat* st, int type, struct FTW* ftw) {
  if (ftw->level == 0) return 0;
  const char* rel = path + root_len + 1;
  switch (type) {
    case FTW_D: printf("d %s\n", rel); break;
    case FTW_F: printf("f %s %lld\n", rel, (long long)st->st_size); break;
    case FTW_SL:
    case FTW_SLN: {
      char target[4096];
      ssize_t n = readlink(path, target, sizeof target - 1);
      if (n < 0) {
        perror(path);
        return 1;
      }
      target[n] = '\0';
      printf("l %s -> %s\n", rel, target);
      break;
    }
    default: fprintf(stderr, "%s: unexpected nftw type %d\n", path, type); return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: walk DIR\n");
    return 2;
  }
  root_len = strlen(argv[1]);
  int rc = nftw(argv[1], visit, 16, FTW_PHYS);
  if (rc != 0) {
    perror("nftw");
    return 1;
  }
  return 0;
}
