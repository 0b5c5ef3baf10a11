#!/usr/bin/python3
"""Write the seed corpus of fuzz_raw_reader (tests/fuzz/corpus/fuzz_raw_reader/).

Each seed is the target's 4-byte header (see fuzz_raw_reader.c) followed by a raw IQ file.
Run from anywhere: /usr/bin/python3 tests/fuzz/make_raw_seeds.py
The seeds are committed; rerun this only to change them (stdlib only, deterministic).
"""
import math
import os
import struct

# cs_datatype enum order (include/cellscan/datatype.h).
DT = {"unknown": 0, "cf64_le": 1, "cf64_be": 2, "cf32_le": 3, "cf32_be": 4, "ci32_le": 5,
      "ci32_be": 6, "ci16_le": 7, "ci16_be": 8, "cu16_le": 9, "cu16_be": 10, "ci8": 11,
      "cu8": 12}
# byte 2: rate index in bits 0-2 (0: 1 MHz, 2: 0 Hz, 3: -1, 4: NaN, 5: inf),
#         frequency index in bits 3-4 (3: 935 MHz), bit 5: allow NaN/Inf samples.
RATE_1MHZ, RATE_ZERO, RATE_NEG, RATE_NAN, RATE_INF = 0, 2, 3, 4, 5
FREQ_935MHZ = 3 << 3
ALLOW_NONFINITE = 1 << 5

# struct format of one component, offset and full scale per datatype.
COMPONENT = {"cf64_le": ("<d", 0, 1.0), "cf64_be": (">d", 0, 1.0), "cf32_le": ("<f", 0, 1.0),
             "cf32_be": (">f", 0, 1.0), "ci32_le": ("<i", 0, 2**31),
             "ci32_be": (">i", 0, 2**31), "ci16_le": ("<h", 0, 2**15),
             "ci16_be": (">h", 0, 2**15), "cu16_le": ("<H", 32767.5, 2**15),
             "cu16_be": (">H", 32767.5, 2**15), "ci8": ("<b", 0, 2**7), "cu8": ("<B", 127.5, 2**7)}


def header(dt, channels=1, rate=RATE_1MHZ, freq=FREQ_935MHZ, block=3, allow=False):
    return bytes([DT[dt], channels, rate | freq | (ALLOW_NONFINITE if allow else 0), block])


def component(dt, x):
    fmt, offset, scale = COMPONENT[dt]
    if fmt[1] in "df":
        return struct.pack(fmt, x)
    lo, hi = {"i": (-2**31, 2**31 - 1), "h": (-2**15, 2**15 - 1), "H": (0, 2**16 - 1),
              "b": (-128, 127), "B": (0, 255)}[fmt[1]]
    return struct.pack(fmt, max(lo, min(hi, round(x * scale + offset))))


def tone(dt, frames, channels=1, cycles=3.0, amplitude=0.9):
    out = bytearray()
    for n in range(frames):
        for ch in range(channels):
            phase = 2 * math.pi * cycles * n / frames + ch * 0.7
            out += component(dt, amplitude * math.cos(phase))
            out += component(dt, amplitude * math.sin(phase))
    return bytes(out)


def main():
    outdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_raw_reader")
    os.makedirs(outdir, exist_ok=True)
    seeds = {}
    for dt in COMPONENT:
        seeds[f"tone_{dt}"] = header(dt, block=5) + tone(dt, 64)
    # Full-scale extremes: the most negative integer must map to exactly -1.0.
    seeds["extremes_ci16"] = header("ci16_le") + struct.pack("<8h", -32768, 32767, 0, -1,
                                                              32767, -32768, 1, 0)
    seeds["extremes_cu8"] = header("cu8") + bytes([0, 255, 127, 128, 255, 0])
    seeds["extremes_ci32_be"] = header("ci32_be") + struct.pack(">4i", -2**31, 2**31 - 1, 0, -1)
    specials = [math.nan, math.inf, -math.inf, 5e-324, -0.0, 1e300, -1e-300, 3.0]
    seeds["specials_cf64_allowed"] = header("cf64_le", allow=True) + struct.pack("<8d", *specials)
    seeds["specials_cf64_refused"] = header("cf64_le") + struct.pack("<8d", *specials[3:],
                                                                     *specials[:3])
    seeds["specials_cf32_be_refused"] = header("cf32_be") + struct.pack(
        ">8f", 1e-45, -0.0, 3e38, 1.0, math.nan, math.inf, -math.inf, -1.0)
    seeds["specials_cf32_allowed"] = header("cf32_le", allow=True, block=0) + struct.pack(
        "<8f", math.inf, 1e-45, -0.0, 3e38, 1.0, math.nan, -math.inf, -1.0)
    seeds["two_channels_ci16"] = header("ci16_le", channels=2, block=1) + tone("ci16_le", 50, 2)
    seeds["four_channels_cf32"] = header("cf32_le", channels=4, block=0) + tone("cf32_le", 40, 4)
    seeds["eight_channels_ci8"] = header("ci8", channels=8) + tone("ci8", 33, 8)
    seeds["partial_frame_cu8"] = header("cu8") + tone("cu8", 21) + b"\x80"
    seeds["partial_frame_cf32_2ch"] = header("cf32_le", channels=2) + tone("cf32_le", 9, 2)[:-5]
    seeds["empty_ci16"] = header("ci16_le")
    seeds["one_frame_cf64_be"] = header("cf64_be") + tone("cf64_be", 1)
    seeds["absurd_channels"] = header("ci16_le", channels=0xF8) + tone("ci16_le", 16)
    seeds["unknown_datatype"] = header("unknown") + tone("cu8", 16)
    seeds["rate_zero"] = header("ci8", rate=RATE_ZERO) + tone("ci8", 16)
    seeds["rate_negative"] = header("ci8", rate=RATE_NEG) + tone("ci8", 16)
    seeds["rate_nan"] = header("cf32_le", rate=RATE_NAN) + tone("cf32_le", 16)
    seeds["rate_inf"] = header("cu8", rate=RATE_INF, freq=0) + tone("cu8", 16)
    seeds["big_block_cu16"] = header("cu16_le", block=254) + tone("cu16_le", 2000)
    # One read call across the reader's 65536-sample chunks (the only seed above 64 KiB).
    seeds["multi_chunk_cu8"] = header("cu8", block=255) + tone("cu8", 65600, cycles=1000.0)
    for name, data in seeds.items():
        with open(os.path.join(outdir, name + ".bin"), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {outdir}")


if __name__ == "__main__":
    main()
