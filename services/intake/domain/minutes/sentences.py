"""Cut a block's text into sentences (with the stop before each) and sentences into comma segments."""


import re

from .vocabulary import LIST_MARK


_LIST_MARK = re.compile(LIST_MARK)
# After a colon, a subject and the first item of its list: '各值守单位一是安排专人值守'.
_SUBJECT_THEN_LIST = re.compile(r"[\u4e00-\u9fff、（）]{2,16}?(?=一)" + LIST_MARK)


def split_sentences_with_stops(text):
    """The sentences of a text, with the mark that came before each sentence ('' at the start).

    A clause after '；' still belongs to the sentence before it, which matters when it
    leaves out its subject ('A要…；对难度大的项目，要…' is still A's work).  A quotation
    opened right after a colon ('…作出批示：“A要…。B要…。”') is a directive quoted in a
    report: its sentences are cut like any others, and the colon ends the one before.
    """
    out, depth, start, before = [], 0, 0, ""
    quoted = False          # inside a quotation that opened after a colon
    for i, ch in enumerate(text):
        if ch == "“" and depth == 0 and i > 0 and text[i - 1] == "：":
            out.append((text[start:i - 1], before))
            start, before, quoted = i + 1, "：", True
        elif ch == "”" and quoted and depth == 0:
            out.append((text[start:i], before))
            start, before, quoted = i + 1, "”", False
        elif ch in "（《“":
            depth += 1
        elif ch in "）》”" and depth:
            depth -= 1
        elif depth == 0 and ch in "。；！？":
            out.append((text[start:i], before))
            start, before = i + 1, ch
        elif depth == 0 and i > start and _LIST_MARK.match(text, i) and \
                text[i - 1] in "，：" and i + 2 < len(text):
            out.append((text[start:i], before))
            start, before = i, "是"
        elif depth == 0 and ch == "：" and i > start and _SUBJECT_THEN_LIST.match(text, i + 1):
            out.append((text[start:i], before))       # '…作出安排部署：各值守单位一是…'
            start, before = i + 1, "："
    out.append((text[start:], before))
    return [(s.strip("，：； "), stop) for s, stop in out if s.strip("，：； ")]


def segments(sentence):
    """Comma segments with their offsets, not cutting inside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        if ch in "（《“":
            depth += 1
        elif ch in "）》”" and depth:
            depth -= 1
        elif depth == 0 and ch == "，":
            out.append((start, i))
            start = i + 1
    out.append((start, len(sentence)))
    return out
