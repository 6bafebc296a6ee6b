"""QR code matrices (byte mode, level M) for verification links, drawn as one filled path.

reportlab's encoder takes about 9 ms a symbol, as long as the rest of a certificate: it
recomputes its Reed-Solomon generator and rebuilds the whole matrix for each of the
eight masks in pure Python. Here reportlab supplies what never changes for a version
(block table, function patterns, data module order), cached; a symbol is then one
bit placement, and each mask a row XOR scored on bit strings.
"""

import re
from functools import lru_cache

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRRSBlock
from reportlab.pdfgen.canvas import Canvas

# M survives a scuffed wallet card and keeps a verification URL at version 4 or below.
_LEVEL = QRErrorCorrectLevel.M
_RUNS = re.compile(r"0{5,}|1{5,}")
_DARK = re.compile(r"1+")

_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power], _LOG[_value] = _value, _power
    _value = (_value << 1) ^ (0x11D if _value & 0x80 else 0)
_EXP[255:] = _EXP[:257]


@lru_cache(maxsize=64)
def _generator(degree: int) -> tuple[int, ...]:
    """Return the Reed-Solomon generator polynomial of a degree, highest power first."""
    poly = [1]
    for power in range(degree):
        poly = [a ^ (_EXP[_LOG[b] + power] if b else 0) for a, b in zip([*poly, 0], [0, *poly], strict=True)]
    return tuple(poly)


def _error_words(data: list[int], degree: int) -> list[int]:
    """Return the Reed-Solomon error correction codewords for a block of data codewords."""
    generator = [_LOG[g] for g in _generator(degree)[1:]]
    remainder = [*data, *([0] * degree)]
    for index in range(len(data)):
        if coefficient := remainder[index]:
            log = _LOG[coefficient]
            for offset, g in enumerate(generator, start=index + 1):
                remainder[offset] ^= _EXP[log + g]
    return remainder[len(data) :]


def _codewords(payload: bytes, version: int) -> list[int]:
    """Return a version's interleaved data and error codewords for a byte-mode payload."""
    blocks = QRRSBlock.getRSBlocks(version, _LEVEL)
    capacity = sum(block.dataCount for block in blocks)
    bits = "0100" + format(len(payload), "08b" if version < 10 else "016b")
    bits += "".join(format(byte, "08b") for byte in payload) + "0000"
    bits = bits[: capacity * 8]
    data = [int(bits[i : i + 8].ljust(8, "0"), 2) for i in range(0, len(bits), 8)]
    data += [0xEC, 0x11] * ((capacity - len(data)) // 2 + 1)
    data, split = data[:capacity], []
    for block in blocks:
        split.append(data[: block.dataCount])
        data = data[block.dataCount :]
    errors = [
        _error_words(block, total.totalCount - total.dataCount)
        for block, total in zip(split, blocks, strict=True)
    ]
    return [word for group in (split, errors) for column in _columns(group) for word in column]


def _columns(blocks: list[list[int]]) -> list[list[int]]:
    """Return the i-th codeword of every block, for each i: QR's interleaving order."""
    return [[block[i] for block in blocks if i < len(block)] for i in range(max(map(len, blocks)))]


def _version(payload: bytes) -> int:
    """Return the smallest version whose level-M capacity holds the payload."""
    for version in range(1, 41):
        capacity = sum(block.dataCount for block in QRRSBlock.getRSBlocks(version, _LEVEL))
        if 4 + (8 if version < 10 else 16) + 8 * len(payload) <= 8 * capacity:
            return version
    raise ValueError("too long for a QR code")


def _rows(modules: list[list[bool]]) -> list[int]:
    """Return each row of a module matrix as an integer, leftmost module highest."""
    return [int("".join("1" if dark else "0" for dark in row), 2) for row in modules]


def _transpose(rows: list[int], size: int) -> list[int]:
    """Return the columns of a matrix of row integers as integers, top module highest."""
    return [
        int("".join(column), 2) for column in zip(*(format(row, f"0{size}b") for row in rows), strict=True)
    ]


@lru_cache(maxsize=8)
def _layout(version: int) -> tuple[list[tuple[int, int]], list[tuple[list[int], list[int]]]]:
    """Return a version's data module positions in placement order, and its eight empty symbols.

    An empty symbol has the function patterns, the format information of its mask
    and, in the data area, the mask alone: XOR the data bits into it to get the symbol.
    Each comes as rows and as columns, which the penalty rules read alike.
    """
    size = 4 * version + 17
    symbol = QRCode(version, _LEVEL)
    symbol.dataCache = []
    empty = []
    for mask in range(8):
        symbol.makeImpl(False, mask)
        rows = _rows(symbol.modules)
        empty.append((rows, _transpose(rows, size)))
    positions = [(row, size - 1 - col) for col, row in symbol.dataPosIterator()]
    return positions, empty


def _penalty(rows: list[int], columns: list[int], size: int) -> int:
    """Score a masked symbol by the four penalty rules of ISO/IEC 18004; lower scans better."""
    # One string for all rows and columns: a few regex calls instead of hundreds.
    text = " ".join(format(line, f"0{size}b") for line in (*rows, *columns))
    runs = _RUNS.findall(text)
    # Counting without overlaps can miss a rare second finder-like pattern; any mask still decodes.
    finder_like = text.count("10111010000") + text.count("00001011101")
    score = sum(map(len, runs)) - 2 * len(runs) + 40 * finder_like
    inner = (1 << (size - 1)) - 1
    for upper, lower in zip(rows, rows[1:], strict=False):
        dark = upper & (upper >> 1) & lower & (lower >> 1)
        light = ~(upper | (upper >> 1) | lower | (lower >> 1))
        score += 3 * ((dark & inner).bit_count() + (light & inner).bit_count())
    dark_modules = sum(row.bit_count() for row in rows)
    return score + 10 * (abs(100 * dark_modules // (size * size) - 50) // 5)


def qr_rows(text: str) -> tuple[str, ...]:
    """Return the QR symbol for text as rows of '1' (dark) and '0' (light), top row first."""
    payload = text.encode("utf-8")
    version = _version(payload)
    size = 4 * version + 17
    positions, empty = _layout(version)
    bits = "".join(format(word, "08b") for word in _codewords(payload, version))
    data = [0] * size
    for (row, shift), bit in zip(positions, bits, strict=False):
        if bit == "1":
            data[row] |= 1 << shift
    data_columns = _transpose(data, size)
    candidates = [
        (
            [e ^ d for e, d in zip(rows, data, strict=True)],
            [e ^ d for e, d in zip(columns, data_columns, strict=True)],
        )
        for rows, columns in empty
    ]
    best, _ = min(candidates, key=lambda symbol: _penalty(*symbol, size))
    return tuple(format(row, f"0{size}b") for row in best)


def draw_qr(canvas: Canvas, x: float, y: float, side: float, text: str) -> None:
    """Draw the QR symbol for text as a side x side square whose lower left corner is (x, y)."""
    rows = qr_rows(text)
    # One path of whole-module rectangles, a rectangle per run of dark modules:
    # integers keep it short, and one fill leaves no seams between modules.
    rects = [
        f"{run.start()} {-index - 1} {run.end() - run.start()} 1 re"
        for index, line in enumerate(rows)
        for run in _DARK.finditer(line)
    ]
    canvas.saveState()
    canvas.translate(x, y + side)
    canvas.scale(side / len(rows), side / len(rows))
    canvas.addLiteral("\n".join([*rects, "f"]))
    canvas.restoreState()


def qr_svg(data: str, size_px: int = 240) -> str:
    """The QR code as a small standalone SVG (for printable HTML pages such as a cohort poster)."""
    rows = qr_rows(data)
    count = len(rows)
    dark = ((x, y) for y, row in enumerate(rows) for x, cell in enumerate(row) if cell == "1")
    cells = "".join(f"M{x + 4},{y + 4}h1v1h-1z" for x, y in dark)
    view = count + 8  # the four-module quiet zone that scanners need
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {view} {view}" width="{size_px}" '
            f'height="{size_px}" shape-rendering="crispEdges" role="img"><rect width="{view}" height="{view}" '
            f'fill="#fff"/><path d="{cells}" fill="#000"/></svg>')
