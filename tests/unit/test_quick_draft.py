from __future__ import annotations

import pytest

from debrief.errors import InputError, LLMStreamIncompleteError
from debrief.services.quick_draft import QuickDraftService
from tests.fakes import FakeChatModel, FakeModelSource


def service(*replies: str, context_size: int = 4096) -> tuple[QuickDraftService, FakeChatModel]:
    model = FakeChatModel().enqueue(*replies)
    return QuickDraftService(FakeModelSource(model), context_size), model


def test_streams_the_draft_and_sends_the_versioned_prompt() -> None:
    draft, model = service("Dear Maria, thank you.")
    assert "".join(draft.stream("Thank Maria for the Kafka talk")) == "Dear Maria, thank you."
    (messages,) = model.requests
    assert [m.role for m in messages] == ["system", "user"]
    assert messages[1].content == "Thank Maria for the Kafka talk"
    assert "Never invent" in messages[0].content
    assert draft.prompt_ref == "quick_draft@v1"


@pytest.mark.parametrize(
    "request_text", ["", "   ", "\n\t", "\u200b\u200d", "\U000e0041\U000e0042"]
)
def test_empty_requests_are_refused_before_the_model_is_called(request_text: str) -> None:
    draft, model = service("unused")
    with pytest.raises(InputError, match="Write what you would like drafted"):
        draft.validate(request_text)
    with pytest.raises(InputError):
        list(draft.stream(request_text))
    assert model.requests == []


def test_a_request_longer_than_the_context_names_the_limit() -> None:
    draft, model = service("unused", context_size=1024)
    with pytest.raises(InputError) as caught:
        draft.validate("word " * 5000)
    assert str(draft.max_request_tokens) in caught.value.message
    assert model.requests == []


def test_invisible_characters_never_reach_the_model() -> None:
    draft, model = service("ok")
    list(draft.stream("Thank\u200b Ana\U000e0049\U000e0047 for the tour"))
    assert model.requests[0][1].content == "Thank Ana for the tour"


def test_rtl_text_and_emoji_are_kept() -> None:
    draft, model = service("ok")
    list(draft.stream("شكرا لك 🙏 Ana"))
    assert model.requests[0][1].content == "شكرا لك 🙏 Ana"


def test_a_cut_stream_surfaces_as_incomplete() -> None:
    draft, model = service("one two three four")
    model.cut_after = 2
    with pytest.raises(LLMStreamIncompleteError) as caught:
        list(draft.stream("anything"))
    assert caught.value.partial == "one two "
