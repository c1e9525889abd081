"""Topics of an instrument from keywords in its title (a gazetteer of kgv:topics notations)."""

from __future__ import annotations

import re

TOPIC_KEYWORDS: list[tuple[str, str]] = [
    ("personal-information", r"个人信息|隐私|敏感个人|个保"),
    ("data-security", r"数据安全|重要数据|数据保护|数据分类分级"),
    ("cybersecurity", r"网络安全|网络弹性|网络和数据安全|信息安全|安全漏洞"),
    ("cross-border-data", r"出境|跨境|数据出境"),
    ("artificial-intelligence", r"人工智能|AI|大模型|生成式|智能体|算法|具身智能|深度合成"),
    ("minors", r"未成年人|儿童"),
    ("platform-economy", r"平台"),
    ("e-commerce", r"电子商务|电商|网络交易|直播电商"),
    ("data-elements", r"数据要素|数据流通|数据交易|数据产业|数据资产|数据资源|数据企业"),
    ("public-data", r"公共数据|政务数据"),
    ("open-source", r"开源"),
    ("online-content", r"网络名人|账号|网络信息|信息内容|网络直播|网络生态|谣言|信息传播"),
    ("critical-infrastructure", r"关键信息基础设施"),
    ("certification", r"认证"),
    ("digital-government", r"电子政务|政务"),
    ("connected-vehicles", r"智能网联汽车|车联网|自动驾驶"),
    ("telecom", r"电信|信息通信"),
    ("digital-identity", r"身份认证|网络身份"),
    ("industrial-digitalisation", r"数字化转型|制造业数字化|数字化全面赋能|数实融合|实数融合"),
    ("copyright", r"著作权|版权"),
    ("national-security", r"国防|国家安全|军事"),
]
_COMPILED = [(topic, re.compile(pattern)) for topic, pattern in TOPIC_KEYWORDS]


def topics_of(text: str) -> list[str]:
    """The topics whose keywords occur in ``text`` (a title), in gazetteer order."""
    return [topic for topic, rx in _COMPILED if rx.search(text)]
