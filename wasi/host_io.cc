// Guest iovecs, filestat encoding and timestamp conversion.
#include "wasi/host_io.h"

#include <climits>

#include "wasi/ctx.h"

namespace wasmrun::wasi {

Errno gather_iovecs(const GuestMemory& mem, uint32_t iovs, uint32_t count,
                    std::vector<iovec>& out) {
  if (!mem.in_bounds(iovs, uint64_t{count} * layout::kIovecSize)) return Errno::Fault;
  uint32_t n = count < IOV_MAX ? count : IOV_MAX;
  out.clear();
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t buf = 0, len = 0;
    mem.load<uint32_t>(uint64_t{iovs} + i * layout::kIovecSize, buf);
    mem.load<uint32_t>(uint64_t{iovs} + i * layout::kIovecSize + 4, len);
    uint8_t* p = mem.range(buf, len);
    if (!p) return Errno::Fault;
    out.push_back(iovec{p, len});
  }
  return Errno::Success;
}

Errno store_filestat(const GuestMemory& mem, uint32_t ptr, const struct stat& st) {
  uint8_t* p = mem.range(ptr, layout::kFilestatSize);
  if (!p) return Errno::Fault;
  auto ns = [](const timespec& t) {
    return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(t.tv_nsec);
  };
  std::memset(p, 0, layout::kFilestatSize);
  GuestMemory view{p, layout::kFilestatSize};
  view.store<uint64_t>(0, st.st_dev);
  view.store<uint64_t>(8, st.st_ino);
  view.store<uint8_t>(16, static_cast<uint8_t>(filetype_from_mode(st.st_mode)));
  view.store<uint64_t>(24, st.st_nlink);
  view.store<uint64_t>(32, static_cast<uint64_t>(st.st_size));
  view.store<uint64_t>(40, ns(st.st_atim));
  view.store<uint64_t>(48, ns(st.st_mtim));
  view.store<uint64_t>(56, ns(st.st_ctim));
  return Errno::Success;
}

Errno timespecs_from_wasi(uint64_t atim, uint64_t mtim, uint32_t flags, timespec out[2]) {
  if (flags & ~uint32_t{fstflags::kAll}) return Errno::Inval;
  auto one = [](uint64_t t, bool set, bool now, timespec& ts) {
    if (set && now) return Errno::Inval;
    if (now) {
      ts = {0, UTIME_NOW};
    } else if (set) {
      ts.tv_sec = static_cast<time_t>(t / 1'000'000'000u);
      ts.tv_nsec = static_cast<long>(t % 1'000'000'000u);
    } else {
      ts = {0, UTIME_OMIT};
    }
    return Errno::Success;
  };
  if (Errno e = one(atim, flags & fstflags::kAtim, flags & fstflags::kAtimNow, out[0]);
      e != Errno::Success) {
    return e;
  }
  return one(mtim, flags & fstflags::kMtim, flags & fstflags::kMtimNow, out[1]);
}

}  // namespace wasmrun::wasi
