// Test fixture for the WASI core: a temporary tree with a sandbox directory
// (preopened as fd 3), a canary file outside it, and a guest memory buffer the
// tests fill and read like a guest would.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "wasi/preview1.h"

namespace wasmrun::wasi::testing {

inline constexpr uint32_t kPreopenFd = 3;
inline constexpr char kCanaryText[] = "canary: must never be read or changed";

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

class WasiFixture : public ::testing::TestWithParam<ResolveMode> {
 protected:
  void SetUp() override {
    if (GetParam() == ResolveMode::Openat2 && !openat2_supported()) {
      GTEST_SKIP() << "kernel has no openat2; the component walker is tested instead";
    }
    char tmpl[] = "/tmp/wasmrun-wasi-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    sandbox_ = root_ / "sandbox";
    outside_ = root_ / "outside";
    std::filesystem::create_directories(sandbox_ / "sub");
    std::filesystem::create_directories(outside_);
    write_file(outside_ / "canary.txt", kCanaryText);
    write_file(sandbox_ / "file.txt", "hello, sandbox");
    struct stat st;
    ASSERT_EQ(stat((outside_ / "canary.txt").c_str(), &st), 0);
    canary_mtime_ = st.st_mtim;
    mem_.assign(1 << 20, 0);
    Recreate(/*readonly=*/false);
  }

  void TearDown() override {
    if (root_.empty()) return;
    if (!canary_checked_) ExpectCanaryIntact();
    ctx_.reset();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  /// Builds a new context with the sandbox preopened as "/sandbox" at fd 3.
  void Recreate(bool readonly, std::vector<PreopenDir> extra = {}) {
    WasiConfig cfg;
    cfg.args = {"prog", "arg one", ""};
    cfg.env = {"A=1", "EMPTY="};
    cfg.preopens.push_back(PreopenDir{sandbox_.string(), "/sandbox", readonly});
    for (auto& p : extra) cfg.preopens.push_back(p);
    cfg.resolve_mode = GetParam();
    auto r = WasiCtx::create(cfg);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ctx_ = std::move(r.value());
  }

  GuestMemory mem() { return GuestMemory{mem_.data(), mem_.size()}; }

  /// Places `s` at a fresh guest address and returns it.
  uint32_t Put(const std::string& s) {
    uint32_t at = next_;
    std::memcpy(mem_.data() + at, s.data(), s.size());
    next_ += static_cast<uint32_t>(s.size() + 8) & ~7u;
    return at;
  }
  /// A fresh zeroed guest buffer of `n` bytes.
  uint32_t Alloc(uint32_t n) {
    uint32_t at = next_;
    std::memset(mem_.data() + at, 0, n);
    next_ += (n + 7) & ~7u;
    return at;
  }
  template <class T>
  T Load(uint32_t at) {
    T v;
    std::memcpy(&v, mem_.data() + at, sizeof(T));
    return v;
  }
  std::string Bytes(uint32_t at, uint32_t n) {
    return std::string(reinterpret_cast<const char*>(mem_.data() + at), n);
  }

  Errno Open(uint32_t dir, const std::string& path, uint32_t& fd, uint32_t oflags = 0,
             uint64_t rights = rights::kAll, uint32_t lookup = kLookupSymlinkFollow,
             uint32_t fdflags = 0) {
    // Directories cannot be opened for writing (EISDIR), so the all-rights
    // default drops the write rights for them.
    if ((oflags & oflags::kDirectory) && rights == rights::kAll) {
      rights &= ~(rights::kFdWrite | rights::kFdAllocate | rights::kFdFilestatSetSize);
    }
    uint32_t p = Put(path), out = Alloc(4);
    Errno e = path_open(*ctx_, mem(), dir, lookup, p, static_cast<uint32_t>(path.size()), oflags,
                        rights, rights, fdflags, out);
    fd = Load<uint32_t>(out);
    return e;
  }

  Errno Write(uint32_t fd, const std::string& data, uint32_t* written = nullptr) {
    uint32_t buf = Put(data), iov = Alloc(8), n = Alloc(4);
    std::memcpy(mem_.data() + iov, &buf, 4);
    uint32_t len = static_cast<uint32_t>(data.size());
    std::memcpy(mem_.data() + iov + 4, &len, 4);
    Errno e = fd_write(*ctx_, mem(), fd, iov, 1, n);
    if (written) *written = Load<uint32_t>(n);
    return e;
  }

  Errno Read(uint32_t fd, uint32_t len, std::string& out) {
    uint32_t buf = Alloc(len), iov = Alloc(8), n = Alloc(4);
    std::memcpy(mem_.data() + iov, &buf, 4);
    std::memcpy(mem_.data() + iov + 4, &len, 4);
    Errno e = fd_read(*ctx_, mem(), fd, iov, 1, n);
    out = Bytes(buf, Load<uint32_t>(n));
    return e;
  }

  /// Calls a path function that takes (fd, path, path_len).
  template <class F>
  Errno PathCall(F f, uint32_t fd, const std::string& path) {
    uint32_t p = Put(path);
    return f(*ctx_, mem(), fd, p, static_cast<uint32_t>(path.size()));
  }

  Errno Symlink(const std::string& target, const std::string& link) {
    uint32_t t = Put(target), l = Put(link);
    return path_symlink(*ctx_, mem(), t, static_cast<uint32_t>(target.size()), kPreopenFd, l,
                        static_cast<uint32_t>(link.size()));
  }

  Errno Rename(const std::string& from, const std::string& to) {
    uint32_t a = Put(from), b = Put(to);
    return path_rename(*ctx_, mem(), kPreopenFd, a, static_cast<uint32_t>(from.size()), kPreopenFd,
                       b, static_cast<uint32_t>(to.size()));
  }

  Errno Link(const std::string& from, const std::string& to, uint32_t flags = 0) {
    uint32_t a = Put(from), b = Put(to);
    return path_link(*ctx_, mem(), kPreopenFd, flags, a, static_cast<uint32_t>(from.size()),
                     kPreopenFd, b, static_cast<uint32_t>(to.size()));
  }

  Errno Stat(const std::string& path, uint32_t flags, uint32_t& buf) {
    uint32_t p = Put(path);
    buf = Alloc(layout::kFilestatSize);
    return path_filestat_get(*ctx_, mem(), kPreopenFd, flags, p, static_cast<uint32_t>(path.size()),
                             buf);
  }

  /// The canary outside the sandbox still has its content and mtime, and no
  /// guest buffer ever held its text.
  void ExpectCanaryIntact() {
    canary_checked_ = true;
    EXPECT_EQ(read_file(outside_ / "canary.txt"), kCanaryText);
    struct stat st;
    ASSERT_EQ(stat((outside_ / "canary.txt").c_str(), &st), 0);
    EXPECT_EQ(st.st_mtim.tv_sec, canary_mtime_.tv_sec);
    EXPECT_EQ(st.st_mtim.tv_nsec, canary_mtime_.tv_nsec);
    EXPECT_EQ(st.st_nlink, 1u) << "a hard link to the canary was created";
    std::string all(reinterpret_cast<const char*>(mem_.data()), mem_.size());
    EXPECT_EQ(all.find("canary: must"), std::string::npos) << "the guest read the canary";
    // Nothing new appeared next to it.
    size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(outside_)) ++n;
    EXPECT_EQ(n, 1u) << "the guest created a file outside the sandbox";
  }

  std::filesystem::path root_, sandbox_, outside_;
  std::unique_ptr<WasiCtx> ctx_;
  std::vector<uint8_t> mem_;
  uint32_t next_ = 64;
  timespec canary_mtime_{};
  bool canary_checked_ = false;
};

inline std::string ModeName(const ::testing::TestParamInfo<ResolveMode>& info) {
  return info.param == ResolveMode::Openat2 ? "Openat2" : "Components";
}

}  // namespace wasmrun::wasi::testing
