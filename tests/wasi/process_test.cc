// Arguments, environment, clocks, randomness, poll_oneoff, proc_exit/raise,
// sockets, and the bounds checks every pointer parameter goes through.
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include <chrono>

#include "wasi_fixture.h"

namespace wasmrun::wasi::testing {
namespace {

using Process = WasiFixture;

TEST_P(Process, ArgsAndEnvironLayout) {
  uint32_t count = Alloc(4), size = Alloc(4);
  ASSERT_EQ(args_sizes_get(*ctx_, mem(), count, size), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(count), 3u);
  EXPECT_EQ(Load<uint32_t>(size), 5u + 8u + 1u);  // "prog\0" "arg one\0" "\0"
  uint32_t argv = Alloc(12), buf = Alloc(14);
  ASSERT_EQ(args_get(*ctx_, mem(), argv, buf), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(argv), buf);
  EXPECT_EQ(Load<uint32_t>(argv + 4), buf + 5);
  EXPECT_EQ(Load<uint32_t>(argv + 8), buf + 13);
  EXPECT_EQ(Bytes(buf, 14), std::string("prog\0arg one\0\0", 14));

  ASSERT_EQ(environ_sizes_get(*ctx_, mem(), count, size), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(count), 2u);
  EXPECT_EQ(Load<uint32_t>(size), 4u + 7u);
  uint32_t env = Alloc(8), ebuf = Alloc(11);
  ASSERT_EQ(environ_get(*ctx_, mem(), env, ebuf), Errno::Success);
  EXPECT_EQ(Bytes(ebuf, 11), std::string("A=1\0EMPTY=\0", 11));
  EXPECT_EQ(Load<uint32_t>(env + 4), ebuf + 4);
  // A buffer that runs off the end of memory faults.
  EXPECT_EQ(args_get(*ctx_, mem(), argv, static_cast<uint32_t>(mem_.size() - 3)), Errno::Fault);
  EXPECT_EQ(args_sizes_get(*ctx_, mem(), 0xFFFFFFFFu, size), Errno::Fault);
}

TEST_P(Process, Clocks) {
  uint32_t t = Alloc(8);
  for (uint32_t id = 0; id < 4; ++id) {
    ASSERT_EQ(clock_res_get(*ctx_, mem(), id, t), Errno::Success) << id;
    EXPECT_GT(Load<uint64_t>(t), 0u);
    EXPECT_LE(Load<uint64_t>(t), 1'000'000'000u);
  }
  EXPECT_EQ(clock_res_get(*ctx_, mem(), 4, t), Errno::Inval);
  EXPECT_EQ(clock_time_get(*ctx_, mem(), 9, 0, t), Errno::Inval);

  ASSERT_EQ(clock_time_get(*ctx_, mem(), 0, 1, t), Errno::Success);
  uint64_t real = Load<uint64_t>(t);
  uint64_t host = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  EXPECT_LT(host - real, 1'000'000'000u);  // within a second of the host's wall clock

  ASSERT_EQ(clock_time_get(*ctx_, mem(), 1, 1, t), Errno::Success);
  uint64_t m1 = Load<uint64_t>(t);
  ASSERT_EQ(clock_time_get(*ctx_, mem(), 1, 1, t), Errno::Success);
  EXPECT_GE(Load<uint64_t>(t), m1);

  // Process CPU time grows while this thread burns CPU.
  ASSERT_EQ(clock_time_get(*ctx_, mem(), 2, 1, t), Errno::Success);
  uint64_t c1 = Load<uint64_t>(t);
  volatile uint64_t sink = 0;
  for (uint64_t i = 0; i < 20'000'000; ++i) sink = sink + i;
  ASSERT_EQ(clock_time_get(*ctx_, mem(), 2, 1, t), Errno::Success);
  EXPECT_GT(Load<uint64_t>(t), c1);
  ASSERT_EQ(clock_time_get(*ctx_, mem(), 3, 1, t), Errno::Success);
  EXPECT_GT(Load<uint64_t>(t), 0u);
  EXPECT_EQ(clock_time_get(*ctx_, mem(), 1, 1, static_cast<uint32_t>(mem_.size() - 7)),
            Errno::Fault);
}

TEST_P(Process, RandomFillsTheBuffer) {
  uint32_t a = Alloc(64), b = Alloc(64);
  ASSERT_EQ(random_get(*ctx_, mem(), a, 64), Errno::Success);
  ASSERT_EQ(random_get(*ctx_, mem(), b, 64), Errno::Success);
  EXPECT_NE(Bytes(a, 64), Bytes(b, 64));
  EXPECT_NE(Bytes(a, 64), std::string(64, '\0'));
  EXPECT_EQ(random_get(*ctx_, mem(), a, 0), Errno::Success);
  EXPECT_EQ(random_get(*ctx_, mem(), static_cast<uint32_t>(mem_.size() - 10), 11), Errno::Fault);
  // A large request is filled completely (getrandom returns at most 32 MiB).
  std::vector<uint8_t> big(40u << 20);
  GuestMemory bm{big.data(), big.size()};
  ASSERT_EQ(random_get(*ctx_, bm, 0, static_cast<uint32_t>(big.size())), Errno::Success);
  size_t zeros_at_end = 0;
  for (size_t i = big.size() - 4096; i < big.size(); ++i) zeros_at_end += big[i] == 0;
  EXPECT_LT(zeros_at_end, 100u);
}

// Writes one subscription at `at`.
void PutClockSub(std::vector<uint8_t>& m, uint32_t at, uint64_t userdata, uint32_t clock,
                 uint64_t timeout, uint16_t flags) {
  std::memset(m.data() + at, 0, layout::kSubscriptionSize);
  std::memcpy(m.data() + at, &userdata, 8);
  m[at + 8] = static_cast<uint8_t>(EventType::Clock);
  std::memcpy(m.data() + at + 16, &clock, 4);
  std::memcpy(m.data() + at + 24, &timeout, 8);
  std::memcpy(m.data() + at + 40, &flags, 2);
}
void PutFdSub(std::vector<uint8_t>& m, uint32_t at, uint64_t userdata, EventType type,
              uint32_t fd) {
  std::memset(m.data() + at, 0, layout::kSubscriptionSize);
  std::memcpy(m.data() + at, &userdata, 8);
  m[at + 8] = static_cast<uint8_t>(type);
  std::memcpy(m.data() + at + 16, &fd, 4);
}

TEST_P(Process, PollRelativeAndAbsoluteTimeouts) {
  uint32_t in = Alloc(2 * layout::kSubscriptionSize), out = Alloc(2 * layout::kEventSize),
           n = Alloc(4);
  PutClockSub(mem_, in, 0xAB, 1, 30'000'000, 0);  // 30 ms, monotonic
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(poll_oneoff(*ctx_, mem(), in, out, 1, n), Errno::Success);
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(30));
  EXPECT_LT(waited, std::chrono::milliseconds(2000));
  ASSERT_EQ(Load<uint32_t>(n), 1u);
  EXPECT_EQ(Load<uint64_t>(out), 0xABu);
  EXPECT_EQ(Load<uint16_t>(out + 8), 0u);
  EXPECT_EQ(Load<uint8_t>(out + 10), static_cast<uint8_t>(EventType::Clock));

  // Absolute deadline on the realtime clock, 20 ms from now; plus a later one
  // that must not fire.
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t deadline = static_cast<uint64_t>(now.tv_sec) * 1'000'000'000u +
                      static_cast<uint64_t>(now.tv_nsec) + 20'000'000u;
  PutClockSub(mem_, in, 1, 0, deadline, kSubclockAbstime);
  PutClockSub(mem_, in + layout::kSubscriptionSize, 2, 1, 10'000'000'000ull, 0);
  t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(poll_oneoff(*ctx_, mem(), in, out, 2, n), Errno::Success);
  waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(15));
  EXPECT_LT(waited, std::chrono::milliseconds(2000));
  ASSERT_EQ(Load<uint32_t>(n), 1u);
  EXPECT_EQ(Load<uint64_t>(out), 1u);

  // A deadline in the past fires at once.
  PutClockSub(mem_, in, 3, 0, 1, kSubclockAbstime);
  ASSERT_EQ(poll_oneoff(*ctx_, mem(), in, out, 1, n), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(n), 1u);
  // Zero subscriptions: EINVAL. Bad clock: an event carrying EINVAL.
  EXPECT_EQ(poll_oneoff(*ctx_, mem(), in, out, 0, n), Errno::Inval);
  PutClockSub(mem_, in, 4, 77, 1, 0);
  ASSERT_EQ(poll_oneoff(*ctx_, mem(), in, out, 1, n), Errno::Success);
  ASSERT_EQ(Load<uint32_t>(n), 1u);
  EXPECT_EQ(Load<uint64_t>(out), 4u);
  EXPECT_EQ(Load<uint16_t>(out + 8), static_cast<uint16_t>(Errno::Inval));
  // Subscriptions or events that run off the end of memory fault.
  EXPECT_EQ(poll_oneoff(*ctx_, mem(), static_cast<uint32_t>(mem_.size() - 40), out, 1, n),
            Errno::Fault);
}

TEST_P(Process, PollFdReadinessBeforeTimeout) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  WasiConfig cfg;
  cfg.stdin_fd = p[0];
  cfg.resolve_mode = GetParam();
  auto r = WasiCtx::create(cfg);
  ASSERT_TRUE(r.ok());
  ctx_ = std::move(r.value());
  uint32_t in = Alloc(3 * layout::kSubscriptionSize), out = Alloc(3 * layout::kEventSize),
           n = Alloc(4);
  PutFdSub(mem_, in, 10, EventType::FdRead, 0);
  PutClockSub(mem_, in + layout::kSubscriptionSize, 11, 1, 5'000'000'000ull, 0);
  PutFdSub(mem_, in + 2 * layout::kSubscriptionSize, 12, EventType::FdRead, 55);  // not open
  // The bad fd reports at once (with BADF) and nothing else is ready yet.
  ASSERT_EQ(poll_oneoff(*ctx_, mem(), in, out, 3, n), Errno::Success);
  ASSERT_EQ(Load<uint32_t>(n), 1u);
  EXPECT_EQ(Load<uint64_t>(out), 12u);
  EXPECT_EQ(Load<uint16_t>(out + 8), static_cast<uint16_t>(Errno::BadF));
  // With data in the pipe, the read subscription fires long before the clock.
  ASSERT_EQ(write(p[1], "hello", 5), 5);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(poll_oneoff(*ctx_, mem(), in, out, 2, n), Errno::Success);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  ASSERT_EQ(Load<uint32_t>(n), 1u);
  EXPECT_EQ(Load<uint64_t>(out), 10u);
  EXPECT_EQ(Load<uint8_t>(out + 10), static_cast<uint8_t>(EventType::FdRead));
  EXPECT_EQ(Load<uint64_t>(out + 16), 5u);
  // Writer closed and pipe drained: hangup.
  char tmp[5];
  ASSERT_EQ(read(p[0], tmp, 5), 5);
  close(p[1]);
  ASSERT_EQ(poll_oneoff(*ctx_, mem(), in, out, 2, n), Errno::Success);
  ASSERT_EQ(Load<uint32_t>(n), 1u);
  EXPECT_EQ(Load<uint16_t>(out + 24), kEventFdReadwriteHangup);
  close(p[0]);
}

TEST_P(Process, ExitAndRaiseRecordTheStatus) {
  EXPECT_FALSE(ctx_->exit_code().has_value());
  EXPECT_EQ(proc_raise(*ctx_, 0), Errno::Success);
  EXPECT_EQ(proc_raise(*ctx_, 16), Errno::Success);  // SIGCHLD is ignored by default
  EXPECT_FALSE(ctx_->exit_code().has_value());
  EXPECT_EQ(proc_raise(*ctx_, 99), Errno::Inval);
  EXPECT_EQ(proc_raise(*ctx_, 15), Errno::Success);  // SIGTERM ends the program
  EXPECT_EQ(ctx_->exit_code(), 128u + 15u);
  proc_exit(*ctx_, 33);
  EXPECT_EQ(ctx_->exit_code(), 33u);
  EXPECT_EQ(sched_yield(*ctx_), Errno::Success);
}

TEST_P(Process, SocketsAcceptRecvSendShutdown) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  std::string sock_path = (root_ / "s.sock").string();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock_path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  WasiConfig cfg;
  cfg.listen_sockets = {listener};
  cfg.resolve_mode = GetParam();
  auto r = WasiCtx::create(cfg);
  ASSERT_TRUE(r.ok());
  ctx_ = std::move(r.value());
  close(listener);
  const uint32_t lfd = 3;
  int client = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  uint32_t fd_out = Alloc(4);
  ASSERT_EQ(sock_accept(*ctx_, mem(), lfd, 0, fd_out), Errno::Success);
  uint32_t conn = Load<uint32_t>(fd_out);
  ASSERT_EQ(write(client, "ping", 4), 4);
  uint32_t buf = Alloc(16), iov = Alloc(8), len = Alloc(4), flags = Alloc(4);
  uint32_t sixteen = 16;
  std::memcpy(mem_.data() + iov, &buf, 4);
  std::memcpy(mem_.data() + iov + 4, &sixteen, 4);
  ASSERT_EQ(sock_recv(*ctx_, mem(), conn, iov, 1, kRecvPeek, len, flags), Errno::Success);
  EXPECT_EQ(Bytes(buf, Load<uint32_t>(len)), "ping");
  ASSERT_EQ(sock_recv(*ctx_, mem(), conn, iov, 1, 0, len, flags), Errno::Success);
  EXPECT_EQ(Bytes(buf, Load<uint32_t>(len)), "ping");
  uint32_t msg = Put("pong"), siov = Alloc(8), four = 4;
  std::memcpy(mem_.data() + siov, &msg, 4);
  std::memcpy(mem_.data() + siov + 4, &four, 4);
  ASSERT_EQ(sock_send(*ctx_, mem(), conn, siov, 1, 0, len), Errno::Success);
  EXPECT_EQ(Load<uint32_t>(len), 4u);
  char got[4];
  ASSERT_EQ(read(client, got, 4), 4);
  EXPECT_EQ(std::string(got, 4), "pong");
  ASSERT_EQ(sock_shutdown(*ctx_, conn, kShutWr), Errno::Success);
  EXPECT_EQ(read(client, got, 4), 0);  // EOF after shutdown
  EXPECT_EQ(sock_shutdown(*ctx_, conn, 7), Errno::Inval);
  EXPECT_EQ(sock_shutdown(*ctx_, 99, kShutRd), Errno::BadF);
  EXPECT_EQ(sock_shutdown(*ctx_, 1, kShutRd), Errno::NotSock);  // stdout is no socket
  close(client);
  close(sv[0]);
  close(sv[1]);
}

INSTANTIATE_TEST_SUITE_P(Resolvers, Process,
                         ::testing::Values(ResolveMode::Openat2, ResolveMode::Components),
                         ModeName);

}  // namespace
}  // namespace wasmrun::wasi::testing
