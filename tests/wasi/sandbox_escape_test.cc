// Every way out of a preopen must fail with the errno wasi-testsuite expects
// (EPERM for paths that leave the directory, ELOOP for loops and, with openat2,
// for /proc magic links) and leave the canary outside untouched and unread.
// Each test runs with both resolvers: openat2 and the component walker.
#include "wasi_fixture.h"

namespace wasmrun::wasi::testing {
namespace {

using SandboxEscape = WasiFixture;

TEST_P(SandboxEscape, DotDotIsRefused) {
  uint32_t fd;
  EXPECT_EQ(Open(kPreopenFd, "../outside/canary.txt", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "sub/../../outside/canary.txt", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "..", fd, oflags::kDirectory), kEscapeErrno);
  uint32_t buf;
  EXPECT_EQ(Stat("../outside/canary.txt", 0, buf), kEscapeErrno);
  EXPECT_EQ(Stat("..", kLookupSymlinkFollow, buf), kEscapeErrno);
  // ".." that stays inside is fine.
  ASSERT_EQ(Open(kPreopenFd, "sub/../file.txt", fd), Errno::Success);
  std::string got;
  EXPECT_EQ(Read(fd, 100, got), Errno::Success);
  EXPECT_EQ(got, "hello, sandbox");
}

TEST_P(SandboxEscape, AbsolutePathIsRefused) {
  uint32_t fd;
  EXPECT_EQ(Open(kPreopenFd, (outside_ / "canary.txt").string(), fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "/file.txt", fd), kEscapeErrno);
  EXPECT_EQ(PathCall(path_unlink_file, kPreopenFd, (outside_ / "canary.txt").string()),
            kEscapeErrno);
}

TEST_P(SandboxEscape, HostSymlinkOutIsRefused) {
  std::filesystem::create_directory_symlink("../outside", sandbox_ / "dir_out");
  std::filesystem::create_symlink("../outside/canary.txt", sandbox_ / "file_out");
  std::filesystem::create_symlink(outside_ / "canary.txt", sandbox_ / "abs_out");
  uint32_t fd, buf;
  EXPECT_EQ(Open(kPreopenFd, "dir_out/canary.txt", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "file_out", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "abs_out", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "sub/../dir_out/canary.txt", fd), kEscapeErrno);
  EXPECT_EQ(Stat("file_out", kLookupSymlinkFollow, buf), kEscapeErrno);
  EXPECT_EQ(Stat("dir_out/canary.txt", 0, buf), kEscapeErrno);
  // Without following, the link itself is what the guest sees.
  ASSERT_EQ(Stat("file_out", 0, buf), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(buf + 16), static_cast<uint8_t>(FileType::SymbolicLink));
  // Opening the link itself without following is ELOOP, never the target.
  EXPECT_EQ(Open(kPreopenFd, "file_out", fd, 0, rights::kAll, 0), Errno::Loop);
  // Writing and truncating through the links fails too.
  EXPECT_EQ(Open(kPreopenFd, "file_out", fd, oflags::kTrunc), kEscapeErrno);
  EXPECT_EQ(PathCall(path_create_directory, kPreopenFd, "dir_out/new"), kEscapeErrno);
  EXPECT_EQ(PathCall(path_unlink_file, kPreopenFd, "dir_out/canary.txt"), kEscapeErrno);
  uint32_t p = Put("dir_out/canary.txt");
  EXPECT_EQ(path_filestat_set_times(*ctx_, mem(), kPreopenFd, 0, p, 18, 0, 0,
                                    fstflags::kMtimNow | fstflags::kAtimNow),
            kEscapeErrno);
}

TEST_P(SandboxEscape, GuestCreatedSymlinkOutIsRefused) {
  // Creating a relative link is allowed (it is just a name); following it is not.
  ASSERT_EQ(Symlink("../outside/canary.txt", "evil"), Errno::Success);
  ASSERT_EQ(Symlink("../outside", "evil_dir"), Errno::Success);
  ASSERT_EQ(Symlink("sub/../../outside/canary.txt", "evil2"), Errno::Success);
  uint32_t fd, buf;
  EXPECT_EQ(Open(kPreopenFd, "evil", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "evil2", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "evil_dir/canary.txt", fd), kEscapeErrno);
  EXPECT_EQ(Open(kPreopenFd, "evil_dir/new.txt", fd, oflags::kCreat), kEscapeErrno);
  EXPECT_EQ(Stat("evil", kLookupSymlinkFollow, buf), kEscapeErrno);
  // Absolute targets are refused at creation.
  EXPECT_EQ(Symlink((outside_ / "canary.txt").string(), "abs"), kEscapeErrno);
  EXPECT_FALSE(std::filesystem::is_symlink(sandbox_ / "abs"));
  // The readlink of a created link returns exactly what was written.
  uint32_t p = Put("evil"), out = Alloc(64), used = Alloc(4);
  ASSERT_EQ(path_readlink(*ctx_, mem(), kPreopenFd, p, 4, out, 64, used), Errno::Success);
  EXPECT_EQ(Bytes(out, Load<uint32_t>(used)), "../outside/canary.txt");
}

TEST_P(SandboxEscape, DanglingSymlinkOutCannotCreate) {
  ASSERT_EQ(Symlink("../outside/created.txt", "dangle"), Errno::Success);
  uint32_t fd;
  EXPECT_EQ(Open(kPreopenFd, "dangle", fd, oflags::kCreat), kEscapeErrno);
  EXPECT_FALSE(std::filesystem::exists(outside_ / "created.txt"));
  // A dangling link inside the sandbox creates its target inside.
  ASSERT_EQ(Symlink("sub/made.txt", "dangle_in"), Errno::Success);
  ASSERT_EQ(Open(kPreopenFd, "dangle_in", fd, oflags::kCreat), Errno::Success);
  EXPECT_TRUE(std::filesystem::exists(sandbox_ / "sub" / "made.txt"));
  // O_EXCL does not follow a final symlink, dangling or not.
  EXPECT_EQ(Open(kPreopenFd, "dangle", fd, oflags::kCreat | oflags::kExcl), Errno::Exist);
  // Following a dangling link that stays inside is ENOENT.
  ASSERT_EQ(Symlink("nowhere", "dangle2"), Errno::Success);
  EXPECT_EQ(Open(kPreopenFd, "dangle2", fd), Errno::NoEnt);
}

TEST_P(SandboxEscape, SymlinkLoopsAreEloop) {
  ASSERT_EQ(Symlink("loop2", "loop1"), Errno::Success);
  ASSERT_EQ(Symlink("loop1", "loop2"), Errno::Success);
  ASSERT_EQ(Symlink("self/x", "self"), Errno::Success);
  uint32_t fd, buf;
  EXPECT_EQ(Open(kPreopenFd, "loop1", fd), Errno::Loop);
  EXPECT_EQ(Open(kPreopenFd, "self", fd), Errno::Loop);
  EXPECT_EQ(Stat("loop1/x", 0, buf), Errno::Loop);
}

TEST_P(SandboxEscape, RenameOutIsRefused) {
  EXPECT_EQ(Rename("file.txt", "../outside/stolen.txt"), kEscapeErrno);
  EXPECT_EQ(Rename("../outside/canary.txt", "got.txt"), kEscapeErrno);
  std::filesystem::create_directory_symlink("../outside", sandbox_ / "dir_out");
  EXPECT_EQ(Rename("dir_out/canary.txt", "got.txt"), kEscapeErrno);
  EXPECT_EQ(Rename("file.txt", "dir_out/stolen.txt"), kEscapeErrno);
  EXPECT_TRUE(std::filesystem::exists(sandbox_ / "file.txt"));
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "got.txt"));
  // Renaming a symlink that points out moves the link, not its target.
  ASSERT_EQ(Rename("dir_out", "moved_link"), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_symlink(sandbox_ / "moved_link"));
}

TEST_P(SandboxEscape, HardLinkOutIsRefused) {
  EXPECT_EQ(Link("../outside/canary.txt", "hl"), kEscapeErrno);
  EXPECT_EQ(Link("file.txt", "../outside/hl"), kEscapeErrno);
  std::filesystem::create_directory_symlink("../outside", sandbox_ / "dir_out");
  EXPECT_EQ(Link("dir_out/canary.txt", "hl"), kEscapeErrno);
  // A link to a symlink that points out links the symlink itself, which is
  // harmless: following it later is refused.
  std::filesystem::create_symlink("../outside/canary.txt", sandbox_ / "file_out");
  ASSERT_EQ(Link("file_out", "hl2"), Errno::Success);
  uint32_t fd;
  EXPECT_EQ(Open(kPreopenFd, "hl2", fd), kEscapeErrno);
  EXPECT_EQ(Link("file_out", "hl3", kLookupSymlinkFollow), Errno::Inval);
}

TEST_P(SandboxEscape, ProcMagicLinksAreRefused) {
  uint32_t fd;
  EXPECT_EQ(Open(kPreopenFd, "/proc/self/root/etc/passwd", fd), kEscapeErrno);
  // Reaching /proc by a relative symlink climbs out of the sandbox.
  std::string up;
  for (auto it = sandbox_.begin(); it != sandbox_.end(); ++it) up += "../";
  ASSERT_EQ(Symlink(up + "proc/self/root", "proc_root"), Errno::Success);
  EXPECT_EQ(Open(kPreopenFd, "proc_root" + (outside_ / "canary.txt").string(), fd), kEscapeErrno);

  // Even a preopen of /proc/self itself must not hand out its magic links.
  Recreate(false, {PreopenDir{"/proc/self", "/proc", false}});
  const uint32_t proc_fd = kPreopenFd + 1;
  std::string through_root = "root" + (outside_ / "canary.txt").string();
  Errno e = Open(proc_fd, through_root, fd);
  EXPECT_TRUE(e == Errno::Loop || e == kEscapeErrno) << static_cast<int>(e);
  e = Open(proc_fd, "cwd/" + std::string(), fd, oflags::kDirectory);
  EXPECT_TRUE(e == Errno::Loop || e == kEscapeErrno || e == Errno::NoEnt) << static_cast<int>(e);
  // The fd links of /proc/self/fd point at open files: no following those either.
  int host = open((outside_ / "canary.txt").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(host, 0);
  e = Open(proc_fd, "fd/" + std::to_string(host), fd);
  close(host);
  EXPECT_NE(e, Errno::Success);
}

TEST_P(SandboxEscape, ReadOnlyPreopenIsEnforced) {
  Recreate(/*readonly=*/true);
  uint32_t fd;
  // Writing: the fd gets no write right and the host file is opened read-only.
  ASSERT_EQ(Open(kPreopenFd, "file.txt", fd, 0, rights::kFdRead | rights::kFdWrite),
            Errno::Success);
  EXPECT_EQ(Write(fd, "overwritten"), Errno::NotCapable);
  EXPECT_EQ(Open(kPreopenFd, "file.txt", fd, oflags::kTrunc), Errno::NotCapable);
  EXPECT_EQ(Open(kPreopenFd, "new.txt", fd, oflags::kCreat), Errno::NotCapable);
  EXPECT_EQ(PathCall(path_create_directory, kPreopenFd, "d"), Errno::NotCapable);
  EXPECT_EQ(PathCall(path_unlink_file, kPreopenFd, "file.txt"), Errno::NotCapable);
  EXPECT_EQ(PathCall(path_remove_directory, kPreopenFd, "sub"), Errno::NotCapable);
  EXPECT_EQ(Rename("file.txt", "x"), Errno::NotCapable);
  EXPECT_EQ(Symlink("file.txt", "l"), Errno::NotCapable);
  EXPECT_EQ(Link("file.txt", "l"), Errno::NotCapable);
  // Rights cannot be regained.
  EXPECT_EQ(fd_fdstat_set_rights(*ctx_, mem(), kPreopenFd, rights::kAll, rights::kAll),
            Errno::NotCapable);
  // A subdirectory opened beneath it is read-only as well.
  uint32_t sub;
  ASSERT_EQ(Open(kPreopenFd, "sub", sub, oflags::kDirectory), Errno::Success);
  EXPECT_EQ(Open(sub, "new.txt", fd, oflags::kCreat), Errno::NotCapable);
  EXPECT_EQ(read_file(sandbox_ / "file.txt"), "hello, sandbox");
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "new.txt"));
  // Reading still works.
  ASSERT_EQ(Open(kPreopenFd, "file.txt", fd, 0, rights::kFdRead), Errno::Success);
  std::string got;
  EXPECT_EQ(Read(fd, 100, got), Errno::Success);
  EXPECT_EQ(got, "hello, sandbox");
}

TEST_P(SandboxEscape, SymlinksInsideWork) {
  std::filesystem::create_directory_symlink("sub", sandbox_ / "sublink");
  ASSERT_EQ(Symlink("../file.txt", "sub/up"), Errno::Success);
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "sublink/up", fd), Errno::Success);
  std::string got;
  EXPECT_EQ(Read(fd, 100, got), Errno::Success);
  EXPECT_EQ(got, "hello, sandbox");
  // From a subdirectory fd, ".." back into the preopen is still outside *that*
  // fd's directory, so it is refused: each fd is its own capability.
  uint32_t sub;
  ASSERT_EQ(Open(kPreopenFd, "sub", sub, oflags::kDirectory), Errno::Success);
  EXPECT_EQ(Open(sub, "../file.txt", fd), kEscapeErrno);
  EXPECT_EQ(Open(sub, "up", fd), kEscapeErrno);
}

INSTANTIATE_TEST_SUITE_P(Resolvers, SandboxEscape,
                         ::testing::Values(ResolveMode::Openat2, ResolveMode::Components),
                         ModeName);

}  // namespace
}  // namespace wasmrun::wasi::testing
