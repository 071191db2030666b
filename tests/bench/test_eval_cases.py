"""Issue 18's listed cases (bench/eval_cases.py): each class has its cases, each case passes,
and a case the code cannot express fails rather than stop the report."""

from __future__ import annotations

from typing import Any

import pytest

from bench.eval_cases import CASES, Case, evaluate, run_case

CLASSES = {"Speakers", "Entities", "Names across the corpus", "Timeline", "Figures"}


def test_every_class_has_cases_with_names_of_their_own() -> None:
    assert {case.cls for case in CASES} == CLASSES
    names = [(case.cls, case.name) for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.cls}: {c.name}" for c in CASES])
def test_listed_case_passes(nlp: Any, case: Case) -> None:
    assert run_case(nlp, case) == (True, "")


def test_a_case_the_code_cannot_express_fails_with_its_error(nlp: Any) -> None:
    missing = Case("Speakers", "a column not there", ("“Yes,” she said.",), lambda t: t["nope"])
    wrong = Case("Speakers", "a wrong speaker", ("“Yes,” Ann Lee said.",), lambda t: False)
    assert run_case(nlp, missing) == (False, "KeyError: 'nope'")
    result = evaluate(nlp, [missing, wrong])
    assert result["Speakers"]["passed"] == 0 and result["Speakers"]["total"] == 2
    assert result["Speakers"]["failed"] == [
        "a column not there (KeyError: 'nope')",
        "a wrong speaker",
    ]
