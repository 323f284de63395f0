// FdTable: allocation, lookup with rights, close and renumber.
#include "wasi/fd_table.h"

namespace wasmrun::wasi {

FdEntry* FdTable::find(uint32_t fd) noexcept {
  return fd < slots_.size() ? slots_[fd].get() : nullptr;
}

Errno FdTable::get(uint32_t fd, uint64_t required, FdEntry*& out) noexcept {
  FdEntry* e = find(fd);
  if (!e) return Errno::BadF;
  if ((e->rights_base & required) != required) return Errno::NotCapable;
  out = e;
  return Errno::Success;
}

Errno FdTable::insert(std::unique_ptr<FdEntry> entry, uint32_t& fd_out) {
  for (uint32_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i]) {
      slots_[i] = std::move(entry);
      fd_out = i;
      return Errno::Success;
    }
  }
  if (slots_.size() >= kMaxGuestFds) return Errno::MFile;
  fd_out = static_cast<uint32_t>(slots_.size());
  slots_.push_back(std::move(entry));
  return Errno::Success;
}

void FdTable::insert_at(uint32_t fd, std::unique_ptr<FdEntry> entry) {
  if (fd >= slots_.size()) slots_.resize(fd + 1);
  slots_[fd] = std::move(entry);
}

Errno FdTable::close(uint32_t fd) noexcept {
  if (!find(fd)) return Errno::BadF;
  slots_[fd].reset();
  while (!slots_.empty() && !slots_.back()) slots_.pop_back();
  return Errno::Success;
}

Errno FdTable::renumber(uint32_t from, uint32_t to) noexcept {
  if (!find(from) || !find(to)) return Errno::BadF;
  if (from == to) return Errno::Success;
  slots_[to] = std::move(slots_[from]);  // destroys (closes) what `to` held
  while (!slots_.empty() && !slots_.back()) slots_.pop_back();
  return Errno::Success;
}

std::vector<uint32_t> FdTable::open_fds() const {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i]) out.push_back(i);
  }
  return out;
}

}  // namespace wasmrun::wasi
