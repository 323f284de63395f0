// WasiCtx construction: --dir parsing, preopen numbering, stdio and errors.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "wasi/preview1.h"

namespace wasmrun::wasi::testing {
namespace {

TEST(DirSpec, Forms) {
  auto a = parse_dir_spec("/tmp");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host_path, "/tmp");
  EXPECT_EQ(a->guest_path, "/tmp");
  EXPECT_FALSE(a->readonly);
  auto b = parse_dir_spec("/srv/data::/data");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host_path, "/srv/data");
  EXPECT_EQ(b->guest_path, "/data");
  EXPECT_FALSE(b->readonly);
  auto c = parse_dir_spec("./x::/:readonly");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host_path, "./x");
  EXPECT_EQ(c->guest_path, "/");
  EXPECT_TRUE(c->readonly);
  EXPECT_FALSE(parse_dir_spec("::/x").ok());
  EXPECT_FALSE(parse_dir_spec("/x::").ok());
  EXPECT_FALSE(parse_dir_spec("/x:::readonly").ok());
  EXPECT_EQ(parse_dir_spec("").error().kind, ErrorKind::Usage);
}

TEST(Ctx, PreopensAreNumberedFromThreeInOrder) {
  WasiConfig cfg;
  cfg.preopens = {{"/", "/first", false}, {"/tmp", "/second", true}};
  auto ctx = WasiCtx::create(cfg);
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  std::vector<uint8_t> m(64);
  GuestMemory mem{m.data(), m.size()};
  ASSERT_EQ(fd_prestat_dir_name(**ctx, mem, 3, 0, 6), Errno::Success);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(m.data()), 6), "/first");
  ASSERT_EQ(fd_prestat_dir_name(**ctx, mem, 4, 0, 7), Errno::Success);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(m.data()), 7), "/second");
  EXPECT_EQ(fd_prestat_get(**ctx, mem, 5, 0), Errno::BadF);
  // The read-only one reports no mutating rights, base or inheriting.
  ASSERT_EQ(fd_fdstat_get(**ctx, mem, 4, 0), Errno::Success);
  uint64_t base, inheriting;
  std::memcpy(&base, m.data() + 8, 8);
  std::memcpy(&inheriting, m.data() + 16, 8);
  EXPECT_EQ(base & rights::kMutating, 0u);
  EXPECT_EQ(inheriting & rights::kMutating, 0u);
  EXPECT_NE(base & rights::kPathOpen, 0u);
  ASSERT_EQ(fd_fdstat_get(**ctx, mem, 3, 0), Errno::Success);
  std::memcpy(&base, m.data() + 8, 8);
  EXPECT_EQ(base, rights::kDirectory);
}

TEST(Ctx, ClosedHostStdinStaysClosedAndPreopensKeepTheirNumbers) {
  WasiConfig cfg;
  cfg.stdin_fd = -1;
  cfg.preopens = {{"/tmp", "/tmp", false}};
  auto ctx = WasiCtx::create(cfg);
  ASSERT_TRUE(ctx.ok());
  std::vector<uint8_t> m(64);
  GuestMemory mem{m.data(), m.size()};
  EXPECT_EQ(fd_fdstat_get(**ctx, mem, 0, 0), Errno::BadF);
  EXPECT_EQ(fd_fdstat_get(**ctx, mem, 1, 0), Errno::Success);
  EXPECT_EQ(fd_prestat_get(**ctx, mem, 3, 0), Errno::Success);
}

TEST(Ctx, MissingPreopenIsAnIoErrorNamingIt) {
  WasiConfig cfg;
  cfg.preopens = {{"/nonexistent/wasmrun-dir", "/x", false}};
  auto ctx = WasiCtx::create(cfg);
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().kind, ErrorKind::Io);
  EXPECT_NE(ctx.error().message.find("/nonexistent/wasmrun-dir"), std::string::npos);
}

TEST(Ctx, ErrnoMappingCoversTheHostValues) {
  EXPECT_EQ(errno_from_host(0), Errno::Success);
  EXPECT_EQ(errno_from_host(ENOENT), Errno::NoEnt);
  EXPECT_EQ(errno_from_host(EXDEV), Errno::XDev);
  EXPECT_EQ(errno_from_host(ELOOP), Errno::Loop);
  EXPECT_EQ(errno_from_host(ENOTSUP), Errno::NotSup);
  EXPECT_EQ(errno_from_host(EWOULDBLOCK), Errno::Again);
  EXPECT_EQ(errno_from_host(ENOTEMPTY), Errno::NotEmpty);
  EXPECT_EQ(errno_from_host(4095), Errno::Io);  // unknown values never leak through
  // The witx numbering, spot-checked at both ends and where tests look.
  EXPECT_EQ(static_cast<int>(Errno::TooBig), 1);
  EXPECT_EQ(static_cast<int>(Errno::Fault), 21);
  EXPECT_EQ(static_cast<int>(Errno::Perm), 63);
  EXPECT_EQ(static_cast<int>(Errno::NotCapable), 76);
}

}  // namespace
}  // namespace wasmrun::wasi::testing
