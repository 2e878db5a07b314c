#!/usr/bin/env python3
"""Decomposes the composite glyphs of TrueType fonts in place (fontTools; Debian: python3-fonttools).

Why: PDFsharp 6.5 drops the components of composite glyphs when it embeds a font subset, so
DejaVu's precomposed Vietnamese letters (ạ, ắ, ố, ụ, ...) print without their marks. With every
glyph a simple outline, the subset PDFsharp embeds is complete and each letter PDF stays small.
Usage: /usr/bin/python3 scripts/fonts/flatten-composites.py SRC.ttf DST.ttf
"""
import sys

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont


def flatten(src: str, dst: str) -> int:
    font = TTFont(src)
    glyf = font["glyf"]
    glyph_set = font.getGlyphSet()
    count = 0
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if not glyph.isComposite():
            continue
        recording = DecomposingRecordingPen(glyph_set)
        glyph_set[name].draw(recording)
        pen = TTGlyphPen(None)
        recording.replay(pen)
        glyf[name] = pen.glyph()
        count += 1
    font.save(dst)
    return count


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"{sys.argv[2]}: {flatten(sys.argv[1], sys.argv[2])} composite glyphs decomposed")
