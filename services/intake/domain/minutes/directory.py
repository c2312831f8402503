"""The organisation's directory as the parser sees it: match a unit phrase to a code.

A phrase matches by tiers, strictest first: the name or an alias as written, the same
name core (region and unit word aside), containment, then abbreviation by subsequence.
One code is a match, several are ambiguous (the draft is flagged), none is none.

Bare function stems.  Minutes often name government units only by the stem of their
function - '财政要…', '人社牵头…', '会同国资、市城投' - while the directory holds full
names (市财政局, 市人力资源和社会保障局, 市人民政府国有资产监督管理委员会).  Such a
stem is resolved by `Directory.match_stem`: the table STEM_EXPANSIONS spells out the
standard abbreviations (发改 -> 发展和改革, 国资 -> 国有资产监督管理 …), and any other
stem of two or more characters matches when a directory name's core (region, 人民政府
and unit word stripped) starts with it.  Several candidates are narrowed to the one
whose core IS the expansion (财政 -> 市财政局, not 市财政投资评审中心); if that does
not decide, the stem is ambiguous.  A bare stem is read as a unit only where a unit
can stand (segment start, after 由/会同/配合 …, inside a list) AND it is followed by
what follows a subject (要/须/应/负责/牵头/会同/配合/督促 …) or a list mark, AND it
resolves to a directory unit - so ordinary nouns ('教育要从娃娃抓起' in a directory
without an education bureau) never become units.
"""

import functools
import re
from dataclasses import dataclass, field

from .unit_names import REGION_PREFIXES, UNIT_SUFFIX_CHARS, has_region_prefix

# Standard abbreviations of government functions -> how a full name spells them.  A
# stem not listed here still matches by the general rule (a directory core that starts
# with it), so only stems whose full spelling differs need an entry.
STEM_EXPANSIONS = {
    "发改": ("发展和改革", "发展改革"),
    "人社": ("人力资源和社会保障", "人力资源社会保障"),
    "卫健": ("卫生健康",),
    "卫计": ("卫生和计划生育", "卫生计生"),
    "国资": ("国有资产监督管理", "国资"),
    "住建": ("住房和城乡建设", "住房城乡建设"),
    "城建": ("城乡建设", "城市建设"),
    "自然资源": ("自然资源和规划", "自然资源"),
    "自规": ("自然资源和规划",),
    "规划": ("自然资源和规划", "规划"),
    "市场监管": ("市场监督管理", "市场监管"),
    "环保": ("生态环境", "环境保护"),
    "生态环境": ("生态环境",),
    "应急": ("应急管理",),
    "安监": ("应急管理", "安全生产监督管理"),
    "交通": ("交通运输",),
    "交警": ("交通警察",),
    "农业": ("农业农村", "农业"),
    "农业农村": ("农业农村",),
    "农委": ("农业农村", "农业"),
    "文旅": ("文化和旅游", "文化旅游", "文化广电和旅游", "文化广电旅游", "文旅"),
    "文广旅": ("文化广电和旅游", "文化广电旅游"),
    "医保": ("医疗保障",),
    "金融": ("地方金融监督管理", "金融监督管理", "金融工作", "金融"),
    "金融办": ("地方金融监督管理", "金融监督管理", "金融工作", "金融"),
    "城管": ("城市管理", "城市管理综合执法", "综合行政执法"),
    "综合执法": ("综合行政执法", "城市管理综合执法"),
    "水务": ("水务", "水利"),
    "水利": ("水利", "水务"),
    "工信": ("工业和信息化", "工业信息化", "经济和信息化"),
    "经信": ("经济和信息化", "经济信息化", "工业和信息化"),
    "科技": ("科学技术", "科技"),
    "网信": ("网络安全和信息化", "网信"),
    "政数": ("政务服务和大数据", "政务服务数据"),
    "数据": ("数据", "大数据"),
    "人防": ("人民防空",),
    "残联": ("残疾人联合会",),
    "工商联": ("工商业联合会",),
    "消防": ("消防救援",),
    "城投": ("城市建设投资", "城市投资", "城投"),
    "交投": ("交通投资", "交通建设投资", "交投"),
    "文广": ("文化广电",),
    "商务": ("商务",),
    "教育": ("教育",),
    "教体": ("教育体育", "教育和体育"),
    "公安": ("公安",),
    "民政": ("民政",),
    "司法": ("司法",),
    "审计": ("审计",),
    "统计": ("统计",),
    "财政": ("财政",),
    "税务": ("税务",),
    "信访": ("信访",),
    "林业": ("林业",),
    "退役军人": ("退役军人事务",),
    "乡村振兴": ("乡村振兴",),
    "行政审批": ("行政审批服务", "行政审批"),
    "机关事务": ("机关事务管理", "机关事务服务"),
}
# Words that begin many unit names without naming a function: never a stem alone.
NOT_STEMS = {"政府", "人民", "办公", "工作", "管理", "服务", "综合", "行政", "发展", "建设",
             "安全", "中心", "委员", "领导", "党委", "党组", "机关", "事务", "项目", "资金",
             "经济", "社会", "城市", "公共", "技术", "信息", "监督", "执法", "大队", "支队",
             "有限", "集团", "公司", "国家", "地方", "中共", "各级", "全市", "全区", "全县"}
# What a directory name carries around its function: a place name, the party or
# government it belongs to, and the unit word at the end.
_NAME_HEAD = re.compile(r"^(?:中共|国家税务总局)?(?:[\u4e00-\u9fff]{2,3}?(?<!城)(?:省|市|区|县)(?!场|属|直|域))?"
                        r"(?:省|市|区|县)?(?:委|人民政府|政府)?")
_NAME_TAIL = re.compile(r"(?:集团有限公司|集团有限责任公司|有限责任公司|有限公司|集团|公司|委员会办公室|"
                        r"委员会|办公室|管委会|中心|局|委|办|厅|院)$")


def _name_core(name):
    """'市人民政府国有资产监督管理委员会' -> '国有资产监督管理'; '市财政局' -> '财政'."""
    core = _NAME_HEAD.sub("", name, count=1) or name
    return _NAME_TAIL.sub("", core) or core


def stem_of(phrase):
    """The function stem of a bare phrase: region prefix and unit word stripped
    ('市城投' -> '城投', '卫健委' -> '卫健', '金融办' stays, being a table entry)."""
    prefix = has_region_prefix(phrase)
    core = phrase[len(prefix):] if prefix in REGION_PREFIXES else phrase
    if core in STEM_EXPANSIONS:
        return core
    stripped = re.sub(r"(?:委员会|办公室|局|委|办|厅)$", "", core)
    return stripped if len(stripped) >= 2 else core

# How an organisation names itself before one of its own departments: '公司法务风控部'
# is the directory's 法务风控部.  Tried only when the phrase as written matches nothing.
SELF_PREFIX = re.compile(r"^(?:本|我)?(?:公司|集团|院|局|校|厅|行|委|中心)")


@dataclass
class Match:
    code: str = None
    status: str = "none"        # exact | alias | abbrev | ambiguous | none
    candidates: list = field(default_factory=list)


@functools.lru_cache(maxsize=8192)
def _core(name):
    """'区财政局' -> ('区', '财政局'): a name's region prefix and the rest (cached: pure)."""
    prefix = has_region_prefix(name)
    if prefix in REGION_PREFIXES:
        return prefix, name[len(prefix):]
    return None, name


def _is_subsequence(short, long):
    it = iter(long)
    return all(ch in it for ch in short)


class Directory:
    """The organisation's units as the parser sees them: names, aliases, codes, abbreviations."""

    def __init__(self, entries):
        self.entries = []
        self.surfaces = {}       # surface text -> set of codes
        for entry in entries or []:
            if not isinstance(entry, dict) or not entry.get("code") or not entry.get("name"):
                continue
            code, name = str(entry["code"]), str(entry["name"])
            aliases = [str(a) for a in (entry.get("aliases") or []) if a]
            self.entries.append({"code": code, "name": name, "aliases": aliases})
            for surface in [name, code] + aliases:
                self.surfaces.setdefault(surface, set()).add(code)
        self.names = {e["code"]: e["name"] for e in self.entries}
        by_first = {}
        for surface in self.surfaces:
            if surface and any("\u3400" <= ch <= "\u9fff" for ch in surface):
                by_first.setdefault(surface[0], []).append(surface)
        self._by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        self._cache = {}
        self._stem_cache = {}
        # (code, surface, core) for the stem rule
        self._cores = [(code, surface, _name_core(surface))
                       for surface, codes in self.surfaces.items() for code in codes
                       if any("\u4e00" <= ch <= "\u9fff" for ch in surface)]

    def surfaces_at(self, text, i):
        return [s for s in self._by_first.get(text[i], ()) if text.startswith(s, i)]

    def _alias_hit(self, phrase):
        """Whether the phrase is a name or alias up to its region prefix ('区住建局' = '住建局')."""
        stripped = re.sub(r"(?:部门|单位|方面)$", "", phrase)
        p_prefix, p_core = _core(stripped)
        for surface in self.surfaces:
            s_prefix, s_core = _core(surface)
            if (s_core == p_core or surface == stripped) and not (p_prefix and s_prefix and p_prefix != s_prefix):
                return True
        return False

    def match(self, phrase):
        """Match a unit phrase as written; unique -> code, several -> ambiguous, none -> none."""
        if phrase in self._cache:
            return self._cache[phrase]
        result = self._match(phrase)
        self._cache[phrase] = result
        return result

    def match_stem(self, phrase):
        """A bare function stem ('财政', '人社', '国资委', '市城投') -> Match.

        Table expansions (STEM_EXPANSIONS) are looked for anywhere in a directory name;
        a stem outside the table must start a name's core.  Several candidates are
        narrowed to those whose core is exactly the expansion; still several ->
        ambiguous.  A region prefix written with the stem must agree with the name's.
        """
        if phrase in self._stem_cache:
            return self._stem_cache[phrase]
        result = self._match_stem(phrase)
        self._stem_cache[phrase] = result
        return result

    def _match_stem(self, phrase):
        phrase = phrase.strip()
        prefix = has_region_prefix(phrase)
        prefix = prefix if prefix in REGION_PREFIXES else None
        stem = stem_of(phrase)
        if len(stem) < 2 or stem in NOT_STEMS or not all("\u4e00" <= ch <= "\u9fff" for ch in stem):
            return Match()
        expansions = STEM_EXPANSIONS.get(stem)
        found = {}
        for code, surface, core in self._cores:
            s_prefix = has_region_prefix(surface)
            if prefix and s_prefix in REGION_PREFIXES and s_prefix != prefix:
                continue
            if expansions:
                hit = next((e for e in expansions if e in core), None)
                exact = any(core == e for e in expansions) or core == stem
            else:
                hit = stem if core.startswith(stem) else None
                exact = core == stem
            if hit:
                found[code] = found.get(code, False) or exact
        if not found:
            return Match()
        if len(found) > 1:
            exact = [code for code, is_exact in found.items() if is_exact]
            if len(exact) == 1:
                return Match(code=exact[0], status="abbrev", candidates=sorted(found))
            return Match(status="ambiguous", candidates=sorted(exact or found))
        return Match(code=next(iter(found)), status="abbrev", candidates=sorted(found))

    def _match(self, phrase):
        phrase = phrase.strip()
        if not phrase:
            return Match()
        stem_match = None
        if len(phrase) <= 7 and phrase not in self.surfaces:
            # a bare stem ('财政', '国资委') is read through the stem table before the looser
            # containment / subsequence tiers, which know neither 国资 = 国有资产 nor that
            # '财政' means 市财政局 rather than 市财政投资评审中心
            stem_match = self.match_stem(phrase)
            if stem_match.code and not self._alias_hit(phrase):
                return stem_match
        tiers = _Phrase(phrase).tiers()
        if stem_match is not None and stem_match.status == "ambiguous":
            tiers = tiers[:2]   # the stem rule saw several units: do not guess by subsequence
        found = self._first_tier(tiers)
        if found is not None:
            return found
        if stem_match is not None and stem_match.status == "ambiguous":
            return stem_match
        return self._match_own_department(phrase)

    def _first_tier(self, tiers):
        """The Match of the first tier that any surface passes, or None."""
        for status, test in tiers:
            codes = set()
            for surface, surface_codes in self.surfaces.items():
                if test(surface):
                    codes |= surface_codes
            if len(codes) == 1:
                return Match(code=next(iter(codes)), status=status, candidates=sorted(codes))
            if len(codes) > 1:
                return Match(status="ambiguous", candidates=sorted(codes))
        return None

    def _match_own_department(self, phrase):
        """'公司法务风控部', '本院医务部': the organisation naming its own department."""
        self_ref = SELF_PREFIX.match(phrase)
        if self_ref and len(phrase) - self_ref.end() >= 2:
            inner = self.match(phrase[self_ref.end():])
            if inner.status in ("exact", "alias"):
                return inner
        return Match()


class _Phrase:
    """A phrase to match and the tests, loosest last, that a directory surface may pass."""

    def __init__(self, phrase):
        self.phrase = phrase
        self.stripped = re.sub(r"(?:部门|单位|方面)$", "", phrase)
        self.prefix, self.core = _core(self.stripped)

    def tiers(self):
        return [("exact", lambda s: s == self.phrase), ("alias", self.same_core), ("abbrev", self.contains),
                ("abbrev", self.abbreviates), ("abbrev", self.abbreviates_loosely)]

    def _other_region(self, s_prefix):
        return bool(self.prefix and s_prefix and self.prefix != s_prefix)

    def same_core(self, surface):
        s_prefix, s_core = _core(surface)
        return not self._other_region(s_prefix) and (s_core == self.core or surface == self.stripped)

    def contains(self, surface):
        s_prefix, s_core = _core(surface)
        if self._other_region(s_prefix):
            return False
        return len(self.core) >= 2 and (self.core in s_core or (self.prefix is None and self.stripped in surface))

    def abbreviates(self, surface):
        s_prefix, s_core = _core(surface)
        p_core = self.core
        if self._other_region(s_prefix) or len(p_core) < 2 or not s_core or p_core[0] != s_core[0]:
            return False
        if p_core[-1] in UNIT_SUFFIX_CHARS and s_core[-1] != p_core[-1] \
                and not (p_core[-1] == "委" and s_core.endswith("委员会")):
            return False
        return _is_subsequence(p_core, s_core)

    def abbreviates_loosely(self, surface):
        s_prefix, s_core = _core(surface)
        p_core = self.core
        if self._other_region(s_prefix):
            return False
        short = p_core[:-1] if p_core[-1:] and p_core[-1] in UNIT_SUFFIX_CHARS else p_core
        if len(short) < 2 or not s_core or short[0] != s_core[0]:
            return False
        return _is_subsequence(short, s_core)
