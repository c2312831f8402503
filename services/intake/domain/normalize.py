"""Repair text copied from web pages, PDFs and Traditional-script sources before parsing."""

import re
import unicodedata

import opencc

from .errors import InputTooLarge, IntakeInputError

MAX_TEXT_CHARS = 200_000

# Traditional -> Simplified with OpenCC's t2s phrase tables (the C++ library, shipped as
# a wheel): phrase-aware, so one-to-many characters (乾隆 / 乾净, 著作 / 著力) come out
# right, and Simplified text passes through unchanged.  It replaced a hand-written table
# of ~500 characters: on the self-written corpus converted to Traditional script task
# F1 went from 0.81 to 0.99 (docs/intake.md, "Libraries").
_T2S = opencc.OpenCC("t2s")


def to_simplified(text):
    """'會議要求區住建局負責' -> '会议要求区住建局负责'."""
    return _T2S.convert(text)



_CJK = r"\u3400-\u9fff"
# Characters that PDF extraction scatters spaces between: CJK, digits, CJK punctuation.
_SPACE_NEIGHBOUR = rf"[{_CJK}0-9\u3000-\u303f\uff00-\uffef、，。；：（）《》“”]"
_SPACES_IN_TEXT = re.compile(rf"(?<={_SPACE_NEIGHBOUR})[ \u00a0\u3000]+(?={_SPACE_NEIGHBOUR})")
_DROPPED_DAY = re.compile(r"(\d{1,2})月(\d{1,2})(?![\d日号])(?=前|之前|以前|止|为止|完成|，|。|；|$)")


def _ascii_punct_to_chinese(line):
    """NFKC turns full-width punctuation into ASCII; put the Chinese forms back.

    Digit-adjacent ',' ':' stay ASCII (1,000 and 9:30) so numbers and times survive.
    """
    line = re.sub(r"(?<!\d),|,(?!\d)", "，", line)
    line = re.sub(r"(?<!\d):|:(?!\d)", "：", line)
    line = line.replace(";", "；").replace("(", "（").replace(")", "）")
    line = line.replace("!", "！").replace("?", "？")
    # A sentence-final ASCII period after CJK is a full stop; "1." numbering keeps its dot.
    line = re.sub(rf"(?<=[{_CJK}）])\.(?!\d)", "。", line)
    return line


# Chat apps (WeChat, DingTalk) lose punctuation: '１ 会议同意…方案 由区教育局…实施 １１月３０日前完成'.
# A number and spaces opening a line is an item number; spaces between two runs of
# Chinese words stand for a comma (or 、 between two unit names).  PDF copies scatter
# spaces between single characters and around digits ('9 月 20 日', '日 前'), so only
# a gap with at least four Chinese characters on each side counts.
_CHAT_NUMBER = re.compile(r"^(\d{1,2})[ \u3000]+(?=[\u4e00-\u9fff])(?![年月日号时点个天周万亿元倍名人家项条次])")
_CHAT_GAP = re.compile(rf"(?<=[{_CJK}]{{4}})[ \u3000]+(?=[{_CJK}]{{4}}|\d{{1,4}}[年月])")
_UNIT_END = "局委办部处科室院所队中心司团站馆"
_UNIT_START = ("区", "市", "县", "镇", "乡", "省", "各")


def _chat_gaps(line):
    def gap(m):
        left, right = line[:m.start()], line[m.end():]
        if left.endswith(tuple(_UNIT_END)) and right.startswith(_UNIT_START):
            return "、"
        return "，"
    return _CHAT_GAP.sub(gap, line)


def normalize_line(line):
    line = unicodedata.normalize("NFKC", line)
    line = to_simplified(line)
    line = line.replace("\t", " | ")
    line = _CHAT_NUMBER.sub(r"\1、", line)
    line = _chat_gaps(line)
    line = _ascii_punct_to_chinese(line)
    line = _SPACES_IN_TEXT.sub("", line)
    line = _SPACES_IN_TEXT.sub("", line)  # second pass: overlapping "9 月 20 日"
    line = re.sub(r"(\d{1,2})号", r"\1日", line)
    line = _DROPPED_DAY.sub(r"\1月\2日", line)
    return line.strip()


def normalize_text(text):
    """Normalise a whole document, line by line, dropping blank lines and PDF page numbers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (normalize_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line and not _PAGE_NUMBER.match(line))


# '- 1 -', '—2—', '第 3 页': page furniture left behind by PDF extraction.
_PAGE_NUMBER = re.compile(r"^(?:[-—－–\s]*\d{1,3}[-—－–\s]*|第\d{1,3}页(?:共\d{1,3}页)?)$")
# A line that may not be glued to the one before it: a new numbered item, a field, a table row.
_NEW_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．，]|[（(][一二三四五六七八九十\d]{1,3}[）)]|"
                       r"\d{1,2}(?:[、．]|\.(?!\d))|第[一二三四五六七八九十]{1,3}[，、：]|"
                       r"[\u4e00-\u9fff]{2,6}[：:]|\|)")
_SENTENCE_END = "。；：！？”）》"
# Read by reflow.py too, which re-flows a PDF's lines before the parser sees them.
PAGE_NUMBER, SENTENCE_END = _PAGE_NUMBER, _SENTENCE_END


def join_wrapped_lines(lines):
    """Undo the hard line breaks of text copied out of a PDF page.

    A PDF breaks lines at the page width, so a body line that is (nearly) as long as
    the longest lines of the document and does not end a sentence continues on the
    next line ('…7月' + '底前出台…').  A line ending in a comma or 、 always continues.
    Short unpunctuated lines are headings and stay on their own; so do lines that start
    a new item, a field ('牵头单位：') or a table row.  Documents typed line by line have
    ragged lengths, so their headings never reach the page width and nothing is joined.
    """
    if len(lines) < 3:
        return list(lines)
    lengths = sorted(len(line) for line in lines)
    width = lengths[int(len(lengths) * 0.9) - 1] if len(lengths) >= 10 else lengths[-1]
    out = []
    for line in lines:
        if out and not _NEW_ITEM.match(line) and "|" not in out[-1] and "|" not in line:
            prev = out[-1]
            wrapped = prev[-1] in "，、" or (
                prev[-1] not in _SENTENCE_END and len(prev) >= max(20, width * 0.85))
            if wrapped:
                out[-1] = prev + line
                continue
        out.append(line)
    return out


def decode_payload(payload, what="text"):
    """Bytes or str -> str; rejects empty, binary and oversized input with IntakeInputError."""
    if payload is None:
        raise IntakeInputError(f"empty {what}: nothing to parse", {"payload": "required"})
    if isinstance(payload, (bytes, bytearray)):
        raw = bytes(payload)
        if len(raw) > 4 * MAX_TEXT_CHARS + 3:  # past the limit in any encoding: do not decode
            raise InputTooLarge(f"{what} too long: {len(raw)} bytes, limit {MAX_TEXT_CHARS} characters",
                                {"payload": "too_long"})
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        text = None
        for encoding in ("utf-8", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise IntakeInputError(
                f"{what} is not UTF-8 or GBK text (binary data?)", {"payload": "undecodable"})
    elif isinstance(payload, str):
        text = payload
    else:
        raise IntakeInputError(f"{what} must be str or bytes, got {type(payload).__name__}",
                               {"payload": "type"})
    text = text.lstrip("\ufeff")
    if len(text) > MAX_TEXT_CHARS:
        raise InputTooLarge(
            f"{what} too long: {len(text)} characters, limit {MAX_TEXT_CHARS}",
            {"payload": "too_long"})
    if not text.strip():
        raise IntakeInputError(f"empty {what}: nothing to parse", {"payload": "empty"})
    controls = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")
                   and ch not in "\n\r\t")
    replacement = text.count("\ufffd")
    if (controls + replacement) > max(3, len(text) * 0.05):
        raise IntakeInputError(f"{what} looks like binary data, not text", {"payload": "binary"})
    return text


# A numbered item glued to the sentence before it: '…纪要如下：一、关于…。会议要求：1、A要…；
# 2、B负责…'.  Pasted from a Word file whose automatic numbering was lost (or from a chat
# that flattened the lines), a whole decision list arrives as one long line.
_RUN_IN_ITEM = re.compile(r"(?<=[。；：！？])(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|"
                          r"\d{1,2}、|[（(]\d{1,2}[）)])[^\d])")


def split_run_in_numbering(lines):
    """Put each numbered item of a run-together list back on a line of its own.

    Only a long line with at least two such items is cut - a single '：1、' inside an
    ordinary sentence is left alone - and only after a sentence mark (。；：！？), so
    '1、' inside a figure or a date is never taken for a number.
    """
    out = []
    for line in lines:
        marks = list(_RUN_IN_ITEM.finditer(line))
        if len(line) < 80 or len(marks) < 2:
            out.append(line)
            continue
        start = 0
        for m in marks:
            if line[start:m.start()].strip():
                out.append(line[start:m.start()])
            start = m.start()
        out.append(line[start:])
    return out
