// Capability-confined path resolution.
//
// The guest names files only relative to a directory fd it holds (a preopen or a
// directory opened beneath one). These functions resolve such a path so that no
// step can leave that directory: not `..`, not an absolute path, not a symlink
// (absolute, relative-escaping, dangling, looping or created by the guest), and
// not a /proc magic link. Two interchangeable backends do it:
//  - the kernel: openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), Linux >= 5.6;
//  - a component walker: openat(O_NOFOLLOW) one component at a time, expanding
//    symlinks by hand (at most kMaxSymlinks) and refusing to climb above the base.
// Auto uses the kernel when openat2 exists and the walker otherwise; tests force
// either one.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "wasi/abi.h"
#include "wasi/unique_fd.h"

namespace wasmrun::wasi {

enum class ResolveMode : uint8_t { Auto, Openat2, Components };

/// The errno for a path that would leave its base directory. wasi-testsuite
/// (interesting_paths) expects EPERM, as Wasmtime reports; ENOTCAPABLE stays
/// reserved for missing rights.
inline constexpr Errno kEscapeErrno = Errno::Perm;

/// Symlinks expanded during one resolution before ELOOP, as Linux's MAXSYMLINKS.
inline constexpr int kMaxSymlinks = 40;

/// True when the running kernel implements openat2 (probed once).
bool openat2_supported() noexcept;

/// The backend `mode` stands for on this host (Auto resolved to one of the two).
ResolveMode effective_mode(ResolveMode mode) noexcept;

/// Checks the shape of a guest path: empty -> NoEnt, an embedded NUL -> IlSeq,
/// absolute -> kEscapeErrno.
Errno check_guest_path(std::string_view path) noexcept;

/// Opens `path` beneath directory fd `base` with open(2) `flags` and `mode`. The
/// last component is followed if it is a symlink only when `follow_final` (or the
/// path ends in '/'); O_PATH | O_NOFOLLOW then opens the symlink itself.
Errno open_beneath(ResolveMode mode, int base, std::string_view path, int flags, mode_t create_mode,
                   bool follow_final, UniqueFd& out);

/// Where a path operation acts: directory fd `dir` plus a single component
/// `name` (no '/', except one trailing '/' that the guest wrote), or, when `name`
/// is empty, the object `dir` itself (an O_PATH fd, used with AT_EMPTY_PATH).
struct PathTarget {
  UniqueFd dir;
  std::string name;
};

/// How the last component is treated by resolve_at.
enum class LastComponent : uint8_t {
  NoFollow,  ///< lstat-like: a final symlink is the object (unless the path ends in '/')
  Follow,    ///< stat-like: a final symlink is followed, beneath the base
  Entry,     ///< the directory entry itself (create, unlink, rename, link target):
             ///< the kernel never follows it for those calls, so it is passed as a name
};

/// Resolves `path` beneath `base` for an *at() call. All but the last component
/// are resolved safely; the returned name is one component, so the *at() call
/// cannot leave `out.dir`.
Errno resolve_at(ResolveMode mode, int base, std::string_view path, LastComponent last,
                 PathTarget& out);

}  // namespace wasmrun::wasi
