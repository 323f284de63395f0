// A switch-dispatch stack-machine interpreter running a small program (an
// integer hash loop) n times: the branchy, indirect-jump-heavy workload of
// every interpreter, run inside an interpreter.
#include "kernel.h"

// clang-format off
enum {
  OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_XOR, OP_SHL, OP_SHR,
  OP_AND, OP_DUP, OP_JNZ, OP_JMP, OP_LT, OP_HALT
};
// clang-format on

// Registers: r0 = loop counter, r1 = accumulator, r2 = x, r3 = limit.
// for (r0 = 0; r0 < r3; r0++) { x = (x * 1103515245 + 12345) & 0x7fffffff;
//                              r1 = (r1 ^ x) + (x >> 7) + (r1 << 3); }
// One line per step of the program, so it stays hand-formatted.
// clang-format off
static const i32 program[] = {
    OP_PUSH, 0, OP_STORE, 0,                          // 0: r0 = 0
    OP_LOAD, 0, OP_LOAD, 3, OP_LT, OP_JNZ, 14,        // 4: if (r0 < r3) goto 14
    OP_HALT, 0, 0,                                    // 11: return r1
    OP_LOAD, 2, OP_PUSH, 1103515245, OP_MUL,          // 14: x * 1103515245
    OP_PUSH, 12345, OP_ADD,                           //     + 12345
    OP_PUSH, 0x7fffffff, OP_AND, OP_DUP, OP_STORE, 2, //     & 0x7fffffff -> x (kept on the stack)
    OP_LOAD, 1, OP_XOR,                               //     r1 ^ x
    OP_LOAD, 2, OP_PUSH, 7, OP_SHR, OP_ADD,           //     + (x >> 7)
    OP_LOAD, 1, OP_PUSH, 3, OP_SHL, OP_ADD,           //     + (r1 << 3)
    OP_STORE, 1,                                      //     -> r1
    OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0,      //     r0++
    OP_JMP, 4,
};
// clang-format on

static i32 execute(const i32* code, i32* regs) {
  i32 stack[64];
  i32 sp = 0, pc = 0;
  for (;;) {
    i32 op = code[pc++];
    switch (op) {
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_LOAD: stack[sp++] = regs[code[pc++]]; break;
      case OP_STORE: regs[code[pc++]] = stack[--sp]; break;
      case OP_ADD:
        sp--;
        stack[sp - 1] = (i32)((u32)stack[sp - 1] + (u32)stack[sp]);
        break;
      case OP_SUB:
        sp--;
        stack[sp - 1] = (i32)((u32)stack[sp - 1] - (u32)stack[sp]);
        break;
      case OP_MUL:
        sp--;
        stack[sp - 1] = (i32)((u32)stack[sp - 1] * (u32)stack[sp]);
        break;
      case OP_XOR:
        sp--;
        stack[sp - 1] ^= stack[sp];
        break;
      case OP_SHL:
        sp--;
        stack[sp - 1] = (i32)((u32)stack[sp - 1] << (stack[sp] & 31));
        break;
      case OP_SHR:
        sp--;
        stack[sp - 1] = (i32)((u32)stack[sp - 1] >> (stack[sp] & 31));
        break;
      case OP_AND:
        sp--;
        stack[sp - 1] &= stack[sp];
        break;
      case OP_DUP:
        stack[sp] = stack[sp - 1];
        sp++;
        break;
      case OP_LT:
        sp--;
        stack[sp - 1] = stack[sp - 1] < stack[sp];
        break;
      case OP_JNZ: {
        i32 t = code[pc++];
        if (stack[--sp]) pc = t;
        break;
      }
      case OP_JMP: pc = code[pc]; break;
      case OP_HALT: return regs[1];
      default: return -1;
    }
  }
}

int run(int n) {
  i32 regs[4] = {0, 17, 42, n};
  return execute(program, regs);
}
