// wasi-testsuite (wasm32-wasip1), in process: every module of the shared copy
// runs through run_wasi_command with both path resolvers, and its exit code and
// expected stdout/stderr (prefix match, as the reference runner) are checked.
// tests/wasi/run_wasi_testsuite.py runs the same suite through the CLI.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "wasi/wasi_linker.h"

namespace wasmrun::wasi::testing {
namespace {

namespace fs = std::filesystem;

// The subset of JSON the expectation files use: objects, arrays, strings with
// escapes, integers, null.
class Json {
 public:
  explicit Json(std::string text) : s_(std::move(text)) {}

  struct Spec {
    std::vector<std::string> args;
    std::vector<std::string> env;
    std::string root;
    int exit_code = 0;
    bool has_stdout = false, has_stderr = false;
    std::string stdout_text, stderr_text;
  };

  bool parse(Spec& spec) {
    ws();
    if (!eat('{')) return false;
    ws();
    if (eat('}')) return true;
    do {
      ws();
      std::string key;
      if (!str(key)) return false;
      ws();
      if (!eat(':')) return false;
      ws();
      bool ok = true;
      if (key == "args") {
        ok = list(spec.args);
      } else if (key == "env") {
        ok = env(spec.env);
      } else if (key == "root") {
        ok = peek() == 'n' ? null() : str(spec.root);
      } else if (key == "exit_code") {
        ok = integer(spec.exit_code);
      } else if (key == "stdout") {
        spec.has_stdout = ok = str(spec.stdout_text);
      } else if (key == "stderr") {
        spec.has_stderr = ok = str(spec.stderr_text);
      } else {
        return false;  // an unknown key: the test would be misjudged
      }
      if (!ok) return false;
      ws();
    } while (eat(','));
    return eat('}');
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  void ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool null() {
    if (s_.compare(i_, 4, "null") != 0) return false;
    i_ += 4;
    return true;
  }
  bool integer(int& out) {
    size_t start = i_;
    if (peek() == '-') ++i_;
    while (std::isdigit(static_cast<unsigned char>(peek()))) ++i_;
    if (i_ == start) return false;
    out = std::stoi(s_.substr(start, i_ - start));
    return true;
  }
  bool str(std::string& out) {
    out.clear();
    if (!eat('"')) return false;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      char e = s_[i_++];
      switch (e) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'u': {
          unsigned cp = std::stoul(s_.substr(i_, 4), nullptr, 16);
          i_ += 4;
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: out.push_back(e);  // \" \\ \/
      }
    }
    return eat('"');
  }
  bool list(std::vector<std::string>& out) {
    if (!eat('[')) return false;
    ws();
    if (eat(']')) return true;
    do {
      ws();
      std::string v;
      if (!str(v)) return false;
      out.push_back(v);
      ws();
    } while (eat(','));
    return eat(']');
  }
  bool env(std::vector<std::string>& out) {
    if (!eat('{')) return false;
    ws();
    if (eat('}')) return true;
    do {
      ws();
      std::string k, v;
      if (!str(k)) return false;
      ws();
      if (!eat(':')) return false;
      ws();
      if (!str(v)) return false;
      out.push_back(k + "=" + v);
      ws();
    } while (eat(','));
    return eat('}');
  }

  std::string s_;
  size_t i_ = 0;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Case {
  fs::path wasm;
  bool walker;
};

std::vector<Case> discover() {
  std::vector<Case> out;
  fs::path root = fs::path(WASMRUN_SHARED_DIR) / "wasi-testsuite" / "tests";
  std::vector<fs::path> wasms;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".wasm" &&
        it->path().parent_path().filename() == "wasm32-wasip1") {
      wasms.push_back(it->path());
    }
  }
  std::sort(wasms.begin(), wasms.end());
  for (const fs::path& w : wasms) {
    out.push_back({w, false});
    out.push_back({w, true});
  }
  return out;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string lang = info.param.wasm.parent_path().parent_path().parent_path().filename();
  std::string n = lang + "_" + info.param.wasm.stem().string() +
                  (info.param.walker ? "_Components" : "_Openat2");
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

void remove_cleanup_files(const fs::path& root) {
  std::vector<fs::path> doomed;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename().string().ends_with(".cleanup")) doomed.push_back(it->path());
  }
  for (const fs::path& p : doomed) fs::remove_all(p, ec);
}

class WasiTestsuite : public ::testing::TestWithParam<Case> {};

TEST_P(WasiTestsuite, Passes) {
  const Case& c = GetParam();
  if (c.walker == false && !openat2_supported()) GTEST_SKIP() << "kernel has no openat2";
  Json::Spec spec;
  fs::path json = fs::path(c.wasm).replace_extension(".json");
  if (fs::exists(json)) ASSERT_TRUE(Json(slurp(json)).parse(spec)) << json;

  char tmpl[] = "/tmp/wasmrun-wasi-suite-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  fs::path tmp = tmpl;
  WasiCommand cmd;
  cmd.module_path = c.wasm.string();
  cmd.args = spec.args;
  cmd.env = spec.env;
  cmd.force_component_resolver = c.walker;
  if (!spec.root.empty()) {
    // The shared data is read-only and tests write into their root: use a copy.
    fs::copy(c.wasm.parent_path() / spec.root, tmp / "root",
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    remove_cleanup_files(tmp / "root");
    cmd.dirs.push_back((tmp / "root").string() + "::/");
  }
  int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = open((tmp / "stdout").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int err = open((tmp / "stderr").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  cmd.stdin_fd = in;
  cmd.stdout_fd = out;
  cmd.stderr_fd = err;
  int rc = run_wasi_command(cmd);
  close(in);
  close(out);
  close(err);
  std::string got_out = slurp(tmp / "stdout"), got_err = slurp(tmp / "stderr");
  EXPECT_EQ(rc, spec.exit_code) << "stderr: " << got_err;
  if (spec.has_stdout) EXPECT_EQ(got_out.substr(0, spec.stdout_text.size()), spec.stdout_text);
  if (spec.has_stderr) EXPECT_EQ(got_err.substr(0, spec.stderr_text.size()), spec.stderr_text);
  fs::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(Shared, WasiTestsuite, ::testing::ValuesIn(discover()), case_name);

// Guards against an empty parameter list passing vacuously.
TEST(WasiTestsuiteDiscovery, FindsTheSharedSuite) { EXPECT_GE(discover().size(), 2u * 72u); }

}  // namespace
}  // namespace wasmrun::wasi::testing
