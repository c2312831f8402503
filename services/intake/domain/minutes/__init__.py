"""Read meeting minutes (会议纪要) as text and return one draft per agreed action.

Modules, in the order the pipeline uses them (docs/intake.md, "How the minutes parser
is built", walks a newcomer through adding a rule):

  pipeline.py    parse_minutes: normalise, read the opening, cut blocks, read each block
  opening.py     title, chair, meeting date, attendees; which lines are preamble
  blocks.py      numbered decisions, unnumbered paragraphs and tables (Block, Table)
  fields.py      task-breakdown fields ('牵头单位：…') and table rows
  prose.py       a block's sentences -> Candidates -> Drafts (ProseReader)
  prose_rules.py what of a sentence is no action: a topic line, the account before the ask
  prose_leads.py who an action is for: the subject as written, a collective, a closing bracket
  sentences.py   cutting text into sentences and comma segments
  context.py     DocContext and Sentence (unit mentions and dates found once per sentence)
  rules.py       the rule table: sentences that are not actions, one named function each
  actions.py     one sentence -> several actions; the lead / co units of an action
  candidates.py  Candidate, and folding approvals and follow-ups into actions
  leaders.py     person names, titles, 'X强调，…'
  units.py       unit mentions in a clause and their roles
  unit_lists.py  a list of unit names from where it starts (name ends, abbreviations, shared prefix)
  directory.py   matching a phrase to the directory (names, aliases, abbreviations, stems)
  deadlines.py   a task's deadline phrases -> deadline, milestones, cadence, flags; the
                 phrases are in deadline_phrases.py (a calendar day or a cadence: 9月底前,
                 国庆前, 每月25日前) and relative_deadline_phrases.py (本周内, 会后10个工作日内)
  dates.py       Chinese numerals, month ends, the year rule, ISO dates
  vocabulary.py  words and small tests shared by rules and action splitting
"""

from .leaders import person_name, split_leader
from .pipeline import parse_minutes

__all__ = ["parse_minutes", "person_name", "split_leader"]
