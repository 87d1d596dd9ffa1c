#!/usr/bin/env python3
"""Draws Kefu's app icons (a white speech bubble on red) as PNGs, with no image library.

Run once when the icon changes; the PNGs in public/icons are committed.
"""
import struct
import zlib
from pathlib import Path

RED = (192, 57, 43)
WHITE = (255, 255, 255)


def inside_rounded_rect(x, y, left, top, right, bottom, radius):
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def pixel(x, y, size, maskable):
    # Maskable icons keep their content inside the central 80% safe zone and fill the canvas.
    unit = size / 100
    if not maskable and not inside_rounded_rect(x, y, 0, 0, size - 1, size - 1, 18 * unit):
        return (0, 0, 0, 0)
    scale = 0.7 if maskable else 1.0
    u = (x - size / 2) / (scale * unit) + 50
    v = (y - size / 2) / (scale * unit) + 50
    bubble = inside_rounded_rect(u, v, 20, 24, 80, 66, 12)
    tail = 30 <= u <= 46 and 64 <= v <= 80 and (u - 30) <= (80 - v)
    dots = any((u - cx) ** 2 + (v - 45) ** 2 <= 25 for cx in (35, 50, 65))
    if (bubble or tail) and not dots:
        return WHITE + (255,)
    return RED + (255,)


def png(size, maskable):
    rows = b"".join(
        b"\x00" + bytes(c for x in range(size) for c in pixel(x, y, size, maskable))
        for y in range(size)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "public" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in [("icon-192.png", 192, False), ("icon-512.png", 512, False), ("maskable-512.png", 512, True)]:
        (out / name).write_bytes(png(size, maskable))
