// The reference slot encoding (gc/value.h).
#include "gc/value.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace wasmrun::gc {
namespace {

TEST(GcValue, I31RoundTripsSignedAndUnsigned) {
  const int32_t samples[] = {0, 1, -1, 42, -42, 0x3fffffff, -0x40000000};
  for (int32_t v : samples) {
    const Ref r = make_i31(static_cast<uint32_t>(v));
    EXPECT_TRUE(is_i31(r));
    EXPECT_FALSE(is_object(r));
    EXPECT_FALSE(is_host(r));
    EXPECT_FALSE(is_null(r));
    EXPECT_EQ(i31_get_s(r), v) << v;
    EXPECT_EQ(i31_get_u(r), static_cast<uint32_t>(v) & 0x7fffffffu) << v;
    EXPECT_EQ(r >> 32, 0u) << "i31 must be canonical so ref.eq is a compare";
  }
}

TEST(GcValue, I31WrapsToThirtyOneBits) {
  // ref.i31 drops bit 31: 0x80000001 and 1 are the same i31.
  EXPECT_EQ(make_i31(0x80000001u), make_i31(1));
  EXPECT_EQ(i31_get_s(make_i31(0x40000000u)), -0x40000000);
  EXPECT_EQ(i31_get_u(make_i31(0xffffffffu)), 0x7fffffffu);
  EXPECT_EQ(i31_get_s(make_i31(0xffffffffu)), -1);
}

TEST(GcValue, HostRefsAreDisjointFromI31AndObjects) {
  const uint64_t payloads[] = {0, 1, 2, 3, 0x12345678, kMaxHostPayload};
  for (uint64_t p : payloads) {
    const Ref r = make_host(p);
    EXPECT_TRUE(is_host(r));
    EXPECT_FALSE(is_i31(r));
    EXPECT_FALSE(is_object(r));
    EXPECT_FALSE(is_null(r));
    EXPECT_EQ(host_payload(r), p);
  }
  // Distinct payloads stay distinct (ref.eq on externalized values).
  EXPECT_NE(make_host(1), make_host(2));
}

TEST(GcValue, ObjectPointersHaveClearLowBits) {
  alignas(16) static uint64_t fake_object[2];
  const Ref r = from_object(reinterpret_cast<Object*>(fake_object));
  EXPECT_TRUE(is_object(r));
  EXPECT_FALSE(is_i31(r));
  EXPECT_FALSE(is_host(r));
  EXPECT_FALSE(is_object(kNullRef));
}

TEST(GcValue, ConversionsRoundTripEveryKind) {
  alignas(16) static uint64_t fake_object[2];
  const Ref refs[] = {kNullRef, make_i31(7), make_host(0), make_host(99),
                      from_object(reinterpret_cast<Object*>(fake_object))};
  for (Ref r : refs) {
    EXPECT_EQ(any_convert_extern(extern_convert_any(r)), r);
    EXPECT_EQ(extern_convert_any(any_convert_extern(r)), r);
  }
}

}  // namespace
}  // namespace wasmrun::gc
