"""Synthetic ledger rows for bench/ledger_bench.py, written straight into tracking's tables.

A realistic spread rather than uniform noise: two groups (one large, one small) with
subsidiaries and about 2,000 departments; statuses as a year of work leaves them;
deadlines over two years around today, most past ones closed and a share overdue;
Chinese titles and contents from a varied vocabulary; a third of the items with one or
two co-departments. PostgreSQL is filled with COPY, SQLite with executemany.
"""
import csv
import datetime as dt
import io
import json
import random
import uuid

from sqlalchemy import create_engine, text

QUALIFIERS = ["", "", "", "2026年", "2027年", "第一季度", "第二季度", "第三季度", "第四季度", "上半年",
              "下半年", "年度", "集团", "各子公司", "本部", "专项", "重点", "全面"]
VERBS = ["推进", "完成", "修订", "制定", "落实", "开展", "组织", "编制", "建立", "完善", "优化", "实施",
         "加强", "督促", "整改", "评估", "上线", "部署", "筹备", "审核", "梳理", "排查", "启动", "深化",
         "统筹", "规范", "提升", "健全", "试点", "验收", "总结", "宣贯"]
TOPICS = ["年度预算", "绩效考核办法", "安全生产检查", "信息化系统", "招聘计划", "内部审计", "合同管理",
          "采购流程", "培训方案", "客户满意度调查", "风险排查", "数据治理", "节能减排", "党建工作",
          "档案数字化", "应急预案", "成本控制", "资产盘点", "质量管理体系", "供应商评价", "薪酬改革",
          "市场拓展", "项目验收", "科技创新", "制度汇编", "督办系统短信提醒", "财务共享中心",
          "人才梯队建设", "安全环保", "设备维修保养", "物资储备", "营销网络", "品牌宣传", "法律合规",
          "保密管理", "办公用房清理", "公务用车管理", "工程进度", "投资决策", "债务风险", "税务筹划",
          "研发投入", "知识产权", "生产计划", "库存周转", "应收账款清收", "安全培训", "消防设施",
          "网络安全等级保护", "数据中心迁移", "移动办公平台", "电子签章", "职工代表大会", "工会福利",
          "离退休人员服务", "乡村振兴帮扶", "巡视整改", "审计发现问题", "经营业绩考核", "对标管理"]
SUFFIXES = ["", "", "工作", "方案", "专项行动", "任务", "实施细则", "工作计划", "三年行动", "整改清单"]
CITIES = ["北京", "上海", "广州", "深圳", "成都", "重庆", "武汉", "西安", "南京", "杭州", "天津", "苏州",
          "长沙", "郑州", "青岛", "沈阳", "宁波", "昆明", "大连", "厦门", "合肥", "佛山", "福州", "哈尔滨",
          "济南", "温州", "长春", "石家庄", "常州", "泉州", "南宁", "贵阳", "南昌", "南通", "金华",
          "徐州", "太原", "嘉兴", "烟台", "惠州", "保定", "台州", "中山", "绍兴", "乌鲁木齐", "潍坊",
          "兰州", "珠海", "镇江", "海口", "扬州", "临沂", "洛阳", "唐山", "呼和浩特", "盐城", "汕头",
          "廊坊", "泰州", "济宁", "湖州", "江门", "银川", "淄博", "邯郸", "芜湖", "漳州", "绵阳", "桂林",
          "三亚", "遵义", "咸阳", "上饶", "莆田", "宜昌", "赣州", "淮安", "揭阳", "沧州", "商丘", "连云港"]
MEETINGS = ["党委会", "总经理办公会", "董事会", "专题会", "月度经营分析会", "安全生产委员会会议",
            "年度工作会议", "季度督办会", "领导批示", "巡察反馈会"]
DEMANDS = ["按期报送进展", "形成书面材料", "明确责任人和时间节点", "建立工作台账", "每月反馈一次",
           "确保按时完成", "及时报告重大风险", "做好协调配合", "结果纳入年度考核", "逐项销号管理"]
DEPARTMENTS = ["财务部", "人力资源部", "办公室", "审计部", "安全环保部", "信息中心", "法律合规部",
               "市场营销部", "采购中心", "生产技术部", "工程管理部", "投资发展部", "党群工作部",
               "纪检监察部", "质量管理部", "研发中心", "物资部", "资产管理部", "运营管理部", "客户服务中心",
               "战略规划部", "企业管理部", "后勤保障部", "保卫部", "工会", "团委", "档案室", "培训中心",
               "设备管理部", "销售公司", "国际业务部", "风险管理部", "数据管理部", "品牌部", "证券部",
               "物流中心", "基建办", "科技部", "行政部", "综合部", "计划部", "统计部", "督查室",
               "调度中心", "检测中心", "技术中心", "维修车间", "一车间", "二车间", "三车间"]
STATUS_PAST = [("evaluated", 40), ("completed", 34), ("cancelled", 4), ("suspended", 2),
               ("in_progress", 12), ("issued", 3), ("completion_requested", 4), ("registered", 1)]
STATUS_FUTURE = [("in_progress", 45), ("issued", 20), ("registered", 10), ("completion_requested", 6),
                 ("completed", 12), ("evaluated", 2), ("suspended", 2), ("cancelled", 3)]
CATEGORIES = [("routine", 70), ("urgent", 10), ("key", 15), ("difficult", 5)]
SOURCES = ["minutes", "leader_assignment", "annual_goal"]
CADENCES = ["none", "weekly", "biweekly", "monthly"]
ITEM_COLUMNS = ("id", "number", "org_id", "title", "content", "source_kind", "source_ref",
                "lead_unit_id", "assigning_leader", "deadline", "original_deadline", "due_by",
                "category", "feedback_cadence", "milestones", "status", "progress",
                "completed_on", "issued_on", "created_at", "updated_at", "version")


def weighted(rng, table):
    total = sum(w for _, w in table)
    roll = rng.uniform(0, total)
    for value, w in table:
        roll -= w
        if roll <= 0:
            return value
    return table[-1][0]


def org_tree(departments):
    """[(code, name, kind, parent code)]: group JT with 18 subsidiaries, group ZY with 2;
    `departments` departments spread over them (nine tenths in JT)."""
    units = [("JT", "集团公司", "group", None), ("ZY", "资源集团", "group", None)]
    subs = []
    for n in range(1, 21):
        group = "JT" if n <= 18 else "ZY"
        code = "{}-S{:02d}".format(group, n)
        units.append((code, "{}分公司".format(CITIES[n]), "subsidiary", group))
        subs.append(code)
    for n in range(departments):
        if n < 60:  # the groups' own departments
            parent = "JT" if n < 50 else "ZY"
        else:
            parent = subs[n % 18] if n % 10 else subs[18 + n % 2]
        name = DEPARTMENTS[n % len(DEPARTMENTS)]
        units.append(("{}-D{:04d}".format(parent, n), "{}{}".format(
            "" if n < 60 else CITIES[(n // 50) % len(CITIES)], name), "department", parent))
    return units


def title_of(rng):
    return "{}{}{}{}".format(rng.choice(QUALIFIERS), rng.choice(VERBS), rng.choice(TOPICS),
                             rng.choice(SUFFIXES))


def content_of(rng, lead_name):
    parts = ["根据{}要求，{}牵头{}{}{}".format(rng.choice(MEETINGS), lead_name, rng.choice(VERBS),
                                          rng.choice(CITIES), rng.choice(TOPICS))]
    for _ in range(rng.randrange(1, 4)):
        parts.append("{}{}，{}".format(rng.choice(VERBS), rng.choice(TOPICS), rng.choice(DEMANDS)))
    return "；".join(parts) + "。"


def fill(url, items, departments=2000, seed=7, today=None, chunk=20000):
    """Writes the org tree and `items` items; returns the directory's ids by code."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    engine = create_engine(url)
    units = org_tree(departments)
    ids = {}
    with engine.begin() as conn:
        for code, name, kind, parent in units:
            conn.execute(text(
                "INSERT INTO org_units (code, name, kind, parent_id, aliases, created_at) "
                "VALUES (:c, :n, :k, :p, '[]', :t)"),
                {"c": code, "n": name, "k": kind, "p": ids.get(parent), "t": dt.datetime.now(
                    dt.timezone.utc)})
            ids[code] = conn.execute(text("SELECT id FROM org_units WHERE code = :c"),
                                     {"c": code}).scalar()
    depts = [(code, ids[code], name, code.split("-")[0]) for code, name, kind, _ in units
             if kind == "department"]
    by_group = {}
    for d in depts:
        by_group.setdefault(d[3], []).append(d)
    counters = {}
    postgres = engine.dialect.name == "postgresql"
    done = 0
    while done < items:
        n = min(chunk, items - done)
        rows, co_rows = [], []
        for _ in range(n):
            row, co = item_row(rng, depts, by_group, counters, today)
            rows.append(row)
            co_rows.extend(co)
        if postgres:
            copy_rows(engine, "items", ITEM_COLUMNS, rows)
            copy_rows(engine, "item_co_departments", ("item_id", "org_unit_id", "position"),
                      co_rows)
        else:
            with engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO items ({}) VALUES ({})".format(
                    ", ".join(ITEM_COLUMNS), ", ".join("?" * len(ITEM_COLUMNS))), rows)
                conn.exec_driver_sql("INSERT INTO item_co_departments (item_id, org_unit_id, "
                                     "position) VALUES (?, ?, ?)", co_rows)
        done += n
    with engine.begin() as conn:
        for (group, year), last in counters.items():
            conn.execute(text("INSERT INTO number_sequences (org_id, year, last) "
                              "VALUES (:o, :y, :l)"), {"o": group, "y": year, "l": last})
    engine.dispose()
    analyze(url)
    return ids


def analyze(url):
    """Statistics (and on PostgreSQL the visibility map) as a ledger in use has them."""
    engine = create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                             else "ANALYZE")
    engine.dispose()


def item_row(rng, depts, by_group, counters, today):
    # nine in ten items belong to the large group's departments (as the tree does)
    code, unit_id, lead_name, group = depts[rng.randrange(len(depts))]
    deadline = today + dt.timedelta(days=rng.randrange(-365, 366))
    created = dt.datetime.combine(deadline - dt.timedelta(days=rng.randrange(20, 200)),
                                  dt.time(1, rng.randrange(60)), dt.timezone.utc)
    year = created.year
    counters[(group, year)] = counters.get((group, year), 0) + 1
    status = weighted(rng, STATUS_PAST if deadline < today else STATUS_FUTURE)
    due_by = deadline + dt.timedelta(days={5: 2, 6: 1}.get(deadline.weekday(), 0))
    closed = status in ("completed", "evaluated")
    item_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    row = (item_id, "DB-{}-{:06d}".format(year, counters[(group, year)]), group, title_of(rng),
           content_of(rng, lead_name), rng.choice(SOURCES), "〔{}〕{}号".format(year, rng.randrange(1, 90)),
           unit_id, rng.choice(["张总", "李总", "王总", "赵书记", "刘董事长"]), deadline, deadline,
           due_by, weighted(rng, CATEGORIES), rng.choice(CADENCES), "[]", status,
           100 if closed else rng.randrange(0, 95),
           (deadline - dt.timedelta(days=rng.randrange(0, 20))) if closed else None,
           None if status == "registered" else created.date() + dt.timedelta(days=2),
           created, created, 1)
    co = []
    if rng.random() < 0.33:
        peers = by_group[group]
        picked = {unit_id}
        for position in range(rng.choice((1, 1, 2))):
            other = peers[rng.randrange(len(peers))][1]
            if other not in picked:
                picked.add(other)
                co.append((item_id, other, position))
    return row, co


def copy_rows(engine, table, columns, rows):
    if not rows:
        return
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow(["\\N" if v is None else (v.isoformat() if hasattr(v, "isoformat")
                                                  else v) for v in row])
    buf.seek(0)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            cur.copy_expert("COPY {} ({}) FROM STDIN WITH (FORMAT csv, NULL '\\N')".format(
                table, ", ".join(columns)), buf)
        raw.commit()
    finally:
        raw.close()


def sample(url, seed=11):
    """Values the queries use: departments with many items, an item id, a contact unit."""
    engine = create_engine(url)
    with engine.connect() as conn:
        busy = [r[0] for r in conn.execute(text(
            "SELECT u.code FROM org_units u JOIN items i ON i.lead_unit_id = u.id "
            "WHERE u.kind = 'department' GROUP BY u.code ORDER BY count(*) DESC LIMIT 50"))]
        ids = [r[0] for r in conn.execute(text("SELECT id FROM items ORDER BY id LIMIT 2000"))]
    engine.dispose()
    rng = random.Random(seed)
    rng.shuffle(ids)
    return {"departments": busy, "item_ids": ids}


if __name__ == "__main__":  # a quick look at the rows
    r = random.Random(1)
    print(json.dumps([title_of(r) for _ in range(5)], ensure_ascii=False))
    print(content_of(r, "财务部"))
