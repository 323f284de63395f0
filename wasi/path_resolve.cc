// Capability-confined path resolution: the openat2 backend, the component
// walker, and resolve_at on top of either. See path_resolve.h for the contract.
#include "wasi/path_resolve.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <vector>

namespace wasmrun::wasi {
namespace {

long raw_openat2(int dirfd, const char* path, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags);
  // openat2 rejects a mode unless the call may create a file. (glibc's
  // O_TMPFILE includes the O_DIRECTORY bit, hence the full-mask comparison.)
  bool creates = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
  how.mode = creates ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

// openat2 backend. EXDEV means the path tried to leave `base`.
Errno open_kernel(int base, std::string_view path, int flags, mode_t mode, bool follow_final,
                  UniqueFd& out) {
  std::string p(path);
  if (!follow_final) flags |= O_NOFOLLOW;
  flags |= O_CLOEXEC;
  for (int attempt = 0;; ++attempt) {
    long fd = raw_openat2(base, p.c_str(), flags, mode);
    if (fd >= 0) {
      out.reset(static_cast<int>(fd));
      return Errno::Success;
    }
    // EAGAIN: a concurrent rename raced the lookup and the kernel refused to
    // guess; a retry sees a consistent tree.
    if (errno == EAGAIN && attempt < 16) continue;
    if (errno == EXDEV) return kEscapeErrno;
    return last_host_errno();
  }
}

// Splits a relative path into components, dropping empty ones ("a//b").
// Returns whether the path ended in '/'.
bool split_components(std::string_view path, std::deque<std::string>& out) {
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return !path.empty() && path.back() == '/';
}

// The component walker. `stack` holds the directories entered below `base`, so
// `..` pops one and refuses to pop past `base` itself.
class Walker {
 public:
  explicit Walker(int base) : base_(base) {}

  Errno open(std::string_view path, int flags, mode_t mode, bool follow_final, UniqueFd& out) {
    std::deque<std::string> comps;
    bool must_dir = split_components(path, comps);
    if (comps.empty()) comps.emplace_back(".");
    while (!comps.empty()) {
      std::string c = std::move(comps.front());
      comps.pop_front();
      bool last = comps.empty();
      if (c == "..") {
        if (stack_.empty()) return kEscapeErrno;
        stack_.pop_back();
        if (!last) continue;
        c = ".";
      } else if (c == "." && !last) {
        continue;
      }
      if (!last) {
        struct stat st;
        if (fstatat(cur(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_host_errno();
        if (S_ISLNK(st.st_mode)) {
          if (Errno e = expand(c, comps, must_dir); e != Errno::Success) return e;
          continue;
        }
        if (!S_ISDIR(st.st_mode)) return Errno::NotDir;
        // O_NOFOLLOW: if the entry was swapped for a symlink since the fstatat,
        // this fails instead of following it.
        int fd = openat(cur(), c.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return last_host_errno();
        stack_.emplace_back(fd);
        continue;
      }
      // The last component.
      // O_CREAT | O_EXCL never follows a final symlink: it must fail with
      // EEXIST, even on a dangling one (POSIX), which the openat below does.
      bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
      if ((follow_final || must_dir) && !excl && c != ".") {
        struct stat st;
        if (fstatat(cur(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
          if (Errno e = expand(c, comps, must_dir); e != Errno::Success) return e;
          continue;
        }
      }
      if (must_dir && (flags & O_CREAT)) return Errno::IsDir;  // open("x/", O_CREAT), as Linux
      int f = flags | O_NOFOLLOW | O_CLOEXEC | (must_dir ? O_DIRECTORY : 0);
      int fd = openat(cur(), c.c_str(), f, mode);
      if (fd < 0) return last_host_errno();
      out.reset(fd);
      return Errno::Success;
    }
    return Errno::NoEnt;  // unreachable: the loop always ends on the last component
  }

 private:
  int cur() const { return stack_.empty() ? base_ : stack_.back().get(); }

  // Replaces symlink `name` (in the current directory) by its target's components.
  Errno expand(const std::string& name, std::deque<std::string>& comps, bool& must_dir) {
    if (++links_ > kMaxSymlinks) return Errno::Loop;
    std::string target(4096, '\0');
    ssize_t n = readlinkat(cur(), name.c_str(), target.data(), target.size());
    if (n < 0) return last_host_errno();
    target.resize(static_cast<size_t>(n));
    if (target.empty()) return Errno::NoEnt;
    if (target[0] == '/') return kEscapeErrno;
    std::deque<std::string> tc;
    bool target_dir = split_components(target, tc);
    if (comps.empty() && target_dir) must_dir = true;
    if (tc.empty()) tc.emplace_back(".");
    comps.insert(comps.begin(), tc.begin(), tc.end());
    return Errno::Success;
  }

  int base_;
  std::vector<UniqueFd> stack_;
  int links_ = 0;
};

}  // namespace

bool openat2_supported() noexcept {
  // -1 unknown, 0 no, 1 yes. Probing twice in a race is harmless.
  static std::atomic<int> state{-1};
  int s = state.load(std::memory_order_relaxed);
  if (s < 0) {
    long fd = raw_openat2(AT_FDCWD, ".", O_PATH | O_CLOEXEC, 0);
    // ENOSYS: old kernel; EPERM: a seccomp filter that does not know openat2.
    s = (fd >= 0 || (errno != ENOSYS && errno != EPERM)) ? 1 : 0;
    if (fd >= 0) close(static_cast<int>(fd));
    state.store(s, std::memory_order_relaxed);
  }
  return s == 1;
}

ResolveMode effective_mode(ResolveMode mode) noexcept {
  if (mode != ResolveMode::Auto) return mode;
  return openat2_supported() ? ResolveMode::Openat2 : ResolveMode::Components;
}

Errno check_guest_path(std::string_view path) noexcept {
  if (path.empty()) return Errno::NoEnt;
  if (path.find('\0') != std::string_view::npos) return Errno::IlSeq;
  if (path[0] == '/') return kEscapeErrno;
  return Errno::Success;
}

Errno open_beneath(ResolveMode mode, int base, std::string_view path, int flags, mode_t create_mode,
                   bool follow_final, UniqueFd& out) {
  if (Errno e = check_guest_path(path); e != Errno::Success) return e;
  if (effective_mode(mode) == ResolveMode::Openat2) {
    return open_kernel(base, path, flags, create_mode, follow_final, out);
  }
  return Walker(base).open(path, flags, create_mode, follow_final, out);
}

Errno resolve_at(ResolveMode mode, int base, std::string_view path, LastComponent last,
                 PathTarget& out) {
  if (Errno e = check_guest_path(path); e != Errno::Success) return e;
  size_t end = path.size();
  while (end > 0 && path[end - 1] == '/') --end;
  bool trailing = end < path.size();
  std::string_view stem = path.substr(0, end);
  size_t slash = stem.rfind('/');
  std::string_view parent = slash == std::string_view::npos ? "." : stem.substr(0, slash);
  std::string_view name = slash == std::string_view::npos ? stem : stem.substr(slash + 1);

  // "." and ".." name a directory that must itself be reached safely (".." of
  // the base is outside it), so the whole path is resolved and the operation
  // acts on "." inside it.
  if (name == "." || name == "..") {
    out.name = ".";
    return open_beneath(mode, base, path, O_PATH | O_DIRECTORY, 0, true, out.dir);
  }
  // Following the last symlink, or a trailing '/' (which makes the kernel follow
  // it), is done by the resolver, never by the *at() call.
  if (last == LastComponent::Follow || (last == LastComponent::NoFollow && trailing)) {
    out.name.clear();
    return open_beneath(mode, base, path, O_PATH, 0, true, out.dir);
  }
  if (Errno e = open_beneath(mode, base, parent, O_PATH | O_DIRECTORY, 0, true, out.dir);
      e != Errno::Success) {
    return e;
  }
  out.name.assign(name);
  if (trailing) out.name.push_back('/');
  return Errno::Success;
}

}  // namespace wasmrun::wasi
