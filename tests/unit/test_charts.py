"""The Ask and Patterns charts: they follow the page's filters and read with 1 or 50 interviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.charts import cause_bars, causes_by_month, plan_completion
from debrief.records.models import Interview, Reflection
from debrief.services.ask import SearchFilters
from debrief.services.container import Services, build_services, use_services
from debrief.services.patterns import CausesByMonth, PlanProgress
from debrief.settings import load_settings
from tests.fakes import FakeModelSource
from tests.unit.test_app_pages import APP


@pytest.fixture
def services() -> Iterator[Services]:
    built = build_services(load_settings(), llm=FakeModelSource())
    with use_services(built):
        yield built
    built.close()


def _reflected(built: Services, company: str, held: datetime, *tags: str) -> None:
    saved = built.interviews.save(Interview(company=company, role="Engineer", held_at=held), [], [])
    assert saved.id is not None
    built.reflection.save(Reflection(interview_id=saved.id, cause_tags=list(tags)))


def test_cause_counts_follow_the_company_and_date_filters(services: Services) -> None:
    _reflected(services, "Northwind", datetime(2026, 10, 1, 10), "unprepared_question")
    _reflected(
        services, "Brightwater Energy", datetime(2026, 11, 5, 10), "rapport", "unprepared_question"
    )
    assert services.ask.cause_counts() == ({"unprepared_question": 2, "rapport": 1}, 2)
    only = SearchFilters(company="Northwind")
    assert services.ask.cause_counts(only) == ({"unprepared_question": 1}, 1)
    recent = SearchFilters(date_from=date(2026, 11, 1))
    assert services.ask.cause_counts(recent) == ({"unprepared_question": 1, "rapport": 1}, 1)


def test_the_ask_chart_follows_the_company_filter(services: Services) -> None:
    _reflected(services, "Northwind", datetime(2026, 10, 1, 10), "unprepared_question")
    _reflected(services, "Brightwater Energy", datetime(2026, 11, 5, 10), "rapport")
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.switch_page("app_pages/ask.py").run()
    assert any("Causes across 2 reflections" in m.value for m in app.markdown)
    app.selectbox(key="ask_company").select("Brightwater Energy").run()
    assert not app.exception, app.exception
    assert any("Causes across 1 reflection (filtered)" in m.value for m in app.markdown)


def _layers(chart: Any) -> list[dict[str, Any]]:
    spec = chart.to_dict()
    return list(spec.get("layer", [spec]))


@pytest.mark.parametrize("interviews", [1, 50])
def test_count_bars_are_labelled_and_grow_with_the_data(interviews: int) -> None:
    plans = tuple(
        PlanProgress(i, f"Brightwater Energy {i:02d} Nov", i % 4, 4) for i in range(interviews)
    )
    chart = plan_completion(plans)
    bars, labels = _layers(chart)
    assert bars["encoding"]["y"]["axis"]["labelLimit"] == 0  # full names, never "Brightwater Ener…"
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "steps"
    assert chart.to_dict()["height"] >= 30 * interviews
    counts = cause_bars({"unprepared_question": interviews, "rapport": 1}, interviews)
    assert [layer["mark"]["type"] for layer in _layers(counts)] == ["bar", "text"]


def test_one_month_of_causes_sits_on_a_time_axis_of_several_months() -> None:
    from debrief.services.patterns import CauseCount

    one = CausesByMonth(("2026-11",), ("rapport",), (CauseCount("2026-11", "rapport", 1),))
    spec = causes_by_month(one).to_dict()
    x = spec["encoding"]["x"]
    assert x["type"] == "temporal" and spec["mark"]["size"] == 24  # a bar, not the whole month
    start, end = (date.fromisoformat(d) for d in x["scale"]["domain"])
    assert end - start > timedelta(days=150)
    many = [f"{2022 + m // 12}-{m % 12 + 1:02d}" for m in range(50)]
    rows = tuple(CauseCount(m, "rapport", 1) for m in many)
    spec = causes_by_month(CausesByMonth(tuple(many), ("rapport",), rows)).to_dict()
    x = spec["encoding"]["x"]
    start, end = (date.fromisoformat(d) for d in x["scale"]["domain"])
    assert start < date(2022, 1, 1) and end > date(2026, 2, 1)
    assert spec["mark"]["size"] * 52 <= 600  # fifty thin bars side by side, none overlapping
