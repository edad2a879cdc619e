"""Text folded to a width in terminal cells: CJK characters count two, a line breaks between
CJK characters or at spaces, never inside a number, a date or a Latin word that fits, and
never puts closing punctuation at the start of a line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

FULL = "█"


EMPTY = "░"


OPENING = "（(「『《“‘【〔［"


_CLOSING_BRACKETS = "）)」』》”’】〕］"


# Never start a line: closing brackets, punctuation, and the slash inside a unit (微克/立方米).
_CLOSING = _CLOSING_BRACKETS + "，、。；：！？,.;:!?%/"


@lru_cache(maxsize=65536)
def cell_width(text: str) -> int:
    """`text`'s width in terminal cells, as rich measures it (remembered: cells repeat)."""
    from rich.cells import cell_len

    return cell_len(text)


@lru_cache(maxsize=4096)
def is_wide(ch: str) -> bool:
    return cell_width(ch) == 2


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of text that only breaks inside when it must: a word, a number, a Chinese run."""

    text: str
    spaced: bool  # a blank separates it from the piece before

    @property
    def whole(self) -> bool:
        """Never split: numbers, dates, periods ("2023-W25", "PM2.5") and the bar."""
        return any(ch.isdigit() or ch in (FULL, EMPTY) for ch in self.text)


@lru_cache(maxsize=16384)
def text_pieces(text: str) -> tuple[_Piece, ...]:
    """`text` cut where a line may break: at blanks, between narrow and wide (Chinese) text,
    before an opening bracket, after a closing one and after a hyphen inside a word. An
    opening bracket sticks to what follows it, closing marks to what precedes them."""
    found: list[_Piece] = []
    current = ""
    spaced = False
    for ch in text:
        if ch.isspace():
            if current:
                found.append(_Piece(current, spaced))
                current = ""
            spaced = bool(found)
            continue
        if current and (
            is_wide(ch) != is_wide(current[-1])
            or (ch in OPENING and current[-1] not in OPENING)
            or current[-1] in _CLOSING_BRACKETS
            or (current[-1] == "-" and current[:-1][-1:].isalpha() and ch.isalpha())
        ):
            found.append(_Piece(current, spaced))
            current = ""
            spaced = False
        current += ch
    if current:
        found.append(_Piece(current, spaced))
    merged: list[_Piece] = []
    for piece in found:
        if merged and not piece.spaced and all(ch in OPENING for ch in merged[-1].text):
            merged[-1] = _Piece(merged[-1].text + piece.text, merged[-1].spaced)
            continue
        lead = len(piece.text) - len(piece.text.lstrip(_CLOSING))
        if merged and not piece.spaced and lead:
            merged[-1] = _Piece(merged[-1].text + piece.text[:lead], merged[-1].spaced)
            if lead == len(piece.text):
                continue
            piece = _Piece(piece.text[lead:], False)
        merged.append(piece)
    return tuple(merged)


def _is_latin(text: str) -> bool:
    return text.isascii() and text.isalpha()


def _hyphenated(word: str, limit: int) -> list[str]:
    """A Latin word cut into chunks of at most `limit` cells, each but the last ending with a
    hyphen, never leaving one letter alone: `expro-` / `priat-` / `ion`."""
    if limit < 2:
        return list(word)
    chunks: list[str] = []
    rest = word
    while len(rest) > limit:
        take = min(limit - 1, max(len(rest) - 2, 1))
        chunks.append(rest[:take] + "-")
        rest = rest[take:]
    return [*chunks, rest]


def _chunks(text: str, limit: int) -> list[str]:
    """`text` cut between characters into chunks of at most `limit` cells; a chunk never
    starts with a closing mark nor ends with an opening bracket when a character can move to
    avoid it. A Latin word is hyphenated instead (`_hyphenated`)."""
    if _is_latin(text):
        return _hyphenated(text, limit)
    chunks: list[str] = []
    current = ""
    for ch in text:
        if current and cell_width(current + ch) > limit:
            carried = ""
            if ch in _CLOSING and len(current) > 1:
                carried, current = current[-1], current[:-1]
            while len(current) > 1 and current[-1] in OPENING:
                carried, current = current[-1] + carried, current[:-1]
            chunks.append(current)
            current = carried
        current += ch
    chunks.append(current)
    return chunks


def _even(text: str, width: int) -> list[str]:
    """`text` in as few chunks of at most `width` cells as it takes, as even as they can be:
    `万平方米` in 6 cells is `万平` / `方米`, not `万平方` / `米`."""
    fewest = len(_chunks(text, width))
    limit = next(limit for limit in range(1, width + 1) if len(_chunks(text, limit)) <= fewest)
    return _chunks(text, limit)


def _fold(text: str, room: int, width: int) -> list[str]:
    """`text` (wider than `width`) as a first chunk for the `room` left on the current line
    (empty: start on a new line) and even lines of at most `width` cells after it. It fills
    the room only when that saves a line: `80` / `万平` / `方米`, not `80万` / `平方` / `米`."""
    fresh = ["", *_even(text, width)]
    if room <= 0:
        return fresh
    first = _chunks(text, room)[0]
    taken = len(first) - 1 if _is_latin(text) else len(first)  # less the added hyphen
    if cell_width(first) > room or taken >= len(text):
        return fresh
    filled = [first, *_even(text[taken:], width)]
    return filled if len(filled) < len(fresh) else fresh


def _phrases(pieces: Sequence[_Piece]) -> list[list[_Piece]]:
    """The pieces grouped so that a bracketed phrase, `(not this year)`, is one group."""
    groups: list[list[_Piece]] = []
    inside = False
    for piece in pieces:
        if inside:
            groups[-1].append(piece)
        else:
            groups.append([piece])
            inside = piece.text[0] in OPENING
        if inside and any(ch in _CLOSING_BRACKETS for ch in piece.text):
            inside = False
    return groups


def _joined(pieces: list[_Piece]) -> str:
    return "".join(
        (" " if piece.spaced and index else "") + piece.text for index, piece in enumerate(pieces)
    )


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken where `pieces` allows, a bracketed
    phrase kept on one line when it fits one. A number, date or bar wider than `width` stays
    whole on its own line."""
    if cell_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for phrase in _phrases(text_pieces(text)):
        whole = _joined(phrase)
        gap = " " if phrase[0].spaced and line else ""
        if len(phrase) > 1 and cell_width(whole) <= width:
            if cell_width(line + gap + whole) > width and line:
                lines.append(line)
                line, gap = "", ""
            line += gap + whole
            continue
        for piece in phrase:
            gap = " " if piece.spaced and line else ""
            if cell_width(line + gap + piece.text) <= width:
                line += gap + piece.text
            elif piece.whole or cell_width(piece.text) <= width:
                if line:
                    lines.append(line)
                line = piece.text
            else:
                first, *rest = _fold(
                    piece.text, width - cell_width(line + gap) if line else 0, width
                )
                if first:
                    line += gap + first
                if line:
                    lines.append(line)
                lines += rest[:-1]
                line = rest[-1]
    if line:
        lines.append(line)
    return lines


def fewest_lines(text: str, width: int) -> list[str]:
    """`text` in as few lines as `width` allows, as even as they can be: `Expected` /
    `to date`, not `Expected to` / `date`."""
    fewest = len(wrap(text, width))
    narrowest = next(w for w in range(1, width + 1) if len(wrap(text, w)) <= fewest)
    return wrap(text, narrowest)


def packed(parts: Sequence[str], separator: str, width: int) -> list[str]:
    """`parts` joined by `separator` in lines of at most `width` cells, a part broken only
    when it is wider than a line of its own."""
    mark = separator.rstrip()  # ends the line when the next part starts a new one
    gap = separator[len(mark) :]
    lines: list[str] = []
    line = ""
    for index, part in enumerate(parts):
        piece = part + (mark if index < len(parts) - 1 else "")
        if line and cell_width(line + gap + piece) <= width:
            line += gap + piece
            continue
        if line:
            lines.append(line)
        *full, line = wrap(piece, width)
        lines += full
    lines.append(line)
    return lines
