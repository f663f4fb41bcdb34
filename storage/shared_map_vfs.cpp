#include "storage/shared_map_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/wal_write_buffer.h"

namespace ib::storage {
namespace {

constexpr char kName[] = "ib-shared-map";

// One database file's mapping, shared by every connection of this process that has it open.
struct Mapping {
  std::pair<dev_t, ino_t> id;
  const char* base = nullptr;
  // Bytes of the file known to exist: only they are handed out as pages.
  std::atomic<int64_t> valid{0};
  int users = 0;  // open files using it; under Registry::mu
  // Descriptors of the file that this VFS opened (normally one). They are closed only with the
  // mapping: closing any descriptor of a file drops every POSIX lock this process holds on it,
  // SQLite's included, and while the mapping has users SQLite holds some.
  std::vector<int> fds;
  // A connection deferring its syncs of this file (kDeferDatabaseSyncs) wrote to it since the
  // last sync. Paying it holds sync_mu, and clears the flag before its fdatasync: copies made
  // meanwhile set it again. So the file has unsynced writes while the flag is set or sync_mu
  // is held.
  std::atomic<bool> sync_owed{false};
  std::mutex sync_mu;
  // The descriptor deferred syncs go through (the first of fds; set once, before sharing).
  int sync_fd = -1;
};

struct Registry {
  std::mutex mu;
  std::map<std::pair<dev_t, ino_t>, Mapping*> by_file;
};

Registry& Files() {
  static auto* registry = new Registry();  // never destroyed: files may close during exit
  return *registry;
}

// The mapping of the file `st` describes, if there is one, with one more user; the caller
// holds r.mu.
Mapping* UseMapped(Registry& r, const struct stat& st) {
  auto it = r.by_file.find({st.st_dev, st.st_ino});
  if (it == r.by_file.end()) return nullptr;
  ++it->second->users;
  return it->second;
}

// The mapping of the database file at `path`, made on first use; nullptr if it cannot be
// mapped (the file is then read with pread, as without this VFS).
Mapping* Acquire(const char* path) {
  Registry& r = Files();
  struct stat st {};
  if (::stat(path, &st) != 0) return nullptr;
  std::lock_guard<std::mutex> lock(r.mu);
  if (Mapping* mapped = UseMapped(r, st)) return mapped;
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat opened {};
  if (::fstat(fd, &opened) != 0) opened = st;
  const std::pair<dev_t, ino_t> id{opened.st_dev, opened.st_ino};
  auto it = r.by_file.find(id);
  if (it != r.by_file.end()) {
    // The path named another file between stat and open: keep the descriptor (see fds).
    it->second->fds.push_back(fd);
    ++it->second->users;
    return it->second;
  }
  void* base =
      ::mmap(nullptr, static_cast<size_t>(kSharedMapReserveBytes), PROT_READ, MAP_SHARED, fd, 0);
  auto* m = new (std::nothrow) Mapping();
  if (base == MAP_FAILED || m == nullptr) {
    if (base != MAP_FAILED) ::munmap(base, static_cast<size_t>(kSharedMapReserveBytes));
    delete m;
    // Not closed (see Mapping::fds); parked on no mapping, it stays open until exit.
    return nullptr;
  }
  m->id = id;
  m->base = static_cast<const char*>(base);
  m->valid.store(opened.st_size);
  m->users = 1;
  m->fds.push_back(fd);
  m->sync_fd = fd;
  r.by_file.emplace(id, m);
  return m;
}

// After the file's last user closed (SQLite then holds no lock on it).
void Release(Mapping* m) {
  Registry& r = Files();
  std::lock_guard<std::mutex> lock(r.mu);
  if (--m->users > 0) return;
  r.by_file.erase(m->id);
  ::munmap(const_cast<char*>(m->base), static_cast<size_t>(kSharedMapReserveBytes));
  for (int fd : m->fds) ::close(fd);
  delete m;
}

std::atomic<int64_t> deferred_syncs_paid{0};

// Syncs the database file if a deferred sync is owed (or, with `even_if_not_owed`, in any case:
// kSyncDatabaseNow), after waiting for one under way; settles what was owed before it began.
// Thread-safe; an error leaves a sync owed.
int PayOwedSync(Mapping* m, bool even_if_not_owed = false) {
  if (m == nullptr) return SQLITE_OK;
  std::lock_guard<std::mutex> lock(m->sync_mu);
  if (!m->sync_owed.exchange(false) && !even_if_not_owed) return SQLITE_OK;
  // fdatasync through any descriptor of the file flushes the file.
  if (::fdatasync(m->sync_fd) != 0) {
    m->sync_owed.store(true);
    return SQLITE_IOERR_FSYNC;
  }
  deferred_syncs_paid.fetch_add(1);
  return SQLITE_OK;
}

// kWriteBackDatabase: the dirty pages of [w.next, w.next + w.bytes) written out and waited
// for, one slice at a time (a hint: a failure is harmless, the sync that follows reports it).
void WriteBack(Mapping* m, DatabaseWriteback& w) {
  struct stat st {};
  if (::fstat(m->sync_fd, &st) != 0) return;
  const int64_t from = std::clamp<int64_t>(w.next, 0, st.st_size);
  const int64_t end = std::min<int64_t>(st.st_size, from + std::max<int64_t>(w.bytes, 0));
  for (int64_t at = from; at < end; at += kWritebackSliceBytes) {
    ::sync_file_range(
        m->sync_fd, at, std::min(kWritebackSliceBytes, end - at),
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  }
  w.next = end < st.st_size ? end : 0;
}

// Whether the file may have unsynced deferred writes; never waits (a sync under way counts).
bool SyncOwedNow(Mapping* m) {
  if (!m->sync_mu.try_lock()) return true;
  const bool owed = m->sync_owed.load();
  m->sync_mu.unlock();
  return owed;
}

// The mapping of the database whose WAL is `wal_path` (its name without "-wal"), taken like
// Acquire; nullptr when that file is not mapped here.
Mapping* AcquireForWal(const char* wal_path) {
  std::string db(wal_path);
  constexpr std::string_view kSuffix = "-wal";
  if (db.size() <= kSuffix.size() ||
      db.compare(db.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return nullptr;
  }
  db.resize(db.size() - kSuffix.size());
  struct stat st {};
  if (::stat(db.c_str(), &st) != 0) return nullptr;
  Registry& r = Files();
  std::lock_guard<std::mutex> lock(r.mu);
  return UseMapped(r, st);
}

void RaiseValid(Mapping* m, int64_t end) {
  int64_t known = m->valid.load();
  while (known < end && !m->valid.compare_exchange_weak(known, end)) {
  }
}

// Our file: the real (unix) file follows it in the same allocation (szOsFile covers both).
struct File {
  sqlite3_file base;
  Mapping* map;  // main database files only; nullptr otherwise or when it could not be mapped
  bool main_db;
  bool defer_syncs;               // main database files only: kDeferDatabaseSyncs
  bool restart_only_when_synced;  // main database files only: kRestartOnlyWhenSynced
  // WAL files only: their database's mapping, whose owed sync is paid before a frame can be
  // destroyed (nullptr when that database is not mapped).
  Mapping* wal_of;
  // WAL files only (nullptr otherwise, or if it could not be allocated: writes then go
  // straight through): their frames' writes gathered (storage/wal_write_buffer.h).
  WalWriteBuffer* wal;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Of(f)->real(); }
sqlite3_vfs* RealVfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

// Runs `call` on the real file once a WAL file's held frames are written, so that every call
// but a write sees the file with all of its connection's writes (wal_write_buffer.h); a failed
// write of them fails the call.
template <typename Call>
int AfterHeldWrites(sqlite3_file* f, Call call) {
  if (Of(f)->wal != nullptr) {
    if (const int rc = Of(f)->wal->Flush(); rc != SQLITE_OK) return rc;
  }
  return call(Real(f));
}

int Close(sqlite3_file* f) {
  File* file = Of(f);
  const int flushed = file->wal != nullptr ? file->wal->Flush() : SQLITE_OK;
  const int rc = file->real()->pMethods->xClose(file->real());
  if (file->map != nullptr) Release(file->map);
  file->map = nullptr;
  if (file->wal_of != nullptr) Release(file->wal_of);
  file->wal_of = nullptr;
  delete file->wal;
  file->wal = nullptr;
  return flushed != SQLITE_OK ? flushed : rc;
}

int Read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  return AfterHeldWrites(
      f, [&](sqlite3_file* real) { return real->pMethods->xRead(real, out, amount, offset); });
}

int Write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  File* file = Of(f);
  // The WAL's header is written when it starts over: the frames after it will be overwritten.
  if (offset == 0 && file->wal_of != nullptr) {
    if (const int rc = PayOwedSync(file->wal_of); rc != SQLITE_OK) return rc;
  }
  if (file->wal != nullptr) return file->wal->Write(data, amount, offset);
  const int rc = Real(f)->pMethods->xWrite(Real(f), data, amount, offset);
  if (rc == SQLITE_OK && file->map != nullptr) RaiseValid(file->map, offset + amount);
  return rc;
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (Of(f)->wal_of != nullptr) {
    if (const int rc = PayOwedSync(Of(f)->wal_of); rc != SQLITE_OK) return rc;
  }
  return AfterHeldWrites(f, [&](sqlite3_file* real) {
    Mapping* m = Of(f)->map;
    // Lowered before the file shrinks, so no new page is handed out past the new end.
    if (m != nullptr) m->valid.store(std::min(m->valid.load(), static_cast<int64_t>(size)));
    return real->pMethods->xTruncate(real, size);
  });
}

int Sync(sqlite3_file* f, int flags) {
  File* file = Of(f);
  if (file->defer_syncs && file->map != nullptr) {
    file->map->sync_owed.store(true);
    return SQLITE_OK;
  }
  return AfterHeldWrites(f, [&](sqlite3_file* real) { return real->pMethods->xSync(real, flags); });
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return AfterHeldWrites(f,
                         [&](sqlite3_file* real) { return real->pMethods->xFileSize(real, size); });
}
int Lock(sqlite3_file* f, int level) {
  return AfterHeldWrites(f, [&](sqlite3_file* real) { return real->pMethods->xLock(real, level); });
}
int Unlock(sqlite3_file* f, int level) {
  return AfterHeldWrites(f,
                         [&](sqlite3_file* real) { return real->pMethods->xUnlock(real, level); });
}
int CheckReservedLock(sqlite3_file* f, int* out) {
  return AfterHeldWrites(
      f, [&](sqlite3_file* real) { return real->pMethods->xCheckReservedLock(real, out); });
}

int FileControl(sqlite3_file* f, int op, void* arg) {
  // Deferred database syncs (shared_map_vfs.h).
  if (op == kDeferDatabaseSyncs && Of(f)->main_db) {
    Of(f)->defer_syncs = true;
    return SQLITE_OK;
  }
  if (op == kPayDatabaseSync && Of(f)->main_db) return PayOwedSync(Of(f)->map);
  if (op == kSyncDatabaseNow && Of(f)->main_db) {
    return Of(f)->map != nullptr ? PayOwedSync(Of(f)->map, true) : SQLITE_NOTFOUND;
  }
  if (op == kWriteBackDatabase && Of(f)->main_db) {
    if (arg == nullptr) return SQLITE_MISUSE;
    if (Of(f)->map == nullptr) return SQLITE_NOTFOUND;
    WriteBack(Of(f)->map, *static_cast<DatabaseWriteback*>(arg));
    return SQLITE_OK;
  }
  if (op == kRestartOnlyWhenSynced && Of(f)->main_db) {
    Of(f)->restart_only_when_synced = true;
    return SQLITE_OK;
  }
  // The database file's memory mapping is ours: SQLite's own per-connection mapping is not
  // made (PRAGMA mmap_size only tells the pager to fetch pages through Fetch below).
  // PRAGMA mmap_size then reports the reservation (0: the file is not mapped).
  if (op == SQLITE_FCNTL_MMAP_SIZE && Of(f)->main_db) {
    *static_cast<sqlite3_int64*>(arg) = Of(f)->map != nullptr ? kSharedMapReserveBytes : 0;
    return SQLITE_OK;
  }
  return AfterHeldWrites(
      f, [&](sqlite3_file* real) { return real->pMethods->xFileControl(real, op, arg); });
}

// Queries of the device, and the shared memory (which belongs to the database file, never to
// a WAL): nothing held matters to them.
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
// The wal-index lock a WAL restart takes (read marks 1 to 4, exclusive): SQLite's writer, at
// the start of a write transaction once every frame is copied, and checkpoints in RESTART or
// TRUNCATE mode. After it the WAL's frames are overwritten.
constexpr int kRestartLockOffset = 4;
constexpr int kRestartLockCount = 4;

int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  File* file = Of(f);
  if (offset == kRestartLockOffset && n == kRestartLockCount &&
      flags == (SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE) && file->map != nullptr) {
    if (file->restart_only_when_synced) {
      // SQLite's writer then goes on appending to the WAL, as when a reader holds a mark.
      if (SyncOwedNow(file->map)) return SQLITE_BUSY;
    } else if (const int rc = PayOwedSync(file->map); rc != SQLITE_OK) {
      return rc;
    }
  }
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}

int Fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  if (!Of(f)->main_db) {
    return AfterHeldWrites(
        f, [&](sqlite3_file* real) { return real->pMethods->xFetch(real, offset, amount, out); });
  }
  Mapping* m = Of(f)->map;
  const int64_t end = offset + amount;
  *out = (m != nullptr && offset >= 0 && end <= m->valid.load(std::memory_order_acquire) &&
          end <= kSharedMapReserveBytes)
             ? const_cast<char*>(m->base + offset)
             : nullptr;  // SQLite reads it instead
  return SQLITE_OK;
}

int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  // The shared mapping outlives every page handed out; SQLite's "unmap all" (offset 0, no page)
  // after a change is exactly what this VFS exists to skip.
  if (Of(f)->main_db) return SQLITE_OK;
  return Real(f)->pMethods->xUnfetch(Real(f), offset, page);
}

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = Of(f);
  file->base.pMethods = nullptr;
  file->map = nullptr;
  file->wal = nullptr;
  file->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  file->defer_syncs = false;
  file->restart_only_when_synced = false;
  file->wal_of = nullptr;
  sqlite3_file* real = file->real();
  real->pMethods = nullptr;
  const int rc = RealVfs(vfs)->xOpen(RealVfs(vfs), name, real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (real->pMethods != nullptr) real->pMethods->xClose(real);
    return rc;
  }
  if (real->pMethods->iVersion < 3) {
    // Not the unix VFS we wrap: nothing to forward version-3 calls to.
    real->pMethods->xClose(real);
    return SQLITE_CANTOPEN;
  }
  if (file->main_db && name != nullptr) file->map = Acquire(name);
  if ((flags & SQLITE_OPEN_WAL) != 0) {
    file->wal = new (std::nothrow) WalWriteBuffer(real);
    if (name != nullptr) file->wal_of = AcquireForWal(name);
  }
  file->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  if (name != nullptr) {
    if (Mapping* m = AcquireForWal(name)) {
      const int rc = PayOwedSync(m);
      Release(m);
      if (rc != SQLITE_OK) return rc;
    }
  }
  return RealVfs(vfs)->xDelete(RealVfs(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return RealVfs(vfs)->xAccess(RealVfs(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return RealVfs(vfs)->xFullPathname(RealVfs(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return RealVfs(vfs)->xDlOpen(RealVfs(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int size, char* out) {
  RealVfs(vfs)->xDlError(RealVfs(vfs), size, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return RealVfs(vfs)->xDlSym(RealVfs(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { RealVfs(vfs)->xDlClose(RealVfs(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xRandomness(RealVfs(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int microseconds) {
  return RealVfs(vfs)->xSleep(RealVfs(vfs), microseconds);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return RealVfs(vfs)->xCurrentTime(RealVfs(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xGetLastError(RealVfs(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return RealVfs(vfs)->xCurrentTimeInt64(RealVfs(vfs), out);
}

sqlite3_vfs* Register() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (real == nullptr || real->iVersion < 2) return nullptr;
  static sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = kName;
  vfs.pAppData = real;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK ? &vfs : nullptr;
}

}  // namespace

int64_t DeferredSyncsPaid() { return deferred_syncs_paid.load(); }

int SharedMappedFiles() {
  Registry& r = Files();
  std::lock_guard<std::mutex> lock(r.mu);
  return static_cast<int>(r.by_file.size());
}

const char* SharedMapVfsName() {
  static const sqlite3_vfs* registered = Register();
  return registered != nullptr ? kName : nullptr;
}

}  // namespace ib::storage
