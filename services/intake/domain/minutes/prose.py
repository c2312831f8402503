"""Read the prose of one block: sentences -> rule table -> actions -> Candidates -> Drafts.

The steps, in order, for each sentence of a block:
1. the block's first short sentence may only name its topic (`is_topic`);
2. a clause after '；' without a subject of its own continues the action before it
   (`follow_on`);
3. a leader's remark ('王强强调，…') or a requesting body ('董事会要求，…') is taken off
   the front and sets the leader in force (`take_speaker`);
4. the rule table (rules.py) drops what is no action;
5. the sentence is cut into actions (actions.py) and each becomes a Candidate.
Then approvals are folded into the actions that carry them out and support-only or
date-only follow-ups into the action before them (candidates.py); units in brackets
closing a work-plan item lead its actions that name none (`closing_assignment`).
A sentence the rules drop may still name who speaks next (`note_person`).
What of a sentence is no action (`is_topic`, the `drop_*` rules) is in prose_rules.py;
who an action is for when its mentions do not say it all, in prose_leads.py.
"""

import re

from ..model import make_draft
from .actions import named_body_in_charge, split_actions, units_of
from .candidates import Candidate, fold_approvals, merge_followups, share_list_deadline, union
from . import classifier, runs
from .classifier import candidate_features, explain, is_action
from .confidence import confidence
from .context import Sentence
from .deadlines import resolve_deadlines
from .leaders import ANNOUNCING, leading_person, split_leader, split_narrated_remark, split_pronoun_remark
from .prose_leads import (ADDRESSED, addressed, closing_assignment, generic_subject, person_in_charge, phrase_around,
                          widen_lead)
from .prose_rules import (drop_account_before_ask, drop_responsibility_statement, drop_statement_before_subject,
                          is_topic, keep_quoted_task, only_approves)
from .rules import (DEFERRING_RULES, HARD_RULES, LEADER_SETTING_RULES, LIST_HEADING_RULES, NOT_ACTION_PIECE_RULES,
                    NOT_ACTION_RULES, SILENT_ON_PEOPLE, first_rule_that_fires, rules_that_fire)
from .sentences import split_sentences_with_stops
from .subjects import subject_as_written  # noqa: F401  (re-exported: tests import it from here)
from .vocabulary import APPROVAL, COLLECTIVE_START, LIST_MARK, cjk_count, is_time_limit, own_task

# A clause that opens without a subject and goes on with the one before: '对…的，要…',
# '并…', '同时要…'.
CONTINUATION = re.compile(r"^(?:对于?|针对|并且?|同时|还要|也要|要|须|其中)")
# A clause after '；' that asks again with a task of its own ('…；要提前梳理项目清单').
OWN_ASK = re.compile(r"^(?:同时|还|也)?(?:要|须|必须)(?![求点素闻件])")
# A grant of authority ('同意…，授权董事长在额度内签署…') approves; it sets nobody a task.
GRANT = re.compile(r"授权(?:公司)?(?:董事长|副董事长|总经理|总裁|经理层|经营层|管理层|法定代表人|董事会秘书|董秘)")
# The body that makes a request ('董事会要求，财务部要…', '党委要求，X要…') is not its lead.
REQUESTING_BODY = re.compile(r"^(?:公司|本公司)?(?:董事会|监事会|党委会|党委|党组会|党组|总经理办公会|总经理办公会议|"
                             r"经理层|经营层|常委会|领导小组)(?:还|同时|进一步|特别|再次)?(?:要求|强调|指出|明确)[，：]")

# '…对整改工作作出批示' / '…作出重要指示': the quoted words that follow are this person's.
_INSTRUCTS = re.compile(r"(?:作出|做出|作|做)了?(?:重要)?(?:批示|指示)$|批示(?:指出|要求)?$")
_LIST_ITEM = re.compile("^" + LIST_MARK)
# '各医疗卫生单位一是要…': the subject opens a list its next items (二是…) go on with.
_SUBJECT_THEN_FIRST = re.compile(r"[\u4e00-\u9fff）)](?=一)" + LIST_MARK)
_BARE_ASK = re.compile(r"^(?:同时|并|还|最后)?(?:要求|强调|指出)")
# A sentence that goes on with the subject of the one before: '张某对…给予了肯定。并结合实际…部署'.
_GOES_ON = re.compile(r"^(?:并|同时|随后|接着|还|又)")
_PRONOUN = re.compile(r"(?:^|，)(?:他|她)")
# A narrative sentence that ends on the ask, the asks following as their own sentences:
# '陈某副县长在听取汇报后，对…给予了充分肯定，并要求，一是…' / '…进行了梳理并指出：一是…'.
_ASKS_AT_END = re.compile(r"(?:^|，|并|同时|还|也)(?:要求|指出|强调)$")
# An ask that opens the clause after an announcement: '…作出了工作部署，要在全院开展…'.
_ASK_OPENS = re.compile(r"^(?:要|须|必须|务必|各[^，。；]{1,15}?(?:要|须|必须|务必|应))")
MAX_ANNOUNCING_HEAD = 80    # characters before the comma: a narrative head is short
_MEETING_VOICE = re.compile(r"^会议(?:要求|决定|同意|议定|明确|强调|原则同意)")
_BARE_APPROVAL = re.compile(r"^(?:会议)?(?:原则)?(?:同意|通过|批准)(?:[，]|$)")


def block_text(lines):
    """The block's lines as one text; an unpunctuated line ('关于资金保障') ends its own sentence."""
    return "".join(line if re.search(r"[。；：！？]$", line) else line + "。" for line in lines)


def _announcing_head(text):
    """(head, ask) when the text opens with an announcement of what is asked, else (None, text):
    '…并提出三点要求：一提高…' (before a colon) or '孙某作出了全面细致的工作部署，要在全院开展…'
    (before a comma and an ask; heads of at most MAX_ANNOUNCING_HEAD characters)."""
    head, colon, tail = text.partition("：")
    if colon and cjk_count(tail) >= 4 and (ANNOUNCING.search(head + "：") or _ASKS_AT_END.search(head)):
        return head, tail
    for m in re.finditer("，", text[:MAX_ANNOUNCING_HEAD]):
        head, tail = text[:m.start()], text[m.end():]
        if ANNOUNCING.search(head) and _ASK_OPENS.match(tail) and cjk_count(tail) >= 4:
            return head, tail
    return None, text


class ProseReader:
    """Reads one block's sentences into Candidates, keeping the leader in force."""

    def __init__(self, block, ctx, leader, meta, item_of=None):
        self.block, self.ctx, self.leader, self.meta = block, ctx, leader, meta
        self.candidates, self.topic = [], None
        self.last_person = None     # the person the last narrative sentence was about
        self.leader_phrase = None   # the words the leader in force was read from
        self.quoting = False        # the leader is the author of a quoted instruction
        self.list_lead = None       # who a list heading ('各企业要做好4项工作：') puts in charge of its items
        # the block is an item under a numbered heading that addressed someone ('一、王强对A、B提出
        #三点要求：' then '1、要…'): that heading's candidate, whose lead its items take
        self.item_of = item_of

    # -- step 2: a clause after '；' that goes on with the action before it ----------
    def _open_previous(self, s):
        """The previous candidate, when s follows it after '；' and names no actor of its own."""
        if s.stop != "；" or not self.candidates:
            return None
        prev = self.candidates[-1]
        if not prev.lead or prev.closed or s.acting_mentions or COLLECTIVE_START.match(s.text):
            return None
        return prev

    def follow_on(self, s):
        """'continued' when s was appended to the previous action, an inherited candidate, or None.

        'A要…；对难度大的项目，要…' continues A's action; 'A要在6月底前开工；11月底前完工'
        adds a milestone; 'A：…7月17日前上线X；本周内完成Y' is A's next action (inherited).
        """
        prev = self._open_previous(s)
        if prev is None:
            return None
        if OWN_ASK.match(s.text) and cjk_count(s.text) >= 8:
            return prev     # 'A要做X；要做Y；要做Z': each clause after '；' is A's next action
        if CONTINUATION.match(s.text):
            prev.extend(s.text, self.ctx)
            return "continued"
        if not s.has_time_limit:
            return None
        if own_task(s.text, self.ctx.meeting):
            return prev
        prev.extend(s.text, self.ctx)
        return "continued"

    # -- step 3: who speaks ------------------------------------------------------------
    def take_speaker(self, s):
        """Take a leader's remark or a requesting body off the front; None when nothing is left."""
        who, body = split_leader(s.text, self.last_person or self.leader)   # 他/她: the person last named
        if not who:
            who, body = split_pronoun_remark(s.text)   # '会上，武院长部署了…，他强调，…'
        if not who:
            who, body = split_narrated_remark(s.text)  # '会上，王主任介绍了…，要求各单位…'
        if not who and self.last_person and _BARE_ASK.match(s.text):
            who, body = self.last_person, s.text    # '王某对…作了安排。要求各专班…': 王某 asks
        if not who:
            who, body = self._announced_before_colon(s.text)   # '…进行了总结并提出三点要求：一提高…'
        if who:
            self.leader, self.last_person = who, who
            self.leader_phrase = s.text[:len(s.text) - len(body or "")].strip("，： ")
            return s.with_text(body) if body else None
        if _MEETING_VOICE.match(s.text):
            self.leader = None
            return s
        requesting = REQUESTING_BODY.match(s.text)
        if requesting and len(s.text) > requesting.end():
            self.leader = None
            return s.with_text(s.text[requesting.end():])
        return s

    def _announced_before_colon(self, text):
        """'高某就…进行了总结并提出三点要求：一提高…' -> ('高某', '一提高…'); else (None, text).

        A narrative head that names a person (or 他/她 after one) and ends on the announcement
        of what is asked, before a colon or before a comma and the ask: the person asks, and
        what follows is read as the ask.
        """
        head, tail = _announcing_head(text)
        if head is None:
            return None, text
        person = leading_person(head) or (self.last_person if _PRONOUN.search(head[:16]) else None)
        return (person, tail) if person else (None, text)

    def note_person(self, s, rule):
        """A narrative sentence about a person ('蔡红就下步工作提出具体要求') names who speaks next."""
        if rule in SILENT_ON_PEOPLE:
            return
        person = leading_person(s.text)
        if not person and (_PRONOUN.search(s.text[:16]) or _GOES_ON.match(s.text) and ANNOUNCING.search(s.text)):
            person = self.last_person       # '对于新学期工作，他提出四点要求'; '并结合…对以下工作进行了强调部署'
        if person:
            self.last_person = person
            head = s.text.split("：", 1)[0]    # '…并提出三点要求：一提高…': the announcement before the colon
            if rule in LEADER_SETTING_RULES or _INSTRUCTS.search(s.text) or ANNOUNCING.search(head) \
                    or _ASKS_AT_END.search(head):
                self.leader, self.leader_phrase = person, s.text[:40]

    # -- step 5: actions -------------------------------------------------------------
    def add_actions(self, s, inherit, rules=()):
        if self.topic and APPROVAL.match(s.text) and _BARE_APPROVAL.match(s.text):
            # '会议原则通过，请A…' approves what the topic sentence named
            s, self.topic = s.with_text(self.topic + "。" + s.text), None
        actions = split_actions(s.text, s.mentions, self.ctx.meeting)
        before = None       # the previous action of this sentence
        run_head = None     # the first piece of the run being cut (runs.cut_runs)
        for action_text, mentions, run in actions:
            piece_rules = rules
            if len(actions) > 1:
                # '会议指出，要提高政治站位，A要…': the exhortation is judged on its own
                piece_rules = tuple(r.__name__ for r in rules_that_fire(s.with_text(action_text),
                                                                        NOT_ACTION_PIECE_RULES))
                piece_rules += tuple("sentence:" + r for r in rules)
                if piece_rules and not classifier.RULES_AS_FEATURES:
                    continue
            cand = self._candidate(action_text, mentions)
            cand.rules = piece_rules
            if not cand.lead and self.list_lead is not None and self.list_lead.lead and _LIST_ITEM.match(action_text):
                # '各企业要做好4项工作：一是…；二是…': each item is the heading's subject's
                cand.lead, cand.weak, cand.generic = list(self.list_lead.lead), True, self.list_lead.generic
            elif not cand.lead and self.item_of is not None and not mentions:
                # '一、王强对A、B提出三点要求：' / '1、要…': an item that names nobody is theirs
                cand.lead, cand.weak, cand.generic = list(self.item_of.lead), True, self.item_of.generic
            if inherit is not None and not cand.lead:
                cand.lead, cand.weak, inherit = list(inherit.lead), inherit.weak, None
            elif not cand.lead and before is not None and before.lead and all(m.role == "excluded" for m in mentions):
                # '由A在3月15日前成立X，5月底前建成Y': the next dated task is still A's
                # (a counterpart it names, '…及时上报B', is no lead of its own)
                cand.lead, cand.co, cand.weak, cand.generic = list(before.lead), list(before.co), before.weak, \
                    before.generic
            if run is not None:
                run_head = runs.inherit_from_run(cand, run, run_head, self.ctx)
            self.candidates.append(cand)
            before = cand

    def _candidate(self, text, mentions):
        lead, co, weak = units_of(mentions)
        approves = bool(APPROVAL.match(text))
        actors = any(m.role in ("lead", "supervise") for m in mentions)
        # a bare approval ('会议原则同意《方案》。'), or one whose only actors are its
        # proposer and funders, is context for the action that carries it out
        approval = approves and ("，" not in text.strip("，") or not actors
                                 and any(m.role == "proposer" for m in mentions))
        grant = approves and bool(GRANT.search(text)) and not actors
        generic = None if lead else generic_subject(text)
        in_charge = person_in_charge(text)
        if generic:
            lead, weak = [generic.group("who")], True
        lead, as_written = widen_lead(lead, text)
        weak = weak or as_written
        if not lead and named_body_in_charge(text):
            lead, weak = [named_body_in_charge(text)], False     # kept as written: unmatched_unit
        leader, leader_phrase = (in_charge.group("who"), in_charge.group(0)) if in_charge else \
            (self.leader, self.leader_phrase if self.leader else None)
        return Candidate(text=text, lead=lead, co=co, weak=weak, leader=leader,
                         lead_phrase=phrase_around(text, lead[0]) if lead else None,
                         leader_phrase=leader_phrase,
                         approval=approval or grant, grant=grant, generic=bool(generic),
                         info=resolve_deadlines(text, self.ctx.meeting, self.ctx.festival))

    # -- the loop ------------------------------------------------------------------------
    def read_sentence(self, s, first):
        if s.stop == "：" and self.leader:
            self.quoting = True     # '…作出批示：“…”': the quotation is the speaker's
        if first and s.following and is_topic(s, self.block):
            self.topic = s.text
            return
        inherit = self.follow_on(s)
        if inherit == "continued":
            return
        if self.candidates and s.stop != "；":
            self.candidates[-1].closed = True
        if s.stop == "”" and self.quoting:
            self.leader, self.quoting = None, False   # the quoted instruction is over
        s = self.take_speaker(s)
        if s is None:
            return
        s = drop_statement_before_subject(drop_responsibility_statement(keep_quoted_task(s)))
        told = drop_account_before_ask(s)
        if told is not s:
            s = self.take_speaker(told)     # '…，党委书记某某要求各单位…': who asks
            if s is None:
                return
        hard = first_rule_that_fires(s, HARD_RULES if classifier.RULES_AS_FEATURES else NOT_ACTION_RULES)
        if hard in DEFERRING_RULES:
            self.meta["deferred"].append({"clause": self.block.clause, "text": s.text})
        if hard is not None:
            self.note_person(s, hard)
            if hard in LIST_HEADING_RULES:
                self.list_lead = addressed(self._candidate(s.text, s.mentions), s.text)
            return
        fired = rules_that_fire(s, NOT_ACTION_RULES)
        self.note_person(s, fired[0] if fired else None)
        count = len(self.candidates)
        self.add_actions(s, inherit, tuple(rule.__name__ for rule in fired))
        if len(self.candidates) > count and self.candidates[count].lead and _SUBJECT_THEN_FIRST.search(s.text):
            self.list_lead = self.candidates[count]  # 'A一是要…；二是…；三是…': A's items

    def read(self):
        pairs = split_sentences_with_stops(block_text(self.block.lines))
        closing = closing_assignment(pairs[-1][0], self.ctx) if len(pairs) > 1 else None
        if closing:
            pairs = pairs[:-1]
        texts = [text for text, _ in pairs]
        for index, (text, stop) in enumerate(pairs):
            self.read_sentence(Sentence(text, self.ctx, stop, texts[index + 1:]), index == 0)
        if self.quoting:
            self.leader = None      # a quotation ends with its paragraph at the latest
        return self.finish(closing)

    def finish(self, closing=None):
        if closing:
            for cand in self.candidates:
                if not cand.lead:
                    cand.lead, cand.co, cand.weak = list(closing[0]), union(cand.co, closing[1]), False
                    cand.lead_phrase = closing[2]
        share_list_deadline(self.candidates)
        for cand in self.candidates:
            cand.features = features_of(cand, self.block.paragraph, self.ctx.directory, self.ctx.news)
        kept = []
        for cand in self.candidates:
            if is_action(cand.features):
                kept.append(cand)
            elif cand.grant:    # a grant is no action whatever the model says: listed all the same
                self.meta.setdefault("approvals", []).append({"clause": self.block.clause, "text": cand.text})
        self.candidates = kept
        fold_approvals(self.candidates, self.ctx)
        for cand in self.candidates:
            if (cand.grant or only_approves(cand)) and not cand.folded:
                self.meta.setdefault("approvals", []).append({"clause": self.block.clause, "text": cand.text})
        kept = [c for c in self.candidates if not c.folded and not c.grant and not only_approves(c)]
        return [self._draft(c) for c in merge_followups(kept, self.ctx)]

    def _draft(self, c):
        draft = make_draft(c.text.strip("，。"), c.lead, c.co, c.info, self.ctx.directory,
                           leader=c.leader, clause=self.block.clause, weak_lead=c.weak,
                           flags=("generic_unit",) if c.generic else (),
                           evidence={"lead": c.lead_phrase, "leader": c.leader_phrase,
                                     "action": explain(c.features)})
        draft.action_features = c.features      # for tools/fit_action_model.py; not serialised
        draft.action_p = classifier.probability(c.features)
        return confidence(draft, action_p=draft.action_p)


def features_of(cand, paragraph=False, directory=None, news=False):
    """The action classifier's features of a candidate (classifier.candidate_features)."""
    info = cand.info
    return candidate_features(
        cand.text, lead=cand.lead, strong_lead=not cand.weak, generic=cand.generic, co=cand.co,
        deadline=info.deadline, time_limit=is_time_limit(info, cand.text),
        vague=bool({"vague_deadline"} & set(info.flags)), cadence=info.cadence, leader=cand.leader,
        approval=cand.approval, rules=cand.rules, paragraph=paragraph, news=news, run_piece=cand.run_piece,
        in_directory=bool(directory and cand.lead and not cand.generic
                          and any(directory.match(name).code for name in cand.lead)))


def parse_prose(block, ctx, leader, meta, item_of=None):
    """Sentences of one block -> (drafts, the leader in force afterwards).

    item_of: the candidate of the numbered heading the block is an item of, when that heading
    addressed its requirements to someone (read_heading)."""
    reader = ProseReader(block, ctx, leader, meta, item_of)
    drafts = reader.read()
    return drafts, reader.leader


def read_heading(block, ctx, leader):
    """A one-line numbered heading over items ('一、总经理王强对信息中心、财务部提出三点要求：'):
    (the leader in force after it, the candidate whose lead its items take or None).  It
    makes no draft of its own and records nothing in the document's meta (a heading is read
    for who speaks and whom it addresses, not as a decision deferred or approved)."""
    reader = ProseReader(block, ctx, leader, {"deferred": []})
    reader.read()
    text = block_text(block.lines)
    if not ADDRESSED.search(text):
        return reader.leader, None
    s = Sentence(text, ctx, "：", [])
    return reader.leader, addressed(reader._candidate(s.text, s.mentions), s.text)
