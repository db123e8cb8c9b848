"""Data for schemathesis that the OpenAPI document names by format but JSON Schema cannot express.

- `iin`: a valid IIN (a real birth date from 1900 to 1999, the century digit, a check digit that matches),
  as `shared/domain/src/model/iin.rs` checks it. Written here from the rule in `shared/domain-notes.md`, so it is
  a second implementation of it.
- `moved-in-on`: a date in 2025 (never in the future, never before a registrant born in the 1900s).
"""

import datetime

import schemathesis
from hypothesis import assume
from hypothesis import strategies as st

WEIGHTS_1 = list(range(1, 12))
WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def check_digit(digits):
    k = sum(d * w for d, w in zip(digits, WEIGHTS_1)) % 11
    if k == 10:
        k = sum(d * w for d, w in zip(digits, WEIGHTS_2)) % 11
    return None if k == 10 else k


@st.composite
def iins(draw):
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(1999, 12, 31)))
    century_and_sex = draw(st.sampled_from([3, 4]))
    serial = draw(st.integers(min_value=0, max_value=9999))
    first = f"{born:%y%m%d}{century_and_sex}{serial:04d}"
    k = check_digit([int(c) for c in first])
    assume(k is not None)
    return f"{first}{k}"


schemathesis.openapi.format("iin", iins())
schemathesis.openapi.format(
    "moved-in-on",
    st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2025, 12, 31)).map(str),
)
