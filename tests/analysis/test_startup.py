"""What a run imports: libraries whose import alone costs a process a second or so stay out."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Each computed in analysis/ in its steps, its numbers held equal to the library's by a test.
LEFT_OUT = {
    "sklearn": "over a second (scipy.stats...); analysis/tfidf.py, tests/analysis/test_tfidf.py",
    "datasketch": "0.6 s (scipy.integrate); analysis/copies.py, tests/analysis/test_copies.py",
}


@pytest.mark.parametrize("library", sorted(LEFT_OUT))
def test_a_run_does_not_import(library: str) -> None:
    code = (
        "import sys, analysis.cli, analysis.pipeline, analysis.engines\n"
        "from analysis.copies import signature\n"
        "from analysis.stories import STOP_WORDS\n"
        "signature('one two three four five six')\n"
        f"print({library!r} in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", LEFT_OUT[library]
