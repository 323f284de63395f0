// File descriptor behaviour: read/write, seek/tell, pread/pwrite, fdstat flags
// and rights, filestat and its times, readdir cookies, renumber, prestat.
#include "wasi_fixture.h"

namespace wasmrun::wasi::testing {
namespace {

using Fd = WasiFixture;

TEST_P(Fd, SeekTellAndReadWrite) {
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "data.bin", fd, oflags::kCreat), Errno::Success);
  uint32_t n = 0;
  ASSERT_EQ(Write(fd, "0123456789", &n), Errno::Success);
  EXPECT_EQ(n, 10u);
  uint32_t pos = Alloc(8);
  ASSERT_EQ(fd_tell(*ctx_, mem(), fd, pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 10u);
  ASSERT_EQ(fd_seek(*ctx_, mem(), fd, 3, static_cast<uint32_t>(Whence::Set), pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 3u);
  std::string got;
  ASSERT_EQ(Read(fd, 4, got), Errno::Success);
  EXPECT_EQ(got, "3456");
  ASSERT_EQ(fd_seek(*ctx_, mem(), fd, static_cast<uint64_t>(-2), 1, pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 5u);
  ASSERT_EQ(fd_seek(*ctx_, mem(), fd, static_cast<uint64_t>(-1), 2, pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 9u);
  // Before the start, bad whence: EINVAL.
  EXPECT_EQ(fd_seek(*ctx_, mem(), fd, static_cast<uint64_t>(-100), 1, pos), Errno::Inval);
  EXPECT_EQ(fd_seek(*ctx_, mem(), fd, 0, 3, pos), Errno::Inval);
  // Reading at EOF returns 0 bytes.
  ASSERT_EQ(fd_seek(*ctx_, mem(), fd, 0, 2, pos), Errno::Success);
  ASSERT_EQ(Read(fd, 4, got), Errno::Success);
  EXPECT_EQ(got, "");
  // An out-of-bounds result pointer faults without moving the file position.
  EXPECT_EQ(fd_tell(*ctx_, mem(), fd, static_cast<uint32_t>(mem_.size() - 4)), Errno::Fault);
  EXPECT_EQ(fd_close(*ctx_, mem(), fd), Errno::Success);
  EXPECT_EQ(fd_close(*ctx_, mem(), fd), Errno::BadF);
}

TEST_P(Fd, PreadPwriteDoNotMoveThePosition) {
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "p.bin", fd, oflags::kCreat), Errno::Success);
  ASSERT_EQ(Write(fd, "abcdef"), Errno::Success);
  uint32_t data = Put("XY"), iov = Alloc(8), n = Alloc(4), pos = Alloc(8);
  uint32_t len = 2;
  std::memcpy(mem_.data() + iov, &data, 4);
  std::memcpy(mem_.data() + iov + 4, &len, 4);
  ASSERT_EQ(fd_pwrite(*ctx_, mem(), fd, iov, 1, 1, n), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(n), 2u);
  ASSERT_EQ(fd_tell(*ctx_, mem(), fd, pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 6u);
  // Two iovecs, read at offset 0.
  uint32_t b1 = Alloc(3), b2 = Alloc(3), iovs = Alloc(16);
  uint32_t three = 3;
  std::memcpy(mem_.data() + iovs, &b1, 4);
  std::memcpy(mem_.data() + iovs + 4, &three, 4);
  std::memcpy(mem_.data() + iovs + 8, &b2, 4);
  std::memcpy(mem_.data() + iovs + 12, &three, 4);
  ASSERT_EQ(fd_pread(*ctx_, mem(), fd, iovs, 2, 0, n), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(n), 6u);
  EXPECT_EQ(Bytes(b1, 3) + Bytes(b2, 3), "aXYdef");
  ASSERT_EQ(fd_tell(*ctx_, mem(), fd, pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 6u);
  // An iovec pointing past the end of memory faults.
  uint32_t bad = Alloc(8);
  uint32_t far = static_cast<uint32_t>(mem_.size() - 2);
  std::memcpy(mem_.data() + bad, &far, 4);
  std::memcpy(mem_.data() + bad + 4, &three, 4);
  EXPECT_EQ(fd_pread(*ctx_, mem(), fd, bad, 1, 0, n), Errno::Fault);
  EXPECT_EQ(fd_write(*ctx_, mem(), fd, bad, 1, n), Errno::Fault);
}

TEST_P(Fd, AppendFlagAndFdstat) {
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "a.txt", fd, oflags::kCreat, rights::kAll, 1, fdflags::kAppend),
            Errno::Success);
  uint32_t st = Alloc(layout::kFdstatSize), pos = Alloc(8);
  ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(st), static_cast<uint8_t>(FileType::RegularFile));
  EXPECT_EQ(Load<uint16_t>(st + 2), fdflags::kAppend);
  EXPECT_EQ(Load<uint64_t>(st + 8), rights::kFile);
  ASSERT_EQ(Write(fd, "one"), Errno::Success);
  ASSERT_EQ(fd_seek(*ctx_, mem(), fd, 0, 0, pos), Errno::Success);
  ASSERT_EQ(Write(fd, "two"), Errno::Success);
  EXPECT_EQ(read_file(sandbox_ / "a.txt"), "onetwo");
  // Clearing APPEND makes writes land at the position again.
  ASSERT_EQ(fd_fdstat_set_flags(*ctx_, mem(), fd, 0), Errno::Success);
  ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint16_t>(st + 2), 0u);
  ASSERT_EQ(fd_seek(*ctx_, mem(), fd, 0, 0, pos), Errno::Success);
  ASSERT_EQ(Write(fd, "ONE"), Errno::Success);
  EXPECT_EQ(read_file(sandbox_ / "a.txt"), "ONEtwo");
  ASSERT_EQ(fd_fdstat_set_flags(*ctx_, mem(), fd, fdflags::kNonblock), Errno::Success);
  ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint16_t>(st + 2), fdflags::kNonblock);
  EXPECT_EQ(fd_fdstat_set_flags(*ctx_, mem(), fd, 0x100), Errno::Inval);
}

TEST_P(Fd, OpenFdflagsAreReported) {
  uint32_t st = Alloc(layout::kFdstatSize);
  const uint16_t cases[] = {fdflags::kDsync, fdflags::kSync, fdflags::kRsync | fdflags::kSync,
                            fdflags::kNonblock, fdflags::kAppend | fdflags::kNonblock};
  for (uint16_t flags : cases) {
    uint32_t fd;
    ASSERT_EQ(Open(kPreopenFd, "flags.txt", fd, oflags::kCreat, rights::kAll, 1, flags),
              Errno::Success)
        << flags;
    ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), fd, st), Errno::Success);
    EXPECT_EQ(Load<uint16_t>(st + 2), flags);
    EXPECT_EQ(fd_close(*ctx_, mem(), fd), Errno::Success);
  }
  // Sync flags cannot be changed on an open file.
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "flags.txt", fd), Errno::Success);
  EXPECT_EQ(fd_fdstat_set_flags(*ctx_, mem(), fd, fdflags::kSync), Errno::NotSup);
  // Stdio: fd 1 exists with its file type, and a tty is not seekable.
  ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), 1, st), Errno::Success);
  if (isatty(1)) {
    EXPECT_EQ(Load<uint8_t>(st), static_cast<uint8_t>(FileType::CharacterDevice));
    EXPECT_EQ(Load<uint64_t>(st + 8) & rights::kFdSeek, 0u);
  }
  EXPECT_NE(Load<uint64_t>(st + 8) & rights::kFdWrite, 0u);
}

TEST_P(Fd, RightsCanOnlyBeDropped) {
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "r.txt", fd, oflags::kCreat), Errno::Success);
  ASSERT_EQ(fd_fdstat_set_rights(*ctx_, mem(), fd, rights::kFdSeek, 0), Errno::Success);
  EXPECT_EQ(Write(fd, "x"), Errno::NotCapable);
  std::string got;
  EXPECT_EQ(Read(fd, 1, got), Errno::NotCapable);
  EXPECT_EQ(fd_fdstat_set_rights(*ctx_, mem(), fd, rights::kFdSeek | rights::kFdRead, 0),
            Errno::NotCapable);
  // A directory's inheriting rights bound what files opened beneath it get.
  ASSERT_EQ(fd_fdstat_set_rights(*ctx_, mem(), kPreopenFd, rights::kDirectory, rights::kFdRead),
            Errno::Success);
  ASSERT_EQ(Open(kPreopenFd, "r.txt", fd), Errno::Success);
  uint32_t st = Alloc(layout::kFdstatSize);
  ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(st + 8), rights::kFdRead);
  EXPECT_EQ(Write(fd, "x"), Errno::NotCapable);
}

TEST_P(Fd, FilestatSizeAndTimes) {
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "t.txt", fd, oflags::kCreat), Errno::Success);
  ASSERT_EQ(Write(fd, "12345"), Errno::Success);
  uint32_t st = Alloc(layout::kFilestatSize);
  ASSERT_EQ(fd_filestat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(st + 32), 5u);
  EXPECT_EQ(Load<uint8_t>(st + 16), static_cast<uint8_t>(FileType::RegularFile));
  EXPECT_EQ(Load<uint64_t>(st + 24), 1u);
  struct stat host;
  ASSERT_EQ(stat((sandbox_ / "t.txt").c_str(), &host), 0);
  EXPECT_EQ(Load<uint64_t>(st + 8), host.st_ino);
  EXPECT_EQ(Load<uint64_t>(st + 0), host.st_dev);

  ASSERT_EQ(fd_filestat_set_size(*ctx_, mem(), fd, 2), Errno::Success);
  EXPECT_EQ(read_file(sandbox_ / "t.txt"), "12");
  ASSERT_EQ(fd_filestat_set_size(*ctx_, mem(), fd, 4), Errno::Success);
  EXPECT_EQ(read_file(sandbox_ / "t.txt"), std::string("12\0\0", 4));

  const uint64_t atim = 1'000'000'123ull, mtim = 2'000'000'456ull;
  ASSERT_EQ(fd_filestat_set_times(*ctx_, mem(), fd, atim, mtim, fstflags::kAtim | fstflags::kMtim),
            Errno::Success);
  ASSERT_EQ(fd_filestat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(st + 40), atim);
  EXPECT_EQ(Load<uint64_t>(st + 48), mtim);
  // Only mtim: atim stays.
  ASSERT_EQ(fd_filestat_set_times(*ctx_, mem(), fd, 0, 5'000'000'000ull, fstflags::kMtim),
            Errno::Success);
  ASSERT_EQ(fd_filestat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(st + 40), atim);
  EXPECT_EQ(Load<uint64_t>(st + 48), 5'000'000'000ull);
  // A time and NOW for the same stamp is EINVAL.
  EXPECT_EQ(fd_filestat_set_times(*ctx_, mem(), fd, 0, 0, fstflags::kAtim | fstflags::kAtimNow),
            Errno::Inval);
  EXPECT_EQ(fd_filestat_set_times(*ctx_, mem(), fd, 0, 0, fstflags::kMtim | fstflags::kMtimNow),
            Errno::Inval);
  // Path variant, not following a symlink: the link's own times change.
  ASSERT_EQ(Symlink("t.txt", "t.lnk"), Errno::Success);
  uint32_t p = Put("t.lnk");
  ASSERT_EQ(path_filestat_set_times(*ctx_, mem(), kPreopenFd, 0, p, 5, 0, 7'000'000'000ull,
                                    fstflags::kMtim),
            Errno::Success);
  uint32_t buf;
  ASSERT_EQ(Stat("t.lnk", 0, buf), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(buf + 48), 7'000'000'000ull);
  ASSERT_EQ(Stat("t.lnk", kLookupSymlinkFollow, buf), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(buf + 48), 5'000'000'000ull);
  EXPECT_EQ(Load<uint8_t>(buf + 16), static_cast<uint8_t>(FileType::RegularFile));
  // Following: the target's times change.
  ASSERT_EQ(path_filestat_set_times(*ctx_, mem(), kPreopenFd, kLookupSymlinkFollow, p, 5, 0,
                                    8'000'000'000ull, fstflags::kMtim),
            Errno::Success);
  ASSERT_EQ(fd_filestat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(st + 48), 8'000'000'000ull);
}

TEST_P(Fd, ReaddirCookiesResumeWhereTheyLeftOff) {
  std::filesystem::create_directory(sandbox_ / "d");
  std::set<std::string> expected = {".", ".."};
  for (int i = 0; i < 40; ++i) {
    std::string name = "entry_with_a_longish_name_" + std::to_string(i);
    write_file(sandbox_ / "d" / name, "x");
    expected.insert(name);
  }
  uint32_t dir;
  ASSERT_EQ(Open(kPreopenFd, "d", dir, oflags::kDirectory), Errno::Success);
  // Page through with a small buffer, restarting from the last complete entry's
  // cookie each time, as wasi-libc does.
  std::set<std::string> seen;
  uint64_t cookie = 0;
  const uint32_t kBuf = 100;
  uint32_t buf = Alloc(kBuf), used = Alloc(4);
  for (int rounds = 0; rounds < 1000; ++rounds) {
    ASSERT_EQ(fd_readdir(*ctx_, mem(), dir, buf, kBuf, cookie, used), Errno::Success);
    uint32_t n = Load<uint32_t>(used);
    uint32_t off = 0;
    bool progressed = false;
    while (off + layout::kDirentSize <= n) {
      uint64_t next = Load<uint64_t>(buf + off);
      uint32_t namlen = Load<uint32_t>(buf + off + 16);
      if (off + layout::kDirentSize + namlen > n) break;  // truncated entry
      std::string name = Bytes(buf + off + layout::kDirentSize, namlen);
      uint8_t type = Load<uint8_t>(buf + off + 20);
      EXPECT_EQ(type,
                static_cast<uint8_t>(name[0] == '.' ? FileType::Directory : FileType::RegularFile))
          << name;
      EXPECT_TRUE(seen.insert(name).second) << "duplicate " << name;
      cookie = next;
      progressed = true;
      off += layout::kDirentSize + namlen;
    }
    if (n < kBuf) break;  // the directory is exhausted
    ASSERT_TRUE(progressed) << "buffer too small for one entry";
  }
  EXPECT_EQ(seen, expected);
  // A cookie past the end yields nothing.
  ASSERT_EQ(fd_readdir(*ctx_, mem(), dir, buf, kBuf, 1000, used), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(used), 0u);
  // readdir of a file is ENOTDIR; of an fd without the right, ENOTCAPABLE.
  uint32_t file;
  ASSERT_EQ(Open(kPreopenFd, "file.txt", file), Errno::Success);
  EXPECT_EQ(fd_readdir(*ctx_, mem(), file, buf, kBuf, 0, used), Errno::NotCapable);
}

TEST_P(Fd, RenumberAndPrestat) {
  uint32_t pre = Alloc(8), name = Alloc(32);
  ASSERT_EQ(fd_prestat_get(*ctx_, mem(), kPreopenFd, pre), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(pre), 0u);
  EXPECT_EQ(Load<uint32_t>(pre + 4), 8u);
  ASSERT_EQ(fd_prestat_dir_name(*ctx_, mem(), kPreopenFd, name, 8), Errno::Success);
  EXPECT_EQ(Bytes(name, 8), "/sandbox");
  EXPECT_EQ(fd_prestat_dir_name(*ctx_, mem(), kPreopenFd, name, 3), Errno::NameTooLong);
  EXPECT_EQ(fd_prestat_get(*ctx_, mem(), 1, pre), Errno::BadF);
  EXPECT_EQ(fd_prestat_get(*ctx_, mem(), 99, pre), Errno::BadF);

  uint32_t a, b;
  ASSERT_EQ(Open(kPreopenFd, "file.txt", a), Errno::Success);
  ASSERT_EQ(Open(kPreopenFd, "sub", b, oflags::kDirectory), Errno::Success);
  EXPECT_EQ(fd_renumber(*ctx_, mem(), a, 77), Errno::BadF);
  ASSERT_EQ(fd_renumber(*ctx_, mem(), a, b), Errno::Success);
  uint32_t st = Alloc(layout::kFdstatSize);
  EXPECT_EQ(fd_fdstat_get(*ctx_, mem(), a, st), Errno::BadF);
  ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), b, st), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(st), static_cast<uint8_t>(FileType::RegularFile));
  std::string got;
  ASSERT_EQ(Read(b, 5, got), Errno::Success);
  EXPECT_EQ(got, "hello");
  // Closing a preopen is allowed and makes its number invalid.
  ASSERT_EQ(fd_close(*ctx_, mem(), kPreopenFd), Errno::Success);
  EXPECT_EQ(fd_prestat_get(*ctx_, mem(), kPreopenFd, pre), Errno::BadF);
}

TEST_P(Fd, AdviseAllocateSync) {
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "al.bin", fd, oflags::kCreat), Errno::Success);
  EXPECT_EQ(fd_advise(*ctx_, mem(), fd, 0, 10, static_cast<uint32_t>(Advice::Sequential)),
            Errno::Success);
  EXPECT_EQ(fd_advise(*ctx_, mem(), fd, 0, 10, 9), Errno::Inval);
  ASSERT_EQ(fd_allocate(*ctx_, mem(), fd, 0, 100), Errno::Success);
  EXPECT_EQ(std::filesystem::file_size(sandbox_ / "al.bin"), 100u);
  // Allocating inside the file never shrinks it.
  ASSERT_EQ(fd_allocate(*ctx_, mem(), fd, 10, 10), Errno::Success);
  EXPECT_EQ(std::filesystem::file_size(sandbox_ / "al.bin"), 100u);
  EXPECT_EQ(fd_sync(*ctx_, mem(), fd), Errno::Success);
  EXPECT_EQ(fd_datasync(*ctx_, mem(), fd), Errno::Success);
  EXPECT_EQ(fd_sync(*ctx_, mem(), 42), Errno::BadF);
}

TEST(ResolverChoice, EnvironmentForcesTheWalkerUnderAuto) {
  WasiConfig cfg;
  ASSERT_EQ(setenv("WASMRUN_WASI_RESOLVER", "components", 1), 0);
  auto a = WasiCtx::create(cfg);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->resolve_mode(), ResolveMode::Components);
  // An explicit mode wins over the environment.
  cfg.resolve_mode = ResolveMode::Openat2;
  auto b = WasiCtx::create(cfg);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->resolve_mode(), ResolveMode::Openat2);
  ASSERT_EQ(unsetenv("WASMRUN_WASI_RESOLVER"), 0);
  cfg.resolve_mode = ResolveMode::Auto;
  auto c = WasiCtx::create(cfg);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->resolve_mode(), ResolveMode::Auto);
  EXPECT_EQ(effective_mode(ResolveMode::Auto),
            openat2_supported() ? ResolveMode::Openat2 : ResolveMode::Components);
}

INSTANTIATE_TEST_SUITE_P(Resolvers, Fd,
                         ::testing::Values(ResolveMode::Openat2, ResolveMode::Components),
                         ModeName);

}  // namespace
}  // namespace wasmrun::wasi::testing
