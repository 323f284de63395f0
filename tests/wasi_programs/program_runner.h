// Helpers for tests/wasi_programs: compiling the C guests in guest/ with
// clang-19 against wasi-libc, and running `wasmrun run` as a child process with
// exact control over its stdin, argv and environment.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace wasmrun::wasi_programs {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary);
  out << data;
}

inline uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

inline std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// The byte pattern guest/bigio.c writes: the low byte of each xorshift64 step.
inline std::string bigio_pattern(size_t n) {
  std::string s(n, '\0');
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s[i] = static_cast<char>(x);
  }
  return s;
}

// Compiles guest/<name>.c once per test process into a private directory.
class GuestBuilder {
 public:
  // Whether clang-19 and the wasi-libc sysroot are installed; when they are
  // not, the tests skip (with this reason) instead of failing.
  static std::optional<std::string> missing_toolchain() {
    if (std::system("command -v clang-19 >/dev/null 2>&1") != 0) {
      return "clang-19 not found in PATH; the WASI program tests need it";
    }
    if (!fs::exists("/usr/include/wasm32-wasi/stdio.h")) {
      return "wasi-libc (/usr/include/wasm32-wasi) not installed; the WASI program tests need it";
    }
    return std::nullopt;
  }

  // Returns the path of the compiled module, or an empty path after printing
  // the compiler's output into `log`.
  static fs::path wasm(const std::string& name, std::string* log) {
    static std::map<std::string, fs::path> built;
    if (auto it = built.find(name); it != built.end()) return it->second;
    fs::path out = dir() / (name + ".wasm");
    fs::path log_file = dir() / (name + ".log");
    std::string cmd = "clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -o " +
                      out.string() + " " WASMRUN_SOURCE_DIR "/tests/wasi_programs/guest/" + name +
                      ".c >" + log_file.string() + " 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      *log = cmd + "\n" + slurp(log_file);
      return {};
    }
    built[name] = out;
    return out;
  }

  static void cleanup() {
    if (!dir_.empty()) fs::remove_all(dir_);
    dir_.clear();
  }

 private:
  static const fs::path& dir() {
    if (dir_.empty()) {
      char tmpl[] = "/tmp/wasmrun-wasi-programs-XXXXXX";
      if (mkdtemp(tmpl) == nullptr) std::abort();
      dir_ = tmpl;
    }
    return dir_;
  }
  static inline fs::path dir_;
};

struct ProcResult {
  int status = -1;  // exit status, or 128 + signal when the CLI itself was killed
  std::string out, err;
};

struct ProcOptions {
  std::optional<std::string> stdin_data;         // fed through a pipe by a writer thread
  std::optional<fs::path> stdin_file;            // or opened as stdin
  std::optional<std::vector<std::string>> envp;  // the CLI's environment; the test's when unset
  bool nonblocking_stdout = false;  // O_NONBLOCK on the stdout pipe, so writes can be short
};

// Runs `wasmrun ARGS...` (ARGS start with "run") and collects stdout and
// stderr through pipes.
inline ProcResult run_cli(const std::vector<std::string>& args, const ProcOptions& opt = {}) {
  ProcResult r;
  int in_pipe[2] = {-1, -1}, out_pipe[2], err_pipe[2];
  if (opt.stdin_data && pipe2(in_pipe, O_CLOEXEC) != 0) return r;
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) return r;
  if (opt.nonblocking_stdout) fcntl(out_pipe[1], F_SETFL, fcntl(out_pipe[1], F_GETFL) | O_NONBLOCK);
  int in_file = -1;
  if (opt.stdin_file) {
    in_file = open(opt.stdin_file->c_str(), O_RDONLY | O_CLOEXEC);
    if (in_file < 0) return r;
  }

  std::vector<std::string> argv_s = {WASMRUN_CLI};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  std::vector<char*> envp;
  if (opt.envp) {
    env_s = *opt.envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
  }

  pid_t pid = fork();
  if (pid == 0) {
    int in = opt.stdin_data ? in_pipe[0] : in_file >= 0 ? in_file : open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    execve(argv[0], argv.data(), opt.envp ? envp.data() : environ);
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (in_file >= 0) close(in_file);
  std::thread writer;
  if (opt.stdin_data) {
    close(in_pipe[0]);
    writer = std::thread([fd = in_pipe[1], &data = *opt.stdin_data] {
      size_t done = 0;
      while (done < data.size()) {
        ssize_t w = write(fd, data.data() + done, data.size() - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;  // the guest closed stdin early; its output says so
        done += static_cast<size_t>(w);
      }
      close(fd);
    });
  }

  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  std::vector<char> buf(1 << 16);
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buf.data(), buf.size());
      if (n > 0) {
        sinks[i]->append(buf.data(), static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  if (writer.joinable()) writer.join();
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

// Splits on '\n'; a trailing newline does not make an empty last line.
inline std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  for (std::string l; std::getline(ss, l);) v.push_back(l);
  return v;
}

}  // namespace wasmrun::wasi_programs
