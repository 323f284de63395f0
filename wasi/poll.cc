// poll_oneoff: wait for clock deadlines and fd readiness.
//
// Clock subscriptions become one timeout (the earliest deadline; absolute ones
// are converted against their own clock now). fd subscriptions become pollfds,
// except regular files, which are always ready (as poll(2) says for them).
// The call returns once at least one subscription has fired and reports every
// one that has fired by then.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "wasi/preview1.h"

namespace wasmrun::wasi {
namespace {

uint64_t now_ns(clockid_t c) {
  timespec ts;
  clock_gettime(c, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

struct Sub {
  uint64_t userdata = 0;
  EventType type = EventType::Clock;
  Errno error = Errno::Success;  // set when the subscription itself is bad
  uint64_t deadline = 0;         // clock: CLOCK_MONOTONIC ns
  int pollfd_index = -1;         // fd: index in the pollfd array, or -1
  bool file_ready = false;       // fd: a regular file, ready at once
  uint64_t file_nbytes = 0;
  bool fired = false;
  uint64_t nbytes = 0;
  uint16_t rwflags = 0;
};

bool clock_of(uint32_t id, clockid_t& c) {
  switch (static_cast<ClockId>(id)) {
    case ClockId::Realtime: c = CLOCK_REALTIME; return true;
    case ClockId::Monotonic: c = CLOCK_MONOTONIC; return true;
    case ClockId::ProcessCputime: c = CLOCK_PROCESS_CPUTIME_ID; return true;
    case ClockId::ThreadCputime: c = CLOCK_THREAD_CPUTIME_ID; return true;
  }
  return false;
}

}  // namespace

Errno poll_oneoff(WasiCtx& ctx, const GuestMemory& mem, Ptr in, Ptr out, uint32_t nsubscriptions,
                  Ptr nevents_out) {
  if (nsubscriptions == 0) return Errno::Inval;
  if (!mem.in_bounds(in, uint64_t{nsubscriptions} * layout::kSubscriptionSize) ||
      !mem.in_bounds(out, uint64_t{nsubscriptions} * layout::kEventSize) ||
      !mem.in_bounds(nevents_out, 4)) {
    return Errno::Fault;
  }
  const uint64_t start = now_ns(CLOCK_MONOTONIC);
  std::vector<Sub> subs(nsubscriptions);
  std::vector<pollfd> pfds;
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    uint64_t at = uint64_t{in} + uint64_t{i} * layout::kSubscriptionSize;
    Sub& s = subs[i];
    uint8_t tag = 0;
    mem.load<uint64_t>(at, s.userdata);
    mem.load<uint8_t>(at + 8, tag);
    if (tag > static_cast<uint8_t>(EventType::FdWrite)) return Errno::Inval;
    s.type = static_cast<EventType>(tag);
    if (s.type == EventType::Clock) {
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      mem.load<uint32_t>(at + 16, id);
      mem.load<uint64_t>(at + 24, timeout);
      mem.load<uint16_t>(at + 40, flags);
      clockid_t c;
      if (!clock_of(id, c)) {
        s.error = Errno::Inval;
        continue;
      }
      uint64_t rel = timeout;
      if (flags & kSubclockAbstime) {
        uint64_t now = now_ns(c);
        rel = timeout > now ? timeout - now : 0;
      }
      // CPU-time clocks advance no faster than real time, so waiting `rel` of
      // real time is the shortest correct wait.
      s.deadline = rel > std::numeric_limits<uint64_t>::max() - start ? UINT64_MAX : start + rel;
      continue;
    }
    uint32_t fd = 0;
    mem.load<uint32_t>(at + 16, fd);
    FdEntry* e;
    if (Errno err = ctx.fds().get(fd, rights::kPollFdReadwrite, e); err != Errno::Success) {
      s.error = err;
      continue;
    }
    struct stat st;
    if (fstat(e->host.get(), &st) == 0 && S_ISREG(st.st_mode)) {
      s.file_ready = true;
      if (s.type == EventType::FdRead) {
        off_t pos = lseek(e->host.get(), 0, SEEK_CUR);
        s.file_nbytes =
            (pos >= 0 && st.st_size > pos) ? static_cast<uint64_t>(st.st_size - pos) : 0;
      }
      continue;
    }
    s.pollfd_index = static_cast<int>(pfds.size());
    pfds.push_back(pollfd{e->host.get(),
                          static_cast<short>(s.type == EventType::FdRead ? POLLIN : POLLOUT), 0});
  }

  // Subscriptions that fire without waiting: errors and ready files.
  bool any = false;
  for (Sub& s : subs) {
    if (s.error != Errno::Success || s.file_ready) {
      s.fired = true;
      s.nbytes = s.file_nbytes;
      any = true;
    }
  }
  uint64_t earliest = UINT64_MAX;
  for (const Sub& s : subs) {
    if (s.type == EventType::Clock && s.error == Errno::Success)
      earliest = std::min(earliest, s.deadline);
  }
  for (;;) {
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    timespec ts{0, 0};
    timespec* tsp = &ts;
    if (!any) {
      if (earliest == UINT64_MAX) {
        tsp = nullptr;  // no clock: wait for an fd forever
      } else if (earliest > now) {
        uint64_t d = earliest - now;
        ts.tv_sec = static_cast<time_t>(d / 1'000'000'000u);
        ts.tv_nsec = static_cast<long>(d % 1'000'000'000u);
      }
    }
    if (pfds.empty() && tsp) {
      if (tsp->tv_sec || tsp->tv_nsec) {
        while (clock_nanosleep(CLOCK_MONOTONIC, 0, tsp, tsp) == EINTR) {
        }
      }
    } else if (pfds.empty()) {
      return Errno::Inval;  // nothing could ever fire (only bad subscriptions remain)
    } else {
      int rc = ppoll(pfds.data(), pfds.size(), tsp, nullptr);
      if (rc < 0 && errno != EINTR) return last_host_errno();
    }
    now = now_ns(CLOCK_MONOTONIC);
    for (Sub& s : subs) {
      if (s.fired || s.error != Errno::Success) continue;
      if (s.type == EventType::Clock) {
        if (s.deadline <= now) s.fired = true;
      } else if (s.pollfd_index >= 0) {
        const pollfd& p = pfds[static_cast<size_t>(s.pollfd_index)];
        if (!p.revents) continue;
        s.fired = true;
        if (p.revents & POLLNVAL) {
          s.error = Errno::BadF;
        } else {
          if (p.revents & POLLHUP) s.rwflags |= kEventFdReadwriteHangup;
          int avail = 0;
          if (s.type == EventType::FdRead && ioctl(p.fd, FIONREAD, &avail) == 0 && avail > 0) {
            s.nbytes = static_cast<uint64_t>(avail);
          }
        }
      }
      any = any || s.fired;
    }
    if (any) break;
  }

  uint32_t n = 0;
  for (const Sub& s : subs) {
    if (!s.fired) continue;
    uint8_t* p = mem.range(uint64_t{out} + uint64_t{n} * layout::kEventSize, layout::kEventSize);
    std::memset(p, 0, layout::kEventSize);
    GuestMemory ev{p, layout::kEventSize};
    ev.store<uint64_t>(0, s.userdata);
    ev.store<uint16_t>(8, static_cast<uint16_t>(s.error));
    ev.store<uint8_t>(10, static_cast<uint8_t>(s.type));
    if (s.type != EventType::Clock) {
      ev.store<uint64_t>(16, s.nbytes);
      ev.store<uint16_t>(24, s.rwflags);
    }
    ++n;
  }
  return mem.store<uint32_t>(nevents_out, n);
}

}  // namespace wasmrun::wasi
