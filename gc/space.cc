// Segregated-fits allocation over mmap'd chunks, and the sweep.
#include "gc/space.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "gc/object.h"

namespace wasmrun::gc {

namespace {

constexpr size_t kPageSize = 4096;

// Size classes: 8-byte steps up to 128 bytes, then about eight classes per
// doubling (internal fragmentation <= 12.5%). Every class above 128 is a
// multiple of 16, and a 16-aligned request below that maps to a class of exactly
// its size, so 16-aligned objects always land on 16-aligned cells.
std::vector<uint32_t> make_size_classes() {
  std::vector<uint32_t> sizes;
  for (uint32_t s = 16; s <= 128; s += 8) sizes.push_back(s);
  for (uint32_t step = 16; sizes.back() < kMaxSmallSize; step *= 2) {
    for (int i = 0; i < 8 && sizes.back() < kMaxSmallSize; ++i)
      sizes.push_back(sizes.back() + step);
  }
  return sizes;
}

}  // namespace

Space::Space(uint64_t max_mapped_bytes) : max_mapped_(max_mapped_bytes) {
  for (uint32_t s : make_size_classes()) {
    SizeClass c;
    c.cell_size = s;
    classes_.push_back(std::move(c));
  }
  class_of_.resize(kMaxSmallSize / 8 + 1);
  size_t ci = 0;
  for (size_t q = 0; q < class_of_.size(); ++q) {
    while (classes_[ci].cell_size < q * 8) ++ci;
    class_of_[q] = static_cast<uint16_t>(ci);
  }
}

Space::~Space() {
  for (SizeClass& c : classes_) {
    for (Chunk* ch : c.chunks) {
      munmap(ch->base, kChunkSize);
      delete ch;
    }
  }
  for (uint8_t* s : spare_chunks_) munmap(s, kChunkSize);
  for (auto& [addr, size] : large_) munmap(reinterpret_cast<void*>(addr), size);
}

uint8_t* Space::map_chunk() {
  // Over-map and trim so the chunk is kChunkSize-aligned: owns() then finds a
  // chunk from any address by masking.
  void* p =
      mmap(nullptr, 2 * kChunkSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  const uintptr_t raw = reinterpret_cast<uintptr_t>(p);
  const uintptr_t aligned = (raw + kChunkSize - 1) & ~(uintptr_t{kChunkSize} - 1);
  if (aligned > raw) munmap(p, aligned - raw);
  const uintptr_t end = raw + 2 * kChunkSize;
  if (end > aligned + kChunkSize) {
    munmap(reinterpret_cast<void*>(aligned + kChunkSize), end - (aligned + kChunkSize));
  }
  return reinterpret_cast<uint8_t*>(aligned);
}

void Space::unmap_chunk(uint8_t* base) {
  munmap(base, kChunkSize);
  c_.mapped_bytes -= kChunkSize;
}

bool Space::add_chunk(uint32_t size_class) {
  uint8_t* base = nullptr;
  if (!spare_chunks_.empty()) {
    base = spare_chunks_.back();
    spare_chunks_.pop_back();
  } else {
    if (c_.mapped_bytes + kChunkSize > max_mapped_) return false;
    base = map_chunk();
    if (!base) return false;
    note_mapping(base, kChunkSize);
    c_.mapped_bytes += kChunkSize;
  }
  SizeClass& sc = classes_[size_class];
  auto* chunk = new Chunk{base, sc.cell_size, static_cast<uint32_t>(kChunkSize / sc.cell_size),
                          size_class, 0};
  chunk_by_base_[reinterpret_cast<uintptr_t>(base)] = chunk;
  sc.chunks.push_back(chunk);
  sc.bump = chunk;
  return true;
}

void* Space::allocate(size_t size, size_t align, size_t* charged) {
  if (align > 8) size = (size + 15) & ~size_t{15};
  if (size > kMaxSmallSize) return allocate_large(size, charged);
  const uint32_t ci = class_of_[(size + 7) / 8];
  SizeClass& sc = classes_[ci];
  void* cell;
  if (sc.free_list) {
    cell = sc.free_list;
    sc.free_list = sc.free_list->next;
  } else {
    if (!sc.bump || sc.bump->frontier == sc.bump->num_cells) {
      if (!add_chunk(ci)) return nullptr;
    }
    cell = sc.bump->base + size_t{sc.bump->frontier++} * sc.cell_size;
  }
  std::memset(cell, 0, size);
  *charged = sc.cell_size;
  c_.used_bytes += sc.cell_size;
  c_.used_objects += 1;
  return cell;
}

void* Space::allocate_large(size_t size, size_t* charged) {
  const size_t mapped = (size + kPageSize - 1) & ~(kPageSize - 1);
  if (mapped < size || c_.mapped_bytes + mapped > max_mapped_) return nullptr;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  large_[reinterpret_cast<uintptr_t>(p)] = mapped;
  note_mapping(p, mapped);
  c_.mapped_bytes += mapped;
  c_.used_bytes += mapped;
  c_.used_objects += 1;
  *charged = mapped;
  return p;  // fresh anonymous pages are already zero
}

bool Space::sweep_chunk(Chunk& chunk, FreeCell**& tail, uint32_t clear_bits) {
  FreeCell** const tail_before = tail;
  uint32_t live = 0;
  for (uint32_t i = 0; i < chunk.frontier; ++i) {
    auto* obj = reinterpret_cast<Object*>(chunk.base + size_t{i} * chunk.cell_size);
    if (obj->rtt != nullptr) {
      if (obj->gc_word & kMarkBit) {
        obj->gc_word &= ~clear_bits;
        ++live;
        continue;
      }
      c_.used_bytes -= chunk.cell_size;
      c_.used_objects -= 1;
      c_.freed_bytes += chunk.cell_size;
      c_.freed_objects += 1;
    }
    auto* cell = reinterpret_cast<FreeCell*>(obj);
    cell->null_rtt = nullptr;
    *tail = cell;
    tail = &cell->next;
  }
  if (live == 0) {
    // Drop this chunk's cells from the list again: the chunk is released.
    tail = tail_before;
    *tail = nullptr;
    return false;
  }
  *tail = nullptr;
  return true;
}

void Space::sweep(bool keep_marks) {
  const uint32_t clear_bits = keep_marks ? 0 : kMarkBit;
  for (SizeClass& sc : classes_) {
    sc.free_list = nullptr;
    FreeCell** tail = &sc.free_list;
    size_t keep = 0;
    for (Chunk* chunk : sc.chunks) {
      if (sweep_chunk(*chunk, tail, clear_bits)) {
        sc.chunks[keep++] = chunk;
        continue;
      }
      chunk_by_base_.erase(reinterpret_cast<uintptr_t>(chunk->base));
      if (sc.bump == chunk) sc.bump = nullptr;
      spare_chunks_.push_back(chunk->base);
      delete chunk;
    }
    sc.chunks.resize(keep);
  }
  for (auto it = large_.begin(); it != large_.end();) {
    auto* obj = reinterpret_cast<Object*>(it->first);
    if (obj->gc_word & kMarkBit) {
      obj->gc_word &= ~clear_bits;
      ++it;
      continue;
    }
    munmap(obj, it->second);
    c_.mapped_bytes -= it->second;
    c_.used_bytes -= it->second;
    c_.used_objects -= 1;
    c_.freed_bytes += it->second;
    c_.freed_objects += 1;
    it = large_.erase(it);
  }
}

void Space::trim_spares(uint64_t keep_bytes) {
  const size_t keep = keep_bytes / kChunkSize;
  while (spare_chunks_.size() > keep) {
    unmap_chunk(spare_chunks_.back());
    spare_chunks_.pop_back();
  }
}

void Space::note_mapping(const void* p, size_t size) {
  const auto a = reinterpret_cast<uintptr_t>(p);
  lowest_ = std::min(lowest_, a);
  highest_ = std::max(highest_, a + size);
}

bool Space::owns(uintptr_t addr) const {
  if ((addr & 7) != 0 || addr < lowest_ || addr >= highest_) return false;
  if (large_.count(addr)) return true;
  auto it = chunk_by_base_.find(addr & ~(uintptr_t{kChunkSize} - 1));
  if (it == chunk_by_base_.end()) return false;
  const Chunk& ch = *it->second;
  const uintptr_t off = addr - reinterpret_cast<uintptr_t>(ch.base);
  if (off % ch.cell_size != 0 || off / ch.cell_size >= ch.frontier) return false;
  return reinterpret_cast<const Object*>(addr)->rtt != nullptr;
}

}  // namespace wasmrun::gc
