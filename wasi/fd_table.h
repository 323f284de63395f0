// FdTable: the guest's file descriptors and what each one may do.
//
// A guest fd is an index into this table, never a host fd: the guest can only
// name what the table holds. Each entry owns its host fd and carries the WASI
// rights (checked on every call) and, for preopens, the name the guest sees.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wasi/abi.h"
#include "wasi/unique_fd.h"

namespace wasmrun::wasi {

/// One directory entry as fd_readdir reports it.
struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  FileType type = FileType::Unknown;
};

struct FdEntry {
  UniqueFd host;
  FileType type = FileType::Unknown;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  /// Set for a preopened directory: the guest path fd_prestat_dir_name reports.
  bool is_preopen = false;
  std::string preopen_name;
  /// Everything opened beneath a read-only preopen stays read-only.
  bool readonly = false;
  /// fdflags the host cannot report back (RSYNC is the same bit as SYNC on Linux).
  uint16_t sticky_fdflags = 0;
  /// fd_readdir's snapshot of the directory, taken when a read starts at cookie 0,
  /// so that cookies stay stable while the guest pages through it.
  std::vector<DirEntry> listing;
  bool listing_valid = false;
};

class FdTable {
 public:
  /// The entry for `fd`, or nullptr.
  FdEntry* find(uint32_t fd) noexcept;

  /// The entry for `fd` if it holds every right in `required`: BadF when the fd
  /// is not open, NotCapable when a right is missing.
  Errno get(uint32_t fd, uint64_t required, FdEntry*& out) noexcept;

  /// Installs `entry` at the lowest free number and returns it.
  Errno insert(std::unique_ptr<FdEntry> entry, uint32_t& fd_out);

  /// Installs `entry` at exactly `fd` (used for stdio and preopens at startup).
  void insert_at(uint32_t fd, std::unique_ptr<FdEntry> entry);

  Errno close(uint32_t fd) noexcept;

  /// Moves `from` to `to`, closing what `to` held. Both must be open.
  Errno renumber(uint32_t from, uint32_t to) noexcept;

  /// Open fd numbers in increasing order.
  std::vector<uint32_t> open_fds() const;

 private:
  std::vector<std::unique_ptr<FdEntry>> slots_;
};

/// The largest number of guest fds open at once (EMFILE beyond).
inline constexpr uint32_t kMaxGuestFds = 1u << 16;

}  // namespace wasmrun::wasi
