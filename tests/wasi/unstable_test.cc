// wasi_unstable's differing layouts: whence order, the 56-byte filestat with a
// u32 nlink, and the 56-byte clock subscription.
#include "wasi/unstable.h"

#include <chrono>

#include "wasi_fixture.h"

namespace wasmrun::wasi::testing {
namespace {

using Unstable = WasiFixture;

TEST_P(Unstable, WhenceIsCurEndSet) {
  uint32_t fd, pos = Alloc(8);
  ASSERT_EQ(Open(kPreopenFd, "file.txt", fd), Errno::Success);  // 14 bytes
  ASSERT_EQ(unstable::fd_seek(*ctx_, mem(), fd, 3, 2 /*set*/, pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 3u);
  ASSERT_EQ(unstable::fd_seek(*ctx_, mem(), fd, 2, 0 /*cur*/, pos), Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 5u);
  ASSERT_EQ(unstable::fd_seek(*ctx_, mem(), fd, static_cast<uint64_t>(-4), 1 /*end*/, pos),
            Errno::Success);
  EXPECT_EQ(Load<uint64_t>(pos), 10u);
  EXPECT_EQ(unstable::fd_seek(*ctx_, mem(), fd, 0, 3, pos), Errno::Inval);
}

TEST_P(Unstable, FilestatHasU32Nlink) {
  std::filesystem::create_hard_link(sandbox_ / "file.txt", sandbox_ / "second");
  uint32_t fd;
  ASSERT_EQ(Open(kPreopenFd, "file.txt", fd), Errno::Success);
  // Guard bytes after the 56-byte struct must stay untouched.
  uint32_t st = Alloc(64);
  std::memset(mem_.data() + st, 0xEE, 64);
  ASSERT_EQ(unstable::fd_filestat_get(*ctx_, mem(), fd, st), Errno::Success);
  struct stat host;
  ASSERT_EQ(stat((sandbox_ / "file.txt").c_str(), &host), 0);
  EXPECT_EQ(Load<uint64_t>(st + 8), host.st_ino);
  EXPECT_EQ(Load<uint8_t>(st + 16), static_cast<uint8_t>(FileType::RegularFile));
  EXPECT_EQ(Load<uint32_t>(st + 20), 2u);
  EXPECT_EQ(Load<uint64_t>(st + 24), 14u);
  EXPECT_EQ(Load<uint64_t>(st + 40), static_cast<uint64_t>(host.st_mtim.tv_sec) * 1'000'000'000u +
                                         static_cast<uint64_t>(host.st_mtim.tv_nsec));
  EXPECT_EQ(Load<uint64_t>(st + 56), 0xEEEEEEEEEEEEEEEEull);
  uint32_t p = Put("second"), st2 = Alloc(56);
  ASSERT_EQ(unstable::path_filestat_get(*ctx_, mem(), kPreopenFd, 0, p, 6, st2), Errno::Success);
  EXPECT_EQ(Bytes(st, 56), Bytes(st2, 56));
  EXPECT_EQ(unstable::path_filestat_get(*ctx_, mem(), kPreopenFd, 0, p, 6,
                                        static_cast<uint32_t>(mem_.size() - 50)),
            Errno::Fault);
}

TEST_P(Unstable, ClockSubscriptionCarriesAnIdentifier) {
  uint32_t in = Alloc(unstable::kSubscriptionSize), out = Alloc(layout::kEventSize), n = Alloc(4);
  uint64_t userdata = 0x5151, identifier = 0xDEAD, timeout = 20'000'000;
  uint32_t clock = 1;
  std::memcpy(mem_.data() + in, &userdata, 8);
  mem_[in + 8] = 0;
  std::memcpy(mem_.data() + in + 16, &identifier, 8);
  std::memcpy(mem_.data() + in + 24, &clock, 4);
  std::memcpy(mem_.data() + in + 32, &timeout, 8);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(unstable::poll_oneoff(*ctx_, mem(), in, out, 1, n), Errno::Success);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(20));
  ASSERT_EQ(Load<uint32_t>(n), 1u);
  EXPECT_EQ(Load<uint64_t>(out), 0x5151u);
  EXPECT_EQ(Load<uint16_t>(out + 8), 0u);
  EXPECT_EQ(unstable::poll_oneoff(*ctx_, mem(), in, out, 0, n), Errno::Inval);
}

INSTANTIATE_TEST_SUITE_P(Resolvers, Unstable,
                         ::testing::Values(ResolveMode::Openat2, ResolveMode::Components),
                         ModeName);

}  // namespace
}  // namespace wasmrun::wasi::testing
