// Space: the memory under the GC heap. A segregated-fits allocator over
// mmap'd chunks, plus separately mapped large objects.
//
// * Small objects (<= kMaxSmallSize bytes) are rounded up to one of a fixed
//   set of size classes. Each chunk (kChunkSize bytes, aligned to kChunkSize so
//   an address finds its chunk with a mask) holds cells of one class. A new
//   chunk is handed out by bumping its frontier (no pass over its cells); cells
//   below the frontier are either objects or free cells, threaded into the
//   class's free list by the sweep through their second word. A free cell's
//   first word (the Rtt pointer of a live object) is null, which is how the
//   sweeper and owns() tell free cells from objects; cells at or above the
//   frontier were never handed out and may hold stale bytes of a reused chunk,
//   so nothing reads them.
// * Large objects get their own mapping, returned to the OS when they die.
// * Chunks left empty by a sweep become spares, reused by any size class; the
//   Heap then trims the spares to what the next cycle will allocate
//   (trim_spares), so the mapped and resident size follow the live size
//   without paying for fresh page faults on every cycle.
//
// The Space knows nothing about types or roots: the Heap marks, then calls
// sweep(), which frees every allocated cell whose mark bit is clear and clears
// the bit on the others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace wasmrun::gc {

struct Object;

inline constexpr size_t kChunkSize = size_t{256} << 10;
inline constexpr size_t kMaxSmallSize = 8192;

/// Byte counts the Space maintains; the Heap adds its own.
struct SpaceCounters {
  uint64_t mapped_bytes = 0;   ///< chunks + large mappings currently mapped
  uint64_t used_bytes = 0;     ///< cell/mapping bytes of allocated objects
  uint64_t used_objects = 0;   ///< allocated objects
  uint64_t freed_bytes = 0;    ///< cumulative bytes freed by sweeps
  uint64_t freed_objects = 0;  ///< cumulative objects freed by sweeps
};

class Space {
 public:
  explicit Space(uint64_t max_mapped_bytes);
  ~Space();
  Space(const Space&) = delete;
  Space& operator=(const Space&) = delete;

  /// Zero-filled memory for an object of `size` bytes (size >= 16) with the given
  /// alignment (8 or 16), or nullptr if that would map more than the cap. The
  /// caller must store a non-null Rtt pointer in the first word before the next
  /// sweep. `*charged` receives the bytes accounted (cell or mapping size).
  void* allocate(size_t size, size_t align, size_t* charged);

  /// Frees every allocated object whose gc word lacks kMarkBit. Survivors
  /// keep the bit if `keep_marks` (generational mode: marked = old), else it is
  /// cleared. Rebuilds the free lists; empty chunks become spares and dead
  /// large objects are unmapped.
  void sweep(bool keep_marks);

  /// Calls f(Object*) for every allocated object.
  template <class F>
  void for_each_object(F&& f) {
    for (SizeClass& sc : classes_) {
      for (Chunk* ch : sc.chunks) {
        for (uint32_t i = 0; i < ch->frontier; ++i) {
          auto* o = reinterpret_cast<Object*>(ch->base + size_t{i} * ch->cell_size);
          if (*reinterpret_cast<void* const*>(o) != nullptr) f(o);
        }
      }
    }
    for (auto& [addr, size] : large_) f(reinterpret_cast<Object*>(addr));
  }

  /// Unmaps spare chunks beyond `keep_bytes` of them.
  void trim_spares(uint64_t keep_bytes);

  /// Whether `addr` is the start of an allocated (not free) object.
  bool owns(uintptr_t addr) const;

  const SpaceCounters& counters() const { return c_; }
  uint64_t max_mapped_bytes() const { return max_mapped_; }

 private:
  struct Chunk {
    uint8_t* base = nullptr;
    uint32_t cell_size = 0;
    uint32_t num_cells = 0;
    uint32_t size_class = 0;
    uint32_t frontier = 0;  ///< cells [0, frontier) have been handed out
  };
  struct FreeCell {
    void* null_rtt;  // always null: marks the cell free
    FreeCell* next;
  };
  struct SizeClass {
    uint32_t cell_size = 0;
    FreeCell* free_list = nullptr;
    Chunk* bump = nullptr;  ///< the chunk whose frontier allocation advances
    std::vector<Chunk*> chunks;
  };

  void* allocate_large(size_t size, size_t* charged);
  bool add_chunk(uint32_t size_class);
  uint8_t* map_chunk();
  void unmap_chunk(uint8_t* base);
  /// Sweeps one chunk; returns false if it is empty (caller releases it).
  bool sweep_chunk(Chunk& chunk, FreeCell**& tail, uint32_t clear_bits);

  uint64_t max_mapped_;
  SpaceCounters c_;
  std::vector<SizeClass> classes_;
  std::vector<uint16_t> class_of_;  // (size + 7) / 8 -> class index
  std::unordered_map<uintptr_t, Chunk*> chunk_by_base_;
  std::vector<uint8_t*> spare_chunks_;
  std::unordered_map<uintptr_t, size_t> large_;  // object address -> mapped size
  // Bounds of every address ever mapped: owns() rejects most non-pointers
  // (small integers, payloads) without a hash lookup.
  uintptr_t lowest_ = UINTPTR_MAX;
  uintptr_t highest_ = 0;
  void note_mapping(const void* p, size_t size);
};

}  // namespace wasmrun::gc
