// The wasi_snapshot_preview1 ABI: numeric values and struct layouts, exactly as
// typenames.witx defines them. Everything the guest can observe in memory is
// spelled here once, so the implementation files never hard-code an offset.
#pragma once

#include <cstdint>

namespace wasmrun::wasi {

/// errno values of wasi_snapshot_preview1 (witx `errno`, u16).
enum class Errno : uint16_t {
  Success = 0,
  TooBig = 1,
  Acces = 2,
  AddrInUse = 3,
  AddrNotAvail = 4,
  AfNoSupport = 5,
  Again = 6,
  Already = 7,
  BadF = 8,
  BadMsg = 9,
  Busy = 10,
  Canceled = 11,
  Child = 12,
  ConnAborted = 13,
  ConnRefused = 14,
  ConnReset = 15,
  DeadLk = 16,
  DestAddrReq = 17,
  Dom = 18,
  DQuot = 19,
  Exist = 20,
  Fault = 21,
  FBig = 22,
  HostUnreach = 23,
  IdRm = 24,
  IlSeq = 25,
  InProgress = 26,
  Intr = 27,
  Inval = 28,
  Io = 29,
  IsConn = 30,
  IsDir = 31,
  Loop = 32,
  MFile = 33,
  MLink = 34,
  MsgSize = 35,
  MultiHop = 36,
  NameTooLong = 37,
  NetDown = 38,
  NetReset = 39,
  NetUnreach = 40,
  NFile = 41,
  NoBufs = 42,
  NoDev = 43,
  NoEnt = 44,
  NoExec = 45,
  NoLck = 46,
  NoLink = 47,
  NoMem = 48,
  NoMsg = 49,
  NoProtoOpt = 50,
  NoSpc = 51,
  NoSys = 52,
  NotConn = 53,
  NotDir = 54,
  NotEmpty = 55,
  NotRecoverable = 56,
  NotSock = 57,
  NotSup = 58,
  NoTty = 59,
  NxIo = 60,
  Overflow = 61,
  OwnerDead = 62,
  Perm = 63,
  Pipe = 64,
  Proto = 65,
  ProtoNoSupport = 66,
  ProtoType = 67,
  Range = 68,
  RoFs = 69,
  SPipe = 70,
  Srch = 71,
  Stale = 72,
  TimedOut = 73,
  TxtBsy = 74,
  XDev = 75,
  NotCapable = 76,
};

/// Maps a host errno value to the WASI errno the guest sees.
Errno errno_from_host(int host_errno) noexcept;

/// The errno of the last failed host call (reads ::errno).
Errno last_host_errno() noexcept;

/// witx `rights` (u64 flags): what an fd may be used for.
namespace rights {
inline constexpr uint64_t kFdDatasync = 1ull << 0;
inline constexpr uint64_t kFdRead = 1ull << 1;
inline constexpr uint64_t kFdSeek = 1ull << 2;
inline constexpr uint64_t kFdFdstatSetFlags = 1ull << 3;
inline constexpr uint64_t kFdSync = 1ull << 4;
inline constexpr uint64_t kFdTell = 1ull << 5;
inline constexpr uint64_t kFdWrite = 1ull << 6;
inline constexpr uint64_t kFdAdvise = 1ull << 7;
inline constexpr uint64_t kFdAllocate = 1ull << 8;
inline constexpr uint64_t kPathCreateDirectory = 1ull << 9;
inline constexpr uint64_t kPathCreateFile = 1ull << 10;
inline constexpr uint64_t kPathLinkSource = 1ull << 11;
inline constexpr uint64_t kPathLinkTarget = 1ull << 12;
inline constexpr uint64_t kPathOpen = 1ull << 13;
inline constexpr uint64_t kFdReaddir = 1ull << 14;
inline constexpr uint64_t kPathReadlink = 1ull << 15;
inline constexpr uint64_t kPathRenameSource = 1ull << 16;
inline constexpr uint64_t kPathRenameTarget = 1ull << 17;
inline constexpr uint64_t kPathFilestatGet = 1ull << 18;
inline constexpr uint64_t kPathFilestatSetSize = 1ull << 19;
inline constexpr uint64_t kPathFilestatSetTimes = 1ull << 20;
inline constexpr uint64_t kFdFilestatGet = 1ull << 21;
inline constexpr uint64_t kFdFilestatSetSize = 1ull << 22;
inline constexpr uint64_t kFdFilestatSetTimes = 1ull << 23;
inline constexpr uint64_t kPathSymlink = 1ull << 24;
inline constexpr uint64_t kPathRemoveDirectory = 1ull << 25;
inline constexpr uint64_t kPathUnlinkFile = 1ull << 26;
inline constexpr uint64_t kPollFdReadwrite = 1ull << 27;
inline constexpr uint64_t kSockShutdown = 1ull << 28;
inline constexpr uint64_t kSockAccept = 1ull << 29;
inline constexpr uint64_t kAll = (1ull << 30) - 1;

/// Rights that only make sense on a regular file (or another byte stream).
inline constexpr uint64_t kFile = kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags | kFdSync |
                                  kFdTell | kFdWrite | kFdAdvise | kFdAllocate | kFdFilestatGet |
                                  kFdFilestatSetSize | kFdFilestatSetTimes | kPollFdReadwrite;
/// Rights that make sense on a directory.
inline constexpr uint64_t kDirectory =
    kFdFdstatSetFlags | kFdSync | kFdAdvise | kPathCreateDirectory | kPathCreateFile |
    kPathLinkSource | kPathLinkTarget | kPathOpen | kFdReaddir | kPathReadlink | kPathRenameSource |
    kPathRenameTarget | kPathFilestatGet | kPathFilestatSetSize | kPathFilestatSetTimes |
    kFdFilestatGet | kFdFilestatSetTimes | kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile |
    kFdDatasync;
/// Rights a socket may carry.
inline constexpr uint64_t kSocket = kFdRead | kFdWrite | kFdFdstatSetFlags | kFdFilestatGet |
                                    kPollFdReadwrite | kSockShutdown | kSockAccept;
/// Rights that change the file system; a read-only preopen never grants them.
inline constexpr uint64_t kMutating =
    kFdDatasync | kFdWrite | kFdAllocate | kPathCreateDirectory | kPathCreateFile |
    kPathLinkSource | kPathLinkTarget | kPathRenameSource | kPathRenameTarget |
    kPathFilestatSetSize | kPathFilestatSetTimes | kFdFilestatSetSize | kFdFilestatSetTimes |
    kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile;
}  // namespace rights

/// witx `filetype` (u8).
enum class FileType : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

/// witx `fdflags` (u16).
namespace fdflags {
inline constexpr uint16_t kAppend = 1, kDsync = 2, kNonblock = 4, kRsync = 8, kSync = 16;
inline constexpr uint16_t kAll = 31;
}  // namespace fdflags

/// witx `oflags` (u16).
namespace oflags {
inline constexpr uint16_t kCreat = 1, kDirectory = 2, kExcl = 4, kTrunc = 8;
inline constexpr uint16_t kAll = 15;
}  // namespace oflags

/// witx `lookupflags` (u32).
inline constexpr uint32_t kLookupSymlinkFollow = 1;

/// witx `fstflags` (u16).
namespace fstflags {
inline constexpr uint16_t kAtim = 1, kAtimNow = 2, kMtim = 4, kMtimNow = 8;
inline constexpr uint16_t kAll = 15;
}  // namespace fstflags

/// witx `whence` (u8).
enum class Whence : uint8_t { Set = 0, Cur = 1, End = 2 };

/// witx `clockid` (u32).
enum class ClockId : uint32_t {
  Realtime = 0,
  Monotonic = 1,
  ProcessCputime = 2,
  ThreadCputime = 3
};

/// witx `advice` (u8).
enum class Advice : uint8_t {
  Normal = 0,
  Sequential = 1,
  Random = 2,
  WillNeed = 3,
  DontNeed = 4,
  NoReuse = 5,
};

/// witx `eventtype` (u8).
enum class EventType : uint8_t { Clock = 0, FdRead = 1, FdWrite = 2 };

/// witx `subclockflags` (u16) and `eventrwflags` (u16).
inline constexpr uint16_t kSubclockAbstime = 1;
inline constexpr uint16_t kEventFdReadwriteHangup = 1;

/// witx `riflags`, `roflags` and `sdflags`.
inline constexpr uint16_t kRecvPeek = 1, kRecvWaitall = 2;
inline constexpr uint16_t kRecvDataTruncated = 1;
inline constexpr uint8_t kShutRd = 1, kShutWr = 2;

/// Byte layouts of the structs the guest reads and writes (little-endian).
namespace layout {
// iovec / ciovec: buf u32 @0, buf_len u32 @4.
inline constexpr uint32_t kIovecSize = 8;
// fdstat: fs_filetype u8 @0, fs_flags u16 @2, fs_rights_base u64 @8, fs_rights_inheriting u64 @16.
inline constexpr uint32_t kFdstatSize = 24;
// filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56.
inline constexpr uint32_t kFilestatSize = 64;
// dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20; the name follows.
inline constexpr uint32_t kDirentSize = 24;
// prestat: tag u8 @0 (0 = dir), pr_name_len u32 @4.
inline constexpr uint32_t kPrestatSize = 8;
// subscription: userdata u64 @0, tag u8 @8, then the variant body at @16:
//   clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40;
//   fd_read / fd_write: file_descriptor u32 @16.
inline constexpr uint32_t kSubscriptionSize = 48;
// event: userdata u64 @0, error u16 @8, type u8 @10, fd_readwrite.nbytes u64 @16,
//   fd_readwrite.flags u16 @24.
inline constexpr uint32_t kEventSize = 32;
}  // namespace layout

}  // namespace wasmrun::wasi
