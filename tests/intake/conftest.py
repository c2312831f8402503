"""Shared fixtures for the pure intake tests: a small district directory and a company's departments."""

import pytest

DISTRICT = [
    {"code": "ZF", "name": "区人民政府", "aliases": ["区政府"]},
    {"code": "FGJ", "name": "区发展和改革局", "aliases": ["区发改委"]},
    {"code": "CZJ", "name": "区财政局", "aliases": []},
    {"code": "ZJJ", "name": "区住房和城乡建设局", "aliases": ["区住建局"]},
    {"code": "CGJ", "name": "区城市管理局", "aliases": []},
    {"code": "HBJ", "name": "区生态环境局", "aliases": ["区环保局"]},
    {"code": "GHJ", "name": "区规划局", "aliases": []},
    {"code": "JYJ", "name": "区教育局", "aliases": []},
    {"code": "WJW", "name": "区卫生健康委员会", "aliases": ["区卫健委"]},
    {"code": "SCJ", "name": "区市场监督管理局", "aliases": ["区工商局"]},
    {"code": "WLJ", "name": "区文化和旅游局", "aliases": []},
    {"code": "JTJ", "name": "区交通运输局", "aliases": []},
    {"code": "XCB", "name": "区委宣传部", "aliases": []},
    {"code": "ZZB", "name": "区委组织部", "aliases": []},
]


@pytest.fixture
def district():
    return [dict(entry) for entry in DISTRICT]

COMPANY = [
    {"code": "ZH", "name": "综合办公室", "aliases": ["综合办"]},
    {"code": "CW", "name": "财务部", "aliases": []},
    {"code": "GC", "name": "工程管理部", "aliases": ["工程部"]},
    {"code": "AH", "name": "安全环保部", "aliases": []},
    {"code": "YX", "name": "营销中心", "aliases": []},
]


@pytest.fixture
def company():
    return [dict(entry) for entry in COMPANY]
