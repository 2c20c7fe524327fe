"""Datelines: the "BAKU, Oct 5 (Fixture Wire) —" that opens a wire report. The place there is
where the report was filed, not where anything happened.

Two tests, one a step, kept apart because they disagree (the extraction issue will unify them):

- :data:`AFTER_NAME` (places): what follows a place name that starts a line: an optional
  ", qualifier" (up to 30 characters), an optional "(Wire)", then a dash or colon and a space.
- :data:`LINE` (meetings): a line that opens with capitals and then "," or "(" ("MOSCOW, ..."),
  or "Name, Mon 12 (" / "Name, Mon 12 —".
"""

from __future__ import annotations

import re

AFTER_NAME = re.compile(r"^(?:\s*,\s*[\w .,]{0,30}?)?\s*(?:\([^)\n]{1,30}\))?\s*(?:—|–|--|-|:)\s")
LINE = re.compile(r"^[\s(]*[A-Z][A-Z .'-]+[,(]|^\s*[A-Z][a-z]+,\s+(?:[A-Z][a-z]{2}\.?|\w+)\s+\d{1,2}\s*[(—–-]")
