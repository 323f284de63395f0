// wasi_unstable adapters: translate the three differing layouts through a host
// scratch buffer and call the preview1 implementation.
#include "wasi/unstable.h"

#include <vector>

namespace wasmrun::wasi::unstable {
namespace {

// Re-encodes a preview1 filestat (64 bytes at `p1`) as an unstable one at `out`.
Errno store_unstable_filestat(const GuestMemory& mem, Ptr out, const uint8_t* p1) {
  uint8_t* dst = mem.range(out, kFilestatSize);
  if (!dst) return Errno::Fault;
  uint64_t nlink;
  std::memcpy(&nlink, p1 + 24, 8);
  uint32_t nlink32 = nlink > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(nlink);
  std::memset(dst, 0, kFilestatSize);
  std::memcpy(dst + 0, p1 + 0, 17);       // dev, ino, filetype
  std::memcpy(dst + 20, &nlink32, 4);     // nlink (u32)
  std::memcpy(dst + 24, p1 + 32, 8 * 4);  // size, atim, mtim, ctim
  return Errno::Success;
}

}  // namespace

Errno fd_seek(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint64_t offset, uint32_t whence,
              Ptr newoffset_out) {
  static constexpr uint32_t kToPreview1[] = {1 /*cur*/, 2 /*end*/, 0 /*set*/};
  if (whence > 2) return Errno::Inval;
  return wasi::fd_seek(ctx, mem, fd, offset, kToPreview1[whence], newoffset_out);
}

Errno fd_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, Ptr stat_out) {
  uint8_t buf[layout::kFilestatSize];
  if (Errno e = wasi::fd_filestat_get(ctx, GuestMemory{buf, sizeof(buf)}, fd, 0);
      e != Errno::Success) {
    return e;
  }
  return store_unstable_filestat(mem, stat_out, buf);
}

Errno path_filestat_get(WasiCtx& ctx, const GuestMemory& mem, uint32_t fd, uint32_t flags, Ptr path,
                        uint32_t path_len, Ptr stat_out) {
  // The path is read from guest memory, so the scratch filestat lives in a
  // copy of the path plus 64 bytes, not in the guest.
  std::string p;
  if (Errno e = mem.read_string(path, path_len, p); e != Errno::Success) return e;
  std::vector<uint8_t> scratch(layout::kFilestatSize + p.size());
  std::memcpy(scratch.data() + layout::kFilestatSize, p.data(), p.size());
  GuestMemory tmp{scratch.data(), scratch.size()};
  if (Errno e = wasi::path_filestat_get(ctx, tmp, fd, flags, layout::kFilestatSize, path_len, 0);
      e != Errno::Success) {
    return e;
  }
  return store_unstable_filestat(mem, stat_out, scratch.data());
}

Errno poll_oneoff(WasiCtx& ctx, const GuestMemory& mem, Ptr in, Ptr out, uint32_t nsubscriptions,
                  Ptr nevents_out) {
  if (nsubscriptions == 0) return Errno::Inval;
  const uint8_t* src = mem.range(in, uint64_t{nsubscriptions} * kSubscriptionSize);
  if (!src || !mem.in_bounds(out, uint64_t{nsubscriptions} * layout::kEventSize) ||
      !mem.in_bounds(nevents_out, 4)) {
    return Errno::Fault;
  }
  // Scratch layout: preview1 subscriptions, then events, then the count.
  const uint64_t subs_bytes = uint64_t{nsubscriptions} * layout::kSubscriptionSize;
  const uint64_t events_bytes = uint64_t{nsubscriptions} * layout::kEventSize;
  std::vector<uint8_t> scratch(subs_bytes + events_bytes + 4, 0);
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    const uint8_t* s = src + uint64_t{i} * kSubscriptionSize;
    uint8_t* d = scratch.data() + uint64_t{i} * layout::kSubscriptionSize;
    std::memcpy(d, s, 9);  // userdata, tag
    if (s[8] == static_cast<uint8_t>(EventType::Clock)) {
      std::memcpy(d + 16, s + 24, 4);   // clock_id
      std::memcpy(d + 24, s + 32, 16);  // timeout, precision
      std::memcpy(d + 40, s + 48, 2);   // flags
    } else {
      std::memcpy(d + 16, s + 16, 4);  // file_descriptor
    }
  }
  GuestMemory tmp{scratch.data(), scratch.size()};
  const uint32_t ev = static_cast<uint32_t>(subs_bytes);
  const uint32_t cnt = static_cast<uint32_t>(subs_bytes + events_bytes);
  if (Errno e = wasi::poll_oneoff(ctx, tmp, 0, ev, nsubscriptions, cnt); e != Errno::Success) {
    return e;
  }
  uint32_t n;
  std::memcpy(&n, scratch.data() + cnt, 4);
  mem.write_bytes(out, scratch.data() + ev, uint64_t{n} * layout::kEventSize);
  return mem.store<uint32_t>(nevents_out, n);
}

}  // namespace wasmrun::wasi::unstable
