// path_* behaviour inside the sandbox: path_open's oflags and rights, trailing
// slashes, create/remove/rename/link/symlink/readlink, filestat of paths.
#include "wasi_fixture.h"

namespace wasmrun::wasi::testing {
namespace {

using Path = WasiFixture;

TEST_P(Path, OpenFlags) {
  uint32_t fd;
  EXPECT_EQ(Open(kPreopenFd, "missing.txt", fd), Errno::NoEnt);
  ASSERT_EQ(Open(kPreopenFd, "new.txt", fd, oflags::kCreat | oflags::kExcl), Errno::Success);
  EXPECT_EQ(Open(kPreopenFd, "new.txt", fd, oflags::kCreat | oflags::kExcl), Errno::Exist);
  ASSERT_EQ(Open(kPreopenFd, "file.txt", fd, oflags::kTrunc), Errno::Success);
  EXPECT_EQ(read_file(sandbox_ / "file.txt"), "");
  EXPECT_EQ(Open(kPreopenFd, "file.txt", fd, oflags::kDirectory), Errno::NotDir);
  EXPECT_EQ(Open(kPreopenFd, "x", fd, oflags::kCreat | oflags::kDirectory), Errno::Inval);
  EXPECT_EQ(Open(kPreopenFd, "x", fd, 0x10), Errno::Inval);
  // A directory cannot be opened with write rights.
  EXPECT_EQ(Open(kPreopenFd, "sub", fd, oflags::kDirectory, rights::kFdRead | rights::kFdWrite),
            Errno::IsDir);
  ASSERT_EQ(Open(kPreopenFd, "sub", fd, oflags::kDirectory, rights::kFdRead), Errno::Success);
  uint32_t st = Alloc(layout::kFdstatSize);
  ASSERT_EQ(fd_fdstat_get(*ctx_, mem(), fd, st), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(st), static_cast<uint8_t>(FileType::Directory));
  // Path operations on a file fd are ENOTDIR; on a closed fd EBADF.
  uint32_t file;
  ASSERT_EQ(Open(kPreopenFd, "new.txt", file), Errno::Success);
  EXPECT_EQ(Open(file, "x", fd), Errno::NotDir);
  EXPECT_EQ(Open(99, "x", fd), Errno::BadF);
  // Empty path: ENOENT; embedded NUL: EILSEQ.
  EXPECT_EQ(Open(kPreopenFd, "", fd), Errno::NoEnt);
  EXPECT_EQ(Open(kPreopenFd, std::string("file.txt\0", 9), fd), Errno::IlSeq);
  // Without the right to create files, O_CREAT is refused.
  ASSERT_EQ(fd_fdstat_set_rights(*ctx_, mem(), kPreopenFd, rights::kPathOpen, rights::kAll),
            Errno::Success);
  EXPECT_EQ(Open(kPreopenFd, "newer.txt", fd, oflags::kCreat), Errno::NotCapable);
}

TEST_P(Path, TrailingSlashes) {
  uint32_t fd;
  EXPECT_EQ(Open(kPreopenFd, "file.txt/", fd), Errno::NotDir);
  ASSERT_EQ(Open(kPreopenFd, "sub///", fd, 0, rights::kFdReaddir), Errno::Success);
  EXPECT_EQ(PathCall(path_unlink_file, kPreopenFd, "file.txt/"), Errno::NotDir);
  EXPECT_EQ(PathCall(path_unlink_file, kPreopenFd, "sub"), Errno::IsDir);
  EXPECT_EQ(PathCall(path_remove_directory, kPreopenFd, "file.txt"), Errno::NotDir);
  ASSERT_EQ(PathCall(path_create_directory, kPreopenFd, "made/"), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_directory(sandbox_ / "made"));
  ASSERT_EQ(PathCall(path_remove_directory, kPreopenFd, "made/"), Errno::Success);
  EXPECT_EQ(Symlink("file.txt", "lnk/"), Errno::NoEnt);
  EXPECT_EQ(Rename("file.txt/", "x"), Errno::NotDir);
}

TEST_P(Path, CreateRemoveRename) {
  ASSERT_EQ(PathCall(path_create_directory, kPreopenFd, "a"), Errno::Success);
  EXPECT_EQ(PathCall(path_create_directory, kPreopenFd, "a"), Errno::Exist);
  ASSERT_EQ(PathCall(path_create_directory, kPreopenFd, "a/b"), Errno::Success);
  EXPECT_EQ(PathCall(path_remove_directory, kPreopenFd, "a"), Errno::NotEmpty);
  ASSERT_EQ(Rename("a/b", "c"), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_directory(sandbox_ / "c"));
  ASSERT_EQ(Rename("file.txt", "a/moved.txt"), Errno::Success);
  EXPECT_EQ(read_file(sandbox_ / "a" / "moved.txt"), "hello, sandbox");
  EXPECT_EQ(Rename("nothing", "x"), Errno::NoEnt);
  EXPECT_EQ(Rename("a/moved.txt", "c"), Errno::IsDir);
  ASSERT_EQ(PathCall(path_unlink_file, kPreopenFd, "a/moved.txt"), Errno::Success);
  ASSERT_EQ(PathCall(path_remove_directory, kPreopenFd, "a"), Errno::Success);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "a"));
  // "." and ".." cannot be removed.
  EXPECT_NE(PathCall(path_remove_directory, kPreopenFd, "c/."), Errno::Success);
  EXPECT_TRUE(std::filesystem::exists(sandbox_ / "c"));
}

TEST_P(Path, LinksAndReadlink) {
  ASSERT_EQ(Link("file.txt", "hard.txt"), Errno::Success);
  uint32_t buf;
  ASSERT_EQ(Stat("hard.txt", 0, buf), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(buf + 24), 2u);  // nlink
  EXPECT_EQ(Link("file.txt", "hard.txt"), Errno::Exist);
  EXPECT_EQ(Link("sub", "subhard"), Errno::Perm);
  EXPECT_EQ(Link("sub/", "subhard"), Errno::Perm);
  EXPECT_EQ(Link("file.txt", "nolink/"), Errno::NoEnt);

  ASSERT_EQ(Symlink("file.txt", "soft"), Errno::Success);
  EXPECT_EQ(Symlink("file.txt", "soft"), Errno::Exist);
  EXPECT_EQ(Symlink("", "empty"), Errno::NoEnt);
  uint32_t p = Put("soft"), out = Alloc(16), used = Alloc(4);
  ASSERT_EQ(path_readlink(*ctx_, mem(), kPreopenFd, p, 4, out, 16, used), Errno::Success);
  EXPECT_EQ(Bytes(out, Load<uint32_t>(used)), "file.txt");
  // A small buffer gets a truncated target.
  ASSERT_EQ(path_readlink(*ctx_, mem(), kPreopenFd, p, 4, out, 4, used), Errno::Success);
  EXPECT_EQ(Bytes(out, Load<uint32_t>(used)), "file");
  // readlink of a regular file is EINVAL.
  uint32_t f = Put("file.txt");
  EXPECT_EQ(path_readlink(*ctx_, mem(), kPreopenFd, f, 8, out, 16, used), Errno::Inval);
  // Filestat without and with following.
  ASSERT_EQ(Stat("soft", 0, buf), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(buf + 16), static_cast<uint8_t>(FileType::SymbolicLink));
  ASSERT_EQ(Stat("soft", kLookupSymlinkFollow, buf), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(buf + 16), static_cast<uint8_t>(FileType::RegularFile));
  EXPECT_EQ(Load<uint64_t>(buf + 32), 14u);
  ASSERT_EQ(Stat(".", 0, buf), Errno::Success);
  EXPECT_EQ(Load<uint8_t>(buf + 16), static_cast<uint8_t>(FileType::Directory));
  // Unlinking the symlink removes the link only.
  ASSERT_EQ(PathCall(path_unlink_file, kPreopenFd, "soft"), Errno::Success);
  EXPECT_TRUE(std::filesystem::exists(sandbox_ / "file.txt"));
}

INSTANTIATE_TEST_SUITE_P(Resolvers, Path,
                         ::testing::Values(ResolveMode::Openat2, ResolveMode::Components),
                         ModeName);

}  // namespace
}  // namespace wasmrun::wasi::testing
