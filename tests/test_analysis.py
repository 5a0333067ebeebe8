"""The one module that asks Kiwi anything: the same answers however the calls are made."""

from __future__ import annotations

from kocorrect.analysis import LanguageModel

TEXTS = [
    "국가 데이터 탠 구축 사업을 추진한다.",
    "국가 데이터 댐 구축 사업을 추진한다.",
    "윈스톱",
    "원스톱",
    "697건 법인 검거",
    "697건 범인 검거",
]


def test_one_call_per_text_and_one_batch_agree() -> None:
    """A one-thread Kiwi is called once per text, a Kiwi with worker threads once per batch:
    scores (free and with a span read as one noun) and analyses are the same."""
    single, threaded = LanguageModel(), LanguageModel(num_workers=2)
    nouns = [None, (8, 11, "NNG"), None, None, None, None]
    for lm in (single, threaded):
        lm.clear_cache()
    assert single.score(TEXTS) == threaded.score(TEXTS)
    assert single.score(TEXTS, nouns=nouns) == threaded.score(TEXTS, nouns=nouns)
    free = single.score(TEXTS)
    # The damaged readings score below their corrections (the model is really consulted).
    assert free[0] < free[1] and free[2] < free[3]

    def forms(lm: LanguageModel) -> list[tuple[list[tuple[str, str]], float]]:
        return [
            ([(t.form, str(t.tag)) for t in tokens], score)
            for tokens, score in lm.analyze_many(TEXTS)
        ]

    assert forms(single) == forms(threaded)
    assert ("댐", "NNG") in forms(single)[1][0]
