#include "cli/expected_failures.h"

#include <fstream>
#include <sstream>

namespace wasmrun::cli {

namespace {

bool ends_with_path(const std::string& path, const std::string& suffix) {
  if (suffix.size() > path.size()) return false;
  if (path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  // Match whole path components only.
  return suffix.size() == path.size() || path[path.size() - suffix.size() - 1] == '/';
}

}  // namespace

Result<ExpectedFailures> ExpectedFailures::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorKind::Io, "cannot read expected-failures file " + path);
  ExpectedFailures list;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::istringstream fields(line.substr(start));
    std::string key;
    fields >> key;
    std::string reason;
    std::getline(fields, reason);
    size_t colon = key.rfind(':');
    if (colon == std::string::npos || colon == 0 ||
        reason.find_first_not_of(" \t") == std::string::npos) {
      return Error(ErrorKind::Usage, path + ":" + std::to_string(line_no) +
                                         ": expected `PATH:LINE reason` or `PATH:* reason`");
    }
    std::string file = key.substr(0, colon);
    std::string where = key.substr(colon + 1);
    Entry* entry = nullptr;
    for (Entry& e : list.entries_) {
      if (e.path == file) entry = &e;
    }
    if (!entry) {
      list.entries_.push_back(Entry{file, false, {}});
      entry = &list.entries_.back();
    }
    if (where == "*") {
      entry->whole_file = true;
    } else {
      char* end = nullptr;
      unsigned long n = std::strtoul(where.c_str(), &end, 10);
      if (where.empty() || *end != '\0' || n == 0) {
        return Error(ErrorKind::Usage,
                     path + ":" + std::to_string(line_no) + ": bad line number '" + where + "'");
      }
      entry->lines.insert(n);
    }
  }
  return list;
}

const ExpectedFailures::Entry* ExpectedFailures::find(const std::string& script) const {
  for (const Entry& e : entries_) {
    if (ends_with_path(script, e.path)) return &e;
  }
  return nullptr;
}

bool ExpectedFailures::expects(const std::string& script, size_t line) const {
  const Entry* e = find(script);
  return e && (e->whole_file || e->lines.count(line));
}

bool ExpectedFailures::expects_whole_file(const std::string& script) const {
  const Entry* e = find(script);
  return e && e->whole_file;
}

}  // namespace wasmrun::cli
