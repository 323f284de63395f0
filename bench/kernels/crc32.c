// Table-driven CRC-32 (IEEE) over a 64 KB buffer, n passes: byte loads and
// dependent table lookups.
#include "kernel.h"

#define LEN (64 * 1024)
static u8 buf[LEN];
static u32 table[256];

int run(int n) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (i32 k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  u32 seed = 987654321;
  for (i32 i = 0; i < LEN; i++) buf[i] = (u8)xorshift32(&seed);
  u32 crc = 0;
  for (i32 r = 0; r < n; r++) {
    u32 c = ~crc;
    for (i32 i = 0; i < LEN; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
    crc = ~c;
  }
  return (i32)crc;
}
