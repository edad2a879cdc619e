"""The canonical line: the one form the tool writes a figure in, `- {json}` and a newline.

Guarantees: the line is a YAML flow mapping that is also JSON, keys in the model's field order;
numbers are written so JSON and YAML read back the same number (never an exponent), and text
so YAML reads it back unchanged; it ends in `}` and a newline, so a cut-off write is visible.
"""

from __future__ import annotations

import json
import re
from typing import Any

from liuxia_tracker.domain.models import Figure
from liuxia_tracker.domain.records import FIGURE_FIELDS
from liuxia_tracker.domain.units import number_text

FIELD_ORDER = FIGURE_FIELDS  # the canonical line writes the keys in the model's order

# Characters YAML does not read back as themselves inside a double-quoted scalar (non-printable
# ones, and U+0085 / U+2028 / U+2029, which YAML counts as line breaks): written as \uXXXX,
# which JSON and YAML both decode. json.dumps has already escaped the C0 controls. Named one by
# one (what YAML 1.1 does not count as printable, the surrogates, and those line breaks): the
# same set as "not printable" written as a negated class, which takes ten times longer to
# compile (tests/test_figures_read.py holds the two the same).
NOT_YAML_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def _text_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return NOT_YAML_PRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def canonical_line(figure: Figure) -> str:
    """The one-line form written to a figure file: `- {json}` and a newline."""
    data = figure.model_dump(mode="json", exclude_none=True)
    keys = [key for key in FIELD_ORDER if key in data]
    keys += [key for key in data if key not in FIELD_ORDER]
    parts = []
    for key in keys:
        if key == "value" and figure.value is not None:
            shown = number_text(figure.value)
        else:
            shown = _text_json(data[key])
        parts.append(f"{json.dumps(key)}: {shown}")
    return "- {" + ", ".join(parts) + "}\n"
