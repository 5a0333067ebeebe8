"""Cutting a text into consecutive blocks of bounded size, at paragraph, line or word ends.

Both the Corrector (`Corrector.correct_large`: a page of any size, block by block) and the
misread stage (its chunks: memory bounded whatever the block's size) cut text this way.
"""

from __future__ import annotations

__all__ = ["BLOCK_CHARS", "block_spans", "split_blocks"]

# The most text the stages hold at once: a block of a very large page (see
# `Corrector.correct_large`).
BLOCK_CHARS = 1_000_000


def split_blocks(text: str, block_chars: int = BLOCK_CHARS) -> list[str]:
    r"""`text` cut into consecutive blocks of at most about `block_chars` characters, each cut
    made after a blank line where there is one (else after a line end, else after a space).

    >>> split_blocks("가나\n\n다라\n\n마바", 5)
    ['가나\n\n', '다라\n\n', '마바']
    """
    blocks: list[str] = []
    start = 0
    while len(text) - start > block_chars:
        end = start + block_chars
        cut = text.rfind("\n\n", start, end)
        if cut > start:
            cut += 2
            while cut < len(text) and text[cut] == "\n":
                cut += 1
        else:
            line = text.rfind("\n", start, end)
            space = text.rfind(" ", start, end)
            cut = line + 1 if line > start else space + 1 if space > start else end
        blocks.append(text[start:cut])
        start = cut
    blocks.append(text[start:])
    return blocks


def block_spans(text: str, block_chars: int) -> list[tuple[int, int]]:
    r"""The (start, end) offsets of `split_blocks(text, block_chars)` in `text`.

    >>> block_spans("가나\n\n다라\n\n마바", 5)
    [(0, 4), (4, 8), (8, 10)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for block in split_blocks(text, block_chars):
        spans.append((start, start + len(block)))
        start += len(block)
    return spans
