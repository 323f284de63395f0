"""Adds a zero-argument entry point to a wasm module, for runners that cannot pass
arguments to an export.

wabt 1.0.32's wasm-interp has no way to pass an argument to an export
(--run-export/--argument came later); it can only run every export with
--run-all-exports. So the harness writes a copy of the kernel whose only export
is `bench_main() -> i32`, a new function that calls `run(N)`. The module is
otherwise byte-for-byte the same, so the work measured is the same code.

Standard library only.
"""

import struct


def _uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _sleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte if done else byte | 0x80)
        if done:
            return bytes(out)


def _read_uleb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def _read_name(data, pos):
    size, pos = _read_uleb(data, pos)
    return data[pos:pos + size].decode("utf-8"), pos + size


def _sections(data):
    if data[:4] != b"\0asm" or struct.unpack("<I", data[4:8])[0] != 1:
        raise ValueError("not a wasm module")
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, body = _read_uleb(data, pos + 1)
        yield sid, data[body:body + size]
        pos = body + size


def _count_imported_funcs(payload):
    count, pos = _read_uleb(payload, 0)
    funcs = 0
    for _ in range(count):
        _, pos = _read_name(payload, pos)
        _, pos = _read_name(payload, pos)
        kind = payload[pos]
        pos += 1
        if kind == 0:  # func: type index
            funcs += 1
            _, pos = _read_uleb(payload, pos)
        else:
            # The kernels import nothing; anything else would need a full
            # import-descriptor parser, so refuse instead of guessing.
            raise ValueError("modules with non-function imports are not supported")
    return funcs


def _find_export(payload, name):
    count, pos = _read_uleb(payload, 0)
    for _ in range(count):
        export_name, pos = _read_name(payload, pos)
        kind = payload[pos]
        index, pos = _read_uleb(payload, pos + 1)
        if export_name == name and kind == 0:
            return index
    raise ValueError(f"no exported function {name!r}")


def add_entry(data, export="run", arg=0, entry="bench_main"):
    """Returns a copy of module `data` whose only export is `entry`, which calls
    `export` (an (i32) -> i32 function) with the constant `arg`."""
    sections = list(_sections(data))
    ids = [sid for sid, _ in sections]
    for needed in (1, 3, 7, 10):
        if needed not in ids:
            raise ValueError(f"module lacks section {needed}")
    imported = 0
    for sid, payload in sections:
        if sid == 2:
            imported = _count_imported_funcs(payload)
    target = _find_export(dict(sections)[7], export)

    out = bytearray(data[:8])
    new_type = new_func = None
    for sid, payload in sections:
        if sid == 1:  # type: append () -> i32
            count, pos = _read_uleb(payload, 0)
            new_type = count
            payload = _uleb(count + 1) + payload[pos:] + bytes([0x60, 0x00, 0x01, 0x7F])
        elif sid == 3:  # function: append the new function's type
            count, pos = _read_uleb(payload, 0)
            new_func = imported + count
            payload = _uleb(count + 1) + payload[pos:] + _uleb(new_type)
        elif sid == 7:  # export: only the entry, so --run-all-exports runs it alone
            name = entry.encode()
            payload = _uleb(1) + _uleb(len(name)) + name + b"\x00" + _uleb(new_func)
        elif sid == 10:  # code: i32.const arg; call target; end
            count, pos = _read_uleb(payload, 0)
            body = b"\x00" + b"\x41" + _sleb(arg) + b"\x10" + _uleb(target) + b"\x0b"
            payload = _uleb(count + 1) + payload[pos:] + _uleb(len(body)) + body
        out += bytes([sid]) + _uleb(len(payload)) + payload
    return bytes(out)


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 4:
        sys.exit("usage: wasm_patch.py IN.wasm N OUT.wasm")
    with open(sys.argv[1], "rb") as f:
        patched = add_entry(f.read(), arg=int(sys.argv[2]))
    with open(sys.argv[3], "wb") as f:
        f.write(patched)
