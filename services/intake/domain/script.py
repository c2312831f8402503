"""A draft's words in the document's own script: '區水務局' where the minutes write 區水務局.

The parsers read a Simplified copy of every text (normalize.to_simplified), so that the
rules, the vocabulary and the directory match whichever script a document is written in.
What the office reviews, though, is its own text: a task, a unit, a leader or a time limit
is given back as the document writes it (docs/intake.md, "Traditional script").

`WrittenScript(original)` lines up the document's Chinese characters with those of its
Simplified copy (one for one: the conversion keeps the length of every character it
changes); `as_written(text)` finds the stretches of a draft string in that copy and puts the
document's characters back in their place.  Whatever is not Chinese (punctuation, digits,
spaces) stays as the parser normalised it; a character the parser added (the 日 of '9月20前')
keeps its Simplified form.
"""
import unicodedata

from .normalize import to_simplified


def _is_cjk(ch):
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


class WrittenScript:
    """The document's Chinese characters and their Simplified forms, position for position."""

    def __init__(self, original):
        text = unicodedata.normalize("NFKC", original or "")
        simplified = to_simplified(text)
        if len(simplified) != len(text):     # a phrase that changed length: convert one by one
            simplified = "".join(to_simplified(ch) for ch in text)
        pairs = [(s, o) for s, o in zip(simplified, text) if _is_cjk(o)]
        self.simplified = "".join(s for s, _ in pairs)
        self.written = "".join(o for _, o in pairs)
        self.changed = self.simplified != self.written

    def as_written(self, text):
        """`text` (read from the Simplified copy) with the document's own characters."""
        if not text or not self.changed:
            return text
        cjk = [i for i, ch in enumerate(text) if _is_cjk(ch)]
        chars = list(text)
        k = 0
        while k < len(cjk):
            at, n = self._longest_stretch(text, cjk, k)
            for j in range(n):
                chars[cjk[k + j]] = self.written[at + j]
            k += max(n, 1)
        return "".join(chars)

    def _longest_stretch(self, text, cjk, k):
        """(where, how many): the longest run of the draft's Chinese characters from the k-th
        on that the Simplified copy holds, at its first place; (0, 0) when not even one."""
        at, n = 0, 0
        while k + n < len(cjk):
            wanted = "".join(text[i] for i in cjk[k:k + n + 1])
            found = self.simplified.find(wanted)
            if found < 0:
                break
            at, n = found, n + 1
        return at, n

    def draft(self, draft):
        """Every string of a draft the office reads, as written (in place); returns the draft."""
        if not self.changed:
            return draft
        draft.task = self.as_written(draft.task)
        draft.lead = [self.as_written(name) for name in draft.lead]
        draft.co = [self.as_written(name) for name in draft.co]
        draft.leader = self.as_written(draft.leader)
        draft.deadline_text = self.as_written(draft.deadline_text)
        draft.goal = self.as_written(draft.goal)
        draft.milestones = [{k: (self.as_written(v) if isinstance(v, str) and k != "date" else v)
                             for k, v in m.items()} for m in draft.milestones]
        draft.evidence = {k: self.as_written(v) if isinstance(v, str) else v
                          for k, v in draft.evidence.items()}
        return draft
