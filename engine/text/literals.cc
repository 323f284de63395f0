#include "engine/text/literals.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace wasmrun::text {

namespace {

int digit_val(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (hex) {
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  }
  return -1;
}

// Digits with single '_' between digits. Accumulates into `out` (saturating
// `overflow`). Returns false on a syntax error or an empty digit string.
bool parse_digits(std::string_view s, bool hex, uint64_t& out, bool& overflow) {
  if (s.empty()) return false;
  uint64_t base = hex ? 16 : 10;
  out = 0;
  overflow = false;
  bool prev_digit = false;
  for (char c : s) {
    if (c == '_') {
      if (!prev_digit) return false;
      prev_digit = false;
      continue;
    }
    int d = digit_val(c, hex);
    if (d < 0) return false;
    if (out > (UINT64_MAX - static_cast<uint64_t>(d)) / base) overflow = true;
    out = out * base + static_cast<uint64_t>(d);
    prev_digit = true;
  }
  return prev_digit;
}

struct FloatFormat {
  int mant_bits;  // explicit mantissa bits (23 or 52)
  int exp_bits;   // 8 or 11
};
constexpr FloatFormat kF32{23, 8};
constexpr FloatFormat kF64{52, 11};

// Round mant * 2^exp2 (plus a sticky tail below mant's last bit) to the format,
// nearest-even. Returns the bits without sign, or Range on overflow.
LitStatus round_binary(uint64_t mant, int64_t exp2, bool sticky, FloatFormat f, uint64_t& bits) {
  if (mant == 0) {
    bits = 0;
    return LitStatus::Ok;
  }
  int lz = __builtin_clzll(mant);
  mant <<= lz;
  exp2 -= lz;
  // Now value = 1.f * 2^(exp2 + 63).
  int64_t e = exp2 + 63;
  const int64_t bias = (int64_t{1} << (f.exp_bits - 1)) - 1;
  const int64_t emin = 1 - bias;
  int64_t shift = 63 - f.mant_bits;
  bool subnormal = e < emin;
  if (subnormal) shift += emin - e;
  uint64_t kept = shift >= 64 ? 0 : mant >> shift;
  bool round = false, rest = sticky;
  if (shift >= 1 && shift <= 64) {
    round = (mant >> (shift - 1)) & 1;
    if (shift >= 2)
      rest = rest ||
             (mant & ((shift - 1 >= 64 ? ~uint64_t{0} : (uint64_t{1} << (shift - 1)) - 1))) != 0;
  } else if (shift > 64) {
    rest = true;  // the whole mantissa is below the rounding bit
  }
  if (round && (rest || (kept & 1))) ++kept;
  const uint64_t implicit = uint64_t{1} << f.mant_bits;
  if (subnormal) {
    // A subnormal that rounds up to the smallest normal carries into the exponent field naturally.
    bits = kept;
    return LitStatus::Ok;
  }
  if (kept >= (implicit << 1)) {
    kept >>= 1;
    ++e;
  }
  if (e > bias) return LitStatus::Range;
  bits = (static_cast<uint64_t>(e + bias) << f.mant_bits) | (kept & (implicit - 1));
  return LitStatus::Ok;
}

// Hex float body after "0x": hexdigits ('.' hexdigits?)? ('p' sign? digits)?
LitStatus parse_hex_float(std::string_view s, FloatFormat f, uint64_t& bits) {
  uint64_t mant = 0;
  int64_t exp2 = 0;
  bool sticky = false;
  bool any_digit = false, seen_dot = false, prev_digit = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      if (!prev_digit) return LitStatus::Syntax;
      prev_digit = false;
      continue;
    }
    if (c == '.') {
      if (seen_dot || (!prev_digit && any_digit) || !any_digit) return LitStatus::Syntax;
      seen_dot = true;
      prev_digit = false;
      // A '.' must follow a digit; a fraction may be empty.
      continue;
    }
    if (c == 'p' || c == 'P') break;
    int d = digit_val(c, true);
    if (d < 0) return LitStatus::Syntax;
    any_digit = true;
    prev_digit = true;
    if (mant >> 60 == 0) {
      mant = mant * 16 + static_cast<uint64_t>(d);
      if (seen_dot) exp2 -= 4;
    } else {
      sticky = sticky || d != 0;
      if (!seen_dot) exp2 += 4;
    }
  }
  if (!any_digit) return LitStatus::Syntax;
  if (i > 0 && s[i - 1] == '_') return LitStatus::Syntax;
  if (i < s.size()) {
    ++i;  // 'p'
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    uint64_t e = 0;
    bool ovf = false;
    if (!parse_digits(s.substr(i), false, e, ovf)) return LitStatus::Syntax;
    int64_t ev = (ovf || e > 100000) ? 100000 : static_cast<int64_t>(e);
    exp2 += neg ? -ev : ev;
  }
  return round_binary(mant, exp2, sticky, f, bits);
}

// Decimal float: digits ('.' digits?)? ([eE] sign? digits)?
LitStatus parse_dec_float(std::string_view s, bool is_f32, uint64_t& bits) {
  std::string buf;
  buf.reserve(s.size());
  bool prev_digit = false, seen_dot = false, seen_exp = false, any = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      buf.push_back(c);
      prev_digit = true;
      any = true;
    } else if (c == '_') {
      if (!prev_digit || i + 1 >= s.size() || !(s[i + 1] >= '0' && s[i + 1] <= '9'))
        return LitStatus::Syntax;
      prev_digit = false;
    } else if (c == '.') {
      if (seen_dot || seen_exp || !prev_digit) return LitStatus::Syntax;
      seen_dot = true;
      buf.push_back(c);
      prev_digit = false;
    } else if (c == 'e' || c == 'E') {
      if (seen_exp || !any || (!prev_digit && !seen_dot)) return LitStatus::Syntax;
      if (!prev_digit && s[i - 1] != '.') return LitStatus::Syntax;
      seen_exp = true;
      buf.push_back('e');
      prev_digit = false;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) buf.push_back(s[++i]);
      if (i + 1 >= s.size()) return LitStatus::Syntax;
    } else {
      return LitStatus::Syntax;
    }
  }
  if (!any || (!prev_digit && !(seen_dot && !seen_exp))) return LitStatus::Syntax;
  errno = 0;
  if (is_f32) {
    float v = std::strtof(buf.c_str(), nullptr);
    if (std::isinf(v)) return LitStatus::Range;
    uint32_t b;
    std::memcpy(&b, &v, 4);
    bits = b;
  } else {
    double v = std::strtod(buf.c_str(), nullptr);
    if (std::isinf(v)) return LitStatus::Range;
    std::memcpy(&bits, &v, 8);
  }
  return LitStatus::Ok;
}

LitStatus parse_float(std::string_view s, FloatFormat f, uint64_t& bits) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  const uint64_t sign = neg ? uint64_t{1} << (f.mant_bits + f.exp_bits) : 0;
  const uint64_t exp_all = ((uint64_t{1} << f.exp_bits) - 1) << f.mant_bits;
  const uint64_t mant_mask = (uint64_t{1} << f.mant_bits) - 1;
  LitStatus st;
  if (s == "inf") {
    bits = sign | exp_all;
    return LitStatus::Ok;
  }
  if (s == "nan") {
    bits = sign | exp_all | (uint64_t{1} << (f.mant_bits - 1));
    return LitStatus::Ok;
  }
  if (s.starts_with("nan:0x")) {
    uint64_t payload;
    bool ovf;
    if (!parse_digits(s.substr(6), true, payload, ovf)) return LitStatus::Syntax;
    if (ovf || payload == 0 || payload > mant_mask) return LitStatus::Range;
    bits = sign | exp_all | payload;
    return LitStatus::Ok;
  }
  if (s.starts_with("0x") || s.starts_with("0X")) {
    st = parse_hex_float(s.substr(2), f, bits);
  } else {
    st = parse_dec_float(s, f.mant_bits == 23, bits);
  }
  if (st == LitStatus::Ok) bits |= sign;
  return st;
}

}  // namespace

LitStatus parse_uint(std::string_view s, uint64_t max, uint64_t& out) {
  bool hex = s.starts_with("0x");
  if (hex) s.remove_prefix(2);
  bool ovf;
  if (!parse_digits(s, hex, out, ovf)) return LitStatus::Syntax;
  if (ovf || out > max) return LitStatus::Range;
  return LitStatus::Ok;
}

LitStatus parse_int(std::string_view s, unsigned bits, uint64_t& out) {
  bool neg = false, sign = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = true;
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  const uint64_t umax = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  const uint64_t smax = uint64_t{1} << (bits - 1);  // magnitude limit of a negative value
  uint64_t v;
  LitStatus st = parse_uint(s, UINT64_MAX, v);
  if (st != LitStatus::Ok) return st;
  if (!sign) {
    if (v > umax) return LitStatus::Range;
    out = v;
  } else if (neg) {
    if (v > smax) return LitStatus::Range;
    out = (0 - v) & umax;
  } else {
    if (v > smax - 1) return LitStatus::Range;
    out = v;
  }
  return LitStatus::Ok;
}

LitStatus parse_f32(std::string_view s, uint32_t& bits) {
  uint64_t b = 0;
  LitStatus st = parse_float(s, kF32, b);
  bits = static_cast<uint32_t>(b);
  return st;
}

LitStatus parse_f64(std::string_view s, uint64_t& bits) { return parse_float(s, kF64, bits); }

}  // namespace wasmrun::text
