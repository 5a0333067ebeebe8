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


def test_the_direct_path_into_kiwi_reads_as_kiwi_does() -> None:
    """`direct_analyze` (kiwipiepy's options worked out once) gives Kiwi's own analysis, and a
    method replaced on the Kiwi instance (a counter) still sees every call."""
    from kocorrect.analysis import direct_analyze, shared_kiwi

    kiwi = shared_kiwi(1)
    direct = direct_analyze(kiwi)
    assert direct is not None
    for text in ("국가 데이터 탠 구축", "음주운전 단속에 걸렸다", "가", "ㅋㅋㅋ 123 abc"):
        (tokens, score), *_ = direct(text)
        (expected, expected_score), *_ = kiwi.analyze(text, top_n=1)
        assert score == expected_score
        assert [(t.form, t.tag, t.start, t.len) for t in tokens] == [
            (t.form, t.tag, t.start, t.len) for t in expected
        ]
    lm = LanguageModel()
    seen: list[str] = []
    original = kiwi.analyze

    def counting(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(text)
        return original(text, *args, **kwargs)

    lm.score(["준비 운동"])  # the direct path is set up
    kiwi.analyze = counting  # type: ignore[method-assign]
    try:
        lm.score(["데이터 댐 구축"])
    finally:
        del kiwi.analyze
    assert seen == ["데이터 댐 구축"]
    assert lm.kiwi_texts == 2 and lm.kiwi_chars == len("준비 운동") + len("데이터 댐 구축")


def test_an_analysed_text_is_not_scored_again() -> None:
    """A text analysed whole (`analyze_many`) leaves its score in the score cache: scoring it
    afterwards asks Kiwi nothing more, and gives the same score."""
    lm = LanguageModel()
    [(_tokens, analysed)] = lm.analyze_many(["훔쳤다"])
    handed = lm.kiwi_texts
    assert lm.score(["훔쳤다"]) == [analysed]
    assert lm.kiwi_texts == handed
