"""Datelines: the "BAKU, Oct 5 (Fixture Wire) —" that opens a wire report. The place there is
where the report was filed, not where anything happened.

Two tests, one a step, kept apart because they disagree (the extraction issue will unify them):

- :data:`AFTER_NAME` (places): what follows a place name that starts a line: an optional
  ", qualifier" (up to 30 characters), an optional "(Wire)", then a dash or colon and a space.
- :data:`LINE` (meetings): a line that opens with capitals and then "," or "(" ("MOSCOW, ...",
  "ЕРЕВАН, ...", "GENÈVE, ..."), or "Name, Mon 12 (" / "Name, Mon 12 —" / "Москва, 12 мая —".
"""

from __future__ import annotations

import re

AFTER_NAME = re.compile(r"^(?:\s*,\s*[\w .,]{0,30}?)?\s*(?:\([^)\n]{1,30}\))?\s*(?:—|–|--|-|:)\s")
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"  # capitals of the Latin (with accents) and Cyrillic alphabets: "GENÈVE,", "ЕРЕВАН,"
_LOWER = "a-zß-öø-ÿа-яё"
LINE = re.compile(
    rf"^[\s(]*[{_UPPER}][{_UPPER} .'-]+[,(]"
    rf"|^\s*[{_UPPER}][{_LOWER}]+,\s+(?:[{_UPPER}][{_LOWER}]{{2}}\.?|\w+)\s+\d{{1,2}}\s*[(—–-]"
    rf"|^\s*[{_UPPER}][{_LOWER}]+,\s+\d{{1,2}}\s+[{_LOWER}]+\.?\s*[(—–-]"  # "Москва, 12 мая —", "Genève, 3 oct. —"
)
