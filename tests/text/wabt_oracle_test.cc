// Oracle: for every module of the spec scripts that wabt 1.0.32 accepts, our
// encoding equals wat2wasm's, byte for byte, once custom sections (names) and the
// data count section are stripped from both. Modules wabt rejects (GC, newer
// syntax) are skipped and counted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/text/module_parser.h"
#include "engine/text/wast.h"
#include "spec_corpus.h"

namespace wasmrun {
namespace {

// Drop custom sections (id 0) and the data count section (id 12). wat2wasm
// leaves the data count out when there are no data segments even if the code
// uses data.drop; we keep it so the validator reports "unknown data segment" as
// the spec expects.
std::vector<uint8_t> strip_custom(const std::vector<uint8_t>& in) {
  if (in.size() < 8) return in;
  std::vector<uint8_t> out(in.begin(), in.begin() + 8);
  size_t p = 8;
  while (p < in.size()) {
    size_t start = p;
    uint8_t id = in[p++];
    uint64_t size = 0;
    for (unsigned shift = 0; p < in.size(); shift += 7) {
      uint8_t b = in[p++];
      size |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) break;
    }
    size_t end = std::min(in.size(), p + static_cast<size_t>(size));
    if (id != 0 && id != 12) {
      out.insert(out.end(), in.begin() + static_cast<ptrdiff_t>(start),
                 in.begin() + static_cast<ptrdiff_t>(end));
    }
    p = end;
  }
  return out;
}

bool have_wat2wasm() { return std::system("wat2wasm --version > /dev/null 2>&1") == 0; }

struct Job {
  std::string where;  // file:line
  std::string text;   // module text for wat2wasm
  std::vector<uint8_t> ours;
};

// Modules of the scripts that our encoder accepts, valid or not (wat2wasm runs
// with --no-check), except those the scripts call malformed. Deduplicated by text.
std::vector<Job> collect_jobs() {
  std::vector<Job> jobs;
  std::set<std::string> seen;
  for (const auto& f : testing::spec_wast_files()) {
    std::string script = testing::read_file(f);
    auto r = parse_wast(script);
    if (!r.ok()) continue;  // reported by SpecScripts.AllParse
    for (const WastCommand& c : r->commands) {
      if (!c.module || c.kind == WastCommand::Kind::AssertMalformed ||
          c.module->form == WastModule::Form::Binary) {
        continue;
      }
      Job job;
      job.where = f.filename().string() + ":" + std::to_string(c.line);
      if (c.module->form == WastModule::Form::Quote) {
        auto enc = c.module->encode();
        if (!enc.ok()) continue;
        job.ours = std::move(enc.value());
        job.text = c.module->quote;
      } else {
        if (c.module->error) continue;
        job.ours = c.module->bytes;
        job.text = script.substr(c.module->source_offset, c.module->source_size);
      }
      // wabt does not know `definition`; drop it.
      if (c.module->definition) {
        size_t at = job.text.find("definition");
        if (at != std::string::npos) job.text.erase(at, 10);
      }
      // Re-encode with wat2wasm's element-segment habit (see EncodeOptions).
      text::EncodeOptions wabt_like;
      wabt_like.compact_func_elems = true;
      auto again = text::wat_to_wasm_with(job.text, wabt_like);
      if (!again.ok()) {
        ADD_FAILURE() << job.where
                      << ": encodes in the script but not alone: " << again.error().to_string();
        continue;
      }
      job.ours = std::move(again.value());
      if (seen.insert(job.text).second) jobs.push_back(std::move(job));
    }
  }
  return jobs;
}

// Whether a line comment in `text` is ended by a CR that no LF follows.
bool ends_comment_at_lone_cr(const std::string& text) {
  for (size_t at = text.find(";;"); at != std::string::npos; at = text.find(";;", at + 2)) {
    size_t end = text.find_first_of("\r\n", at);
    if (end != std::string::npos && text[end] == '\r' &&
        (end + 1 == text.size() || text[end + 1] != '\n')) {
      return true;
    }
  }
  return false;
}

TEST(WabtOracle, SpecModulesMatchWat2wasm) {
  if (!have_wat2wasm()) GTEST_SKIP() << "wat2wasm is not installed";
  std::vector<Job> jobs = collect_jobs();
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wasmrun-oracle-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  std::atomic<size_t> next{0}, compared{0}, matched{0}, skipped{0}, outdated{0};
  std::mutex mu;
  std::vector<std::string> mismatches;
  auto worker = [&](unsigned id) {
    std::string wat = (dir / ("m" + std::to_string(id) + ".wat")).string();
    std::string wasm = (dir / ("m" + std::to_string(id) + ".wasm")).string();
    for (size_t i; (i = next++) < jobs.size();) {
      const Job& job = jobs[i];
      {
        std::ofstream o(wat, std::ios::binary);
        o << job.text;
      }
      std::string cmd =
          "wat2wasm --enable-all --no-check " + wat + " -o " + wasm + " > /dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) {
        ++skipped;
        continue;
      }
      std::string s = testing::read_file(wasm);
      std::vector<uint8_t> theirs(s.begin(), s.end());
      ++compared;
      if (strip_custom(theirs) == strip_custom(job.ours)) {
        ++matched;
      } else if (job.text.find("(ref ") != std::string::npos ||
                 job.text.find("(select (result)") != std::string::npos ||
                 ends_comment_at_lone_cr(job.text)) {
        // wabt 1.0.32 predates the final typed-reference encoding, writes
        // `select (result)` as untyped select (hiding the arity error select.wast
        // expects), and does not end a `;;` comment at a lone carriage return.
        ++outdated;
      } else {
        std::lock_guard<std::mutex> lock(mu);
        mismatches.push_back(job.where);
      }
    }
  };
  unsigned n = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < n; ++t) threads.emplace_back(worker, t);
  for (auto& t : threads) t.join();
  std::filesystem::remove_all(dir);

  std::printf(
      "wabt oracle: %zu of %zu distinct modules byte-identical (%zu differ only where wabt 1.0.32 "
      "is outdated; "
      "%zu skipped: wabt rejects them)\n",
      matched.load(), compared.load(), outdated.load(), skipped.load());
  EXPECT_GT(matched.load(), 3000u);
  for (const auto& m : mismatches) ADD_FAILURE() << "differs from wat2wasm: " << m;
}

}  // namespace
}  // namespace wasmrun
