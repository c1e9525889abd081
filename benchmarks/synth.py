"""A seeded generator of synthetic regulatory newsletters (and of their fact files).

    python -m benchmarks.synth --issues 50 --seed 7 --out /tmp/corpus        # .txt newsletters
    python -m benchmarks.synth --issues 500 --facts --out /tmp/data          # + documents/*.yaml

The corpus imitates the *layouts* of the real newsletters (masthead with title, issue and
date; a table of contents; 一、 / （一） / 1. section headings; items closed by 来源 URLs or
（来源：…） credits; enforcement items with targets, legal bases and fines; court cases;
month-headed 大事记 timelines) but none of their text: every sentence comes from the templates
below, and every company, app, person, instrument and standard is invented (standards use
the unassigned range GB/T 60000-69999, URLs the reserved ``example`` domains). The names of
real authorities, courts and laws are facts and are taken from ``data/authorities.yaml`` and
``data/instruments.yaml``.

Distributions: authorities, instruments, laws, companies and apps are drawn Zipf-like
(weight 1/rank^s), so a few recur in most issues and a long tail appears once; instrument
and party pools grow with the number of issues, so entities repeat across issues.

The same ``seed`` and number of issues give byte-identical files (no set or hash order, no
clock, no environment is consulted).

Besides the text, every generated item carries the facts it states; :func:`fact_file`
renders them as a ``kg-facts/1`` file (the format of ``data/README.md``), which the
benchmarks use to reach graph sizes that ingesting newsletters one by one would take too
long to produce. Fact files written this way are *generated*, not *ingested*.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- vocabularies of our own

SYLLABLES = ("澄", "岚", "青", "远", "星", "墨", "栖", "霁", "朔", "檀", "闻", "暮", "南", "逐", "沐", "凌", "禾", "川",
             "桥", "帆", "垣", "舟", "云", "月", "风", "溪", "笛", "岭", "枝", "光", "湾", "屿", "砚", "棠", "蔚", "知",
             "启", "衡", "钧", "弈")
INDUSTRIES = ("网络科技", "信息技术", "数据服务", "智能科技", "电子商务", "文化传媒", "金融信息服务", "出行服务",
              "健康科技", "教育科技", "物流科技", "软件开发")
APP_WORDS = ("生活", "出行", "优选", "阅读", "相机", "清理大师", "记账", "短剧", "健身", "学堂", "停车", "租房",
             "翻译官", "天气", "壁纸", "打车", "外卖", "漫画")
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭")
DOMAINS = ("隐私计算节点", "数据托管", "公共数据授权运营", "算法影响自评", "数据资产登记", "可信数据空间",
           "车载数据出境", "人脸信息采集", "未成年人模式", "深度合成标识", "网络安全事件报告", "数据分类分级",
           "医疗健康数据流通", "金融数据共享", "工业数据安全", "直播营销合规", "数据交易场所", "智能体服务",
           "生物特征信息", "跨境电商数据", "数据经纪", "移动应用权限", "数据安全风险监测", "政务数据共享",
           "大模型训练语料", "个人信息删除请求", "网络身份核验", "数据标注", "数字水印", "开源组件治理")
OBJECTS = ("", "服务", "平台", "活动", "工作", "能力", "机构", "产品")
KIND_WORDS = {
    "departmental-rule": ("管理办法", "管理规定", "实施办法"),
    "normative-document": ("管理细则", "工作规程", "若干措施", "实施意见"),
    "guidance": ("操作指引", "合规指南", "工作指引"),
    "policy-plan": ("行动方案", "三年行动计划", "工作要点"),
    "announcement": ("有关事项的公告",),
    "local-regulation": ("条例",),
}
STD_FAMILIES = ("数据安全技术", "网络安全技术", "信息安全技术")
STD_SUFFIXES = ("安全要求", "安全指南", "测评方法", "实施指南", "技术规范")
TOPIC_WORDS = {  # topic notation -> phrases of our own
    "personal-information": ("个人信息处理规则的告知", "单独同意的取得方式"),
    "data-security": ("重要数据识别", "数据安全风险评估"),
    "cross-border-data": ("数据出境场景清单", "出境数据的安全评估"),
    "artificial-intelligence": ("模型训练数据来源", "生成内容的显著标识"),
    "platform-economy": ("平台规则公示", "平台内经营者权益保障"),
    "minors": ("未成年人身份核验", "未成年人使用时长管理"),
    "public-data": ("公共数据目录编制", "授权运营收益分配"),
    "cybersecurity": ("网络安全等级保护", "漏洞报告与处置"),
    "data-elements": ("数据产权登记", "数据产品定价"),
}
VIOLATIONS = {  # notation -> how our templates describe it
    "excessive-collection": "超范围收集用户个人信息",
    "consent": "未经用户同意处理其个人信息",
    "privacy-notice": "未公开个人信息处理规则",
    "user-rights": "未提供有效的账号注销功能",
    "data-security-obligation": "未履行数据安全保护义务",
    "security-obligation": "未落实网络安全保护义务",
    "unauthorised-transfer": "擅自向境外提供用户数据",
    "children-privacy": "违规收集儿童个人信息",
    "dark-patterns": "以误导性界面设计诱导用户",
    "illegal-content": "传播违法违规信息",
}
PROVINCES = (("浙江省", "CN-ZJ"), ("江苏省", "CN-JS"), ("广东省", "CN-GD"), ("湖南省", "CN-HN"), ("湖北省", "CN-HB"),
             ("四川省", "CN-SC"), ("河南省", "CN-HA"), ("陕西省", "CN-SN"), ("安徽省", "CN-AH"), ("天津市", "CN-TJ"),
             ("北京市", "CN-BJ"), ("上海市", "CN-SH"), ("福建省", "CN-FJ"), ("海南省", "CN-HI"), ("山东省", "CN-SD"))
CN_NUM = "零一二三四五六七八九十"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

# foreign enforcement: jurisdiction -> (authority key, law reference, law title, currency, unit text, unit value)
FOREIGN = (
    ("EU", "EU/欧盟委员会", "EU/数字服务法", "数字服务法", "EUR", "万欧元", 10_000),
    ("IE", "IE/爱尔兰数据保护委员会", "EU/通用数据保护条例", "通用数据保护条例", "EUR", "万欧元", 10_000),
    ("FR", "FR/法国国家信息与自由委员会", "EU/通用数据保护条例", "通用数据保护条例", "EUR", "万欧元", 10_000),
    ("KR", "KR/个人信息保护委员会", "KR/个人信息保护法", "个人信息保护法", "KRW", "亿韩元", 100_000_000),
    ("US", "US/美国联邦贸易委员会", "US/儿童在线隐私保护法", "儿童在线隐私保护法", "USD", "万美元", 10_000),
    ("GB", "GB/英国信息专员办公室", "GB/数据保护法", "数据保护法", "GBP", "万英镑", 10_000),
    ("AU", "AU/澳大利亚电子安全委员会", "AU/在线安全法", "在线安全法", "AUD", "万澳元", 10_000),
    ("JP", "JP/个人信息保护委员会", "JP/关于保护个人信息的法律", "关于保护个人信息的法律", "JPY", "万日元", 10_000),
    ("CA", "CA/加拿大隐私专员办公室", "CA/个人信息保护和电子文件法案", "个人信息保护和电子文件法案", "CAD", "万加元",
     10_000),
)
FOREIGN_NAMES = {"EU": "欧盟", "IE": "爱尔兰", "FR": "法国", "KR": "韩国", "US": "美国", "GB": "英国", "AU": "澳大利亚",
                 "JP": "日本", "CA": "加拿大"}
# laws cited as legal basis in China, by reference, title as written, and weight rank
CN_LAWS = (("CN/个人信息保护法", "个人信息保护法", 74), ("CN/网络安全法", "网络安全法", 79),
           ("CN/数据安全法", "数据安全法", 55), ("CN/电子商务法", "电子商务法", 89),
           ("CN/消费者权益保护法", "消费者权益保护法", 56), ("CN/网络数据安全管理条例", "网络数据安全管理条例", 60),
           ("CN/未成年人网络保护条例", "未成年人网络保护条例", 58))


# ---------------------------------------------------------------- helpers


class Zipf:
    """Draw from ``items`` with weight 1/rank^s (rank 1 = the first item)."""

    def __init__(self, items: list, s: float = 1.1):
        self.items = list(items)
        self.cum = list(itertools.accumulate(1.0 / (r ** s) for r in range(1, len(self.items) + 1)))

    def __call__(self, rng: random.Random):
        """One item."""
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]

    def some(self, rng: random.Random, k: int) -> list:
        """``k`` distinct items (fewer if the pool is smaller)."""
        out: list = []
        for _ in range(k * 8):
            x = self(rng)
            if x not in out:
                out.append(x)
            if len(out) == k:
                break
        return out


def cn_number(n: int) -> str:
    """1..999 in Chinese numerals (第六十六条)."""
    if n < 10:
        return CN_NUM[n]
    if n < 20:
        return "十" + (CN_NUM[n % 10] if n % 10 else "")
    if n < 100:
        return CN_NUM[n // 10] + "十" + (CN_NUM[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + cn_number(rest) if rest < 10 else
                                 (("一" + cn_number(rest)) if rest < 20 else cn_number(rest)))
    return CN_NUM[n // 100] + "百" + tail


def cn_date(y: int, m: int, d: int | None = None, spaced: bool = False) -> str:
    """2026年3月5日 (with the PDF's stray spaces when ``spaced``)."""
    sp = " " if spaced else ""
    return f"{y}年{sp}{m}月" + (f"{sp}{d}日" if d else "")


def iso(y: int, m: int, d: int | None = None) -> str:
    """2026-03-05 or 2026-03."""
    return f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d else "")


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    """(year, month) ``k`` months later."""
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def wrap(text: str, width: int) -> list[str]:
    """Cut a paragraph into lines of ``width`` characters, as PDF extraction does."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


# ---------------------------------------------------------------- the world


@dataclass
class Authority:
    """A body that issues or enforces: a registry entry or a provincial office."""

    key: str
    name: str
    short: str
    jurisdiction: str
    kind: str
    parent: str | None = None
    registry: bool = True


@dataclass
class Instrument:
    """A fictional instrument of the pool."""

    title: str
    kind: str
    jurisdiction: str
    issuers: list[Authority]
    topic: str

    @property
    def ref(self) -> str:
        """Its reference in a fact file: JURISDICTION/title."""
        return f"{self.jurisdiction}/{self.title}"


@dataclass
class Standard:
    """A fictional standard with an older edition it replaces."""

    number: str
    year: int
    old_year: int
    title: str


@dataclass
class SItem:
    """One generated news item: its text and the facts it states."""

    kind: str
    heading: str
    paragraphs: list[str]
    url: str | None = None
    source_name: str | None = None
    instruments: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    authorities: list[Authority] = field(default_factory=list)  # non-registry bodies named
    footnotes: list[str] = field(default_factory=list)


def _registry(data_dir: Path) -> tuple[list[dict], list[dict]]:
    auth = yaml.safe_load((data_dir / "authorities.yaml").read_text(encoding="utf-8"))["authorities"]
    inst = yaml.safe_load((data_dir / "instruments.yaml").read_text(encoding="utf-8"))["instruments"]
    return auth, inst


class World:
    """Every entity a corpus of ``issues`` newsletters draws from (seeded)."""

    def __init__(self, seed: int, issues: int, data_dir: Path | None = None):
        self.rng = random.Random(f"world/{seed}")
        rng = self.rng
        auth, _inst = _registry(data_dir or REPO / "data")
        by_key: dict[str, Authority] = {}
        for a in auth:
            key = a.get("key") or f"{a['jurisdiction']}/{a['name']}"
            short = (a.get("aliases") or [a["name"]])[0]
            if not all("\u4e00" <= ch <= "\u9fff" or ch in "（）" for ch in short):
                short = a["name"]
            by_key[key] = Authority(key, a["name"], short, a["jurisdiction"], a["kind"], a.get("parent"))
        self.by_key = by_key
        national = [a for a in by_key.values() if a.jurisdiction == "CN" and a.kind in
                    ("regulator", "ministry", "department", "agency", "government", "standards-body", "police")]
        # the most active first (a fixed, plausible order), then the rest as in the registry
        first = ["CN/国家互联网信息办公室", "CN/国家市场监督管理总局", "CN/工业和信息化部", "CN/国家数据局",
                 "CN/公安部", "CN/国家发展和改革委员会", "CN/国务院办公厅", "CN/中国人民银行",
                 "CN/交通运输部", "CN/教育部"]
        order = [by_key[k] for k in first if k in by_key] + [a for a in national if a.key not in first]
        self.national = Zipf(order, 1.2)
        # provincial bodies: registry ones when they exist, the others minted (names are facts)
        self.provincial: list[Authority] = []
        for prov, code in PROVINCES:
            for suffix, short_suffix, parent, kind in (
                    ("互联网信息办公室", "网信办", "CN/国家互联网信息办公室", "regulator"),
                    ("通信管理局", "通信管理局", "CN/工业和信息化部", "regulator"),
                    ("人民政府办公厅", "政府办公厅", None, "government")):
                key = f"{code}/{prov}{suffix}"
                a = by_key.get(key) or Authority(key, prov + suffix, prov + short_suffix, code, kind, parent, False)
                self.provincial.append(a)
        rng.shuffle(self.provincial)
        self.local = Zipf([a for a in self.provincial if a.kind == "regulator"], 1.0)
        self.courts = Zipf([a for a in by_key.values() if a.kind == "court" and a.jurisdiction.startswith("CN")], 1.0)
        self.foreign = Zipf([f for f in FOREIGN if f[1] in by_key or f[0] in ("GB",)], 1.0)
        self.laws = Zipf(list(CN_LAWS), 1.3)
        # parties
        brands = [a + b for a in SYLLABLES for b in SYLLABLES if a != b]
        rng.shuffle(brands)
        n_companies = max(40, issues * 6)
        self.companies = Zipf([f"{brands[i % len(brands)]}{INDUSTRIES[i % len(INDUSTRIES)]}有限公司"
                               for i in range(n_companies)], 1.05)
        n_apps = max(40, issues * 6)
        self.apps = Zipf([f"{brands[(i * 7 + 3) % len(brands)]}{APP_WORDS[i % len(APP_WORDS)]}" for i in range(n_apps)],
                         1.0)
        # instruments: national and local, a pool that grows with the corpus
        n_inst = max(60, issues * 8)
        pool: list[Instrument] = []
        seen: set[str] = set()
        topics = list(TOPIC_WORDS)
        for i in range(n_inst * 2):
            if len(pool) == n_inst:
                break
            kind = rng.choice(list(KIND_WORDS))
            local = kind == "local-regulation" or rng.random() < 0.3
            dom = DOMAINS[i % len(DOMAINS)] if i < len(DOMAINS) else rng.choice(DOMAINS)
            word = rng.choice(KIND_WORDS[kind])
            obj = rng.choice(OBJECTS)
            if local:
                body = rng.choice(self.provincial)
                prov = body.name[:3]
                title = f"{prov}{dom}{obj}{word}"
                issuers = [body]
                jur = body.jurisdiction
                if kind not in ("local-regulation", "policy-plan", "normative-document"):
                    kind = "normative-document"
            elif kind == "announcement":
                title = f"关于开展{dom}{obj}{word}"
                issuers = self.national.some(rng, 1)
                jur = "CN"
            else:
                title = f"{dom}{obj}{word}"
                issuers = self.national.some(rng, 1 + (rng.random() < 0.35) + (rng.random() < 0.15))
                jur = "CN"
            if rng.random() < 0.25:
                title += "（试行）"
            if title in seen:
                continue
            seen.add(title)
            pool.append(Instrument(title, kind, jur, issuers, rng.choice(topics)))
        self.instruments = Zipf(pool, 1.05)
        self.instrument_list = pool
        n_std = max(20, issues * 2)
        nums = rng.sample(range(60000, 70000), n_std)
        stds = []
        for i, num in enumerate(nums):
            fam = STD_FAMILIES[i % len(STD_FAMILIES)]
            stds.append(Standard(f"GB/T {num}", 0, 0, f"{fam} {DOMAINS[(i * 11) % len(DOMAINS)]}"
                                 f"{STD_SUFFIXES[i % len(STD_SUFFIXES)]}"))
        self.standards = stds
        self.next_standard = 0
        self.reported: dict[str, dict] = {}  # instrument title -> status and dates of its first report


# ---------------------------------------------------------------- items


class IssueWriter:
    """Writes the items of one issue."""

    def __init__(self, world: World, rng: random.Random, year: int, month: int):
        self.w = world
        self.rng = rng
        self.year = year
        self.month = month
        self.used: set[str] = set()  # instruments already reported in this issue

    def day(self) -> tuple[int, int, int]:
        """A day in the month before the issue."""
        y, m = add_months(self.year, self.month, -1)
        return y, m, self.rng.randint(1, 28)

    def url(self) -> str:
        """A source URL on a reserved example domain."""
        r = self.rng
        host = r.choice(("www.example.com", "news.example.org", "gov.example", "weixin.example.net"))
        token = "".join(r.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(16))
        y, m, _ = self.day()
        return f"https://{host}/{y}{m:02d}/{token}.html"

    def names(self, auths: list[Authority]) -> str:
        """Issuers joined with 、."""
        return "、".join(a.name for a in auths)

    # -- policy

    def policy(self, local: bool = False) -> SItem:
        """An instrument issued or put to consultation, with its issuers, dates and cited law."""
        r, w = self.rng, self.w
        for _ in range(40):
            inst = w.instruments(r)
            if (inst.jurisdiction != "CN") == local and inst.title not in self.used:
                break
        self.used.add(inst.title)
        y, m, d = self.day()
        consult = r.random() < 0.25
        issuers = inst.issuers
        crc = zlib.crc32(inst.title.encode("utf-8"))
        extra = crc % 4 + 1 if len(issuers) > 1 and crc % 10 < 3 else 0  # 等N部门: a property of the instrument
        named = self.names(issuers)
        count_txt = f"等{cn_number(len(issuers) + extra)}部门" if extra else ""
        if extra:
            named = self.names(issuers[:-1] or issuers)
        law_ref, law_title, _ = w.laws(r)
        topic_a, topic_b = TOPIC_WORDS.get(inst.topic, TOPIC_WORDS["data-security"])
        rec: dict = {"title": inst.title, "kind": inst.kind, "jurisdiction": inst.jurisdiction,
                     "issuers": [a.key for a in (issuers[:-1] or issuers)] if extra else [a.key for a in issuers],
                     "date_issued": iso(y, m, d), "topics": [inst.topic], "confidence": 0.85}
        if extra:
            rec["issuer_count"] = len(issuers) + extra
        seen = w.reported.get(inst.title)
        if seen and seen["status"] == "issued":
            consult = False  # reported again: the same dates as the first report
        if seen:
            y, m, d = (int(x) for x in seen["date_issued"].split("-"))
            rec["date_issued"] = seen["date_issued"]
        if consult:
            dy, dm = add_months(y, m, 1)
            dd = r.randint(1, 28)
            heading = f"{issuers[0].short}就《{inst.title}（征求意见稿）》公开征求意见"
            body = [f"{cn_date(y, m, d)}，{named}{count_txt}起草了《{inst.title}（征求意见稿）》，"
                    f"现向社会公开征求意见，意见反馈截止时间为{cn_date(dy, dm, dd)}。",
                    f"征求意见稿共{cn_number(r.randint(3, 9))}章{cn_number(r.randint(18, 60))}条，"
                    f"对{topic_a}、{topic_b}等事项作出了规定，明确了相关主体的责任边界。"]
            rec.update(status="consultation", consultation_deadline=iso(dy, dm, dd))
        else:
            if seen and seen["status"] == "consultation":  # the draft is now issued
                y, m, d = self.day()
                rec["date_issued"] = iso(y, m, d)
            eff = seen.get("date_effective") if seen else None
            if eff is None:
                ey, em = add_months(y, m, r.randint(1, 6))
                eff = iso(ey, em, 1)
            ey, em = int(eff[:4]), int(eff[5:7])
            verb = r.choice(("印发", "发布", "联合印发")) if len(issuers) > 1 else r.choice(("印发", "发布", "公布"))
            heading = f"{issuers[0].short if len(issuers) == 1 else named}{verb}《{inst.title}》"
            body = [f"{cn_date(y, m, d)}，{named}{count_txt}{verb}《{inst.title}》，自{cn_date(ey, em, 1)}起施行。",
                    f"该文件分为{cn_number(r.randint(3, 8))}个部分，重点围绕{topic_a}和{topic_b}提出"
                    f"{cn_number(r.randint(6, 30))}项措施，并对监督检查和责任追究作了衔接性安排。"]
            rec.update(status="issued", date_effective=eff)
        w.reported[inst.title] = {k: rec[k] for k in ("status", "date_issued", "date_effective") if k in rec}
        item = SItem("policy", heading, body, instruments=[rec])
        item.authorities = [a for a in issuers if not a.registry]
        cue = r.random()
        if cue < 0.45:
            body.append(f"根据《{law_title}》，该文件进一步细化了报告、评估和整改的程序要求。")
            item.relations.append({"subject": inst.ref, "type": "based-on", "object": law_ref})
        elif cue < 0.7:
            body.append(f"为贯彻落实《{law_title}》，文件要求各地建立常态化工作机制。")
            item.relations.append({"subject": inst.ref, "type": "implements", "object": law_ref})
        elif cue < 0.85:
            older = w.instruments(r)
            if older.title != inst.title:
                body.append(f"文件施行后，原《{older.title}》同时废止。")
                item.instruments.append({"title": older.title, "jurisdiction": older.jurisdiction,
                                         "kind": older.kind, "confidence": 0.7})
                item.relations.append({"subject": inst.ref, "type": "repeals", "object": older.ref})
        body.append(r.choice(("有关负责人表示，下一步将加强宣传解读和跟踪评估。",
                              "配套的问答材料同步发布，便于相关单位对照执行。",
                              "各地主管部门将结合实际制定落实细则。")))
        item.url = self.url()
        item.source_name = issuers[0].short
        return item

    # -- standard

    def standard(self) -> SItem:
        """A new edition of a national standard that replaces an older one (代替)."""
        r, w = self.rng, self.w
        std = w.standards[w.next_standard % len(w.standards)]
        w.next_standard += 1
        y, m, d = self.day()
        new_year = y + (w.next_standard // len(w.standards))
        old_year = new_year - r.randint(3, 8)
        new_no, old_no = f"{std.number}-{new_year}", f"{std.number}-{old_year}"
        ey, em = add_months(y, m, r.randint(3, 12))
        heading = f"国家标准《{std.title}》获批发布"
        body = [f"{cn_date(y, m, d)}，国家市场监督管理总局、国家标准化管理委员会批准发布{new_no}《{std.title}》，"
                f"将于{cn_date(ey, em, 1)}起实施。",
                f"该标准代替{old_no}，补充了{r.choice(DOMAINS)}场景下的{r.choice(STD_SUFFIXES)}，"
                f"并调整了术语和附录的结构。"]
        issuers = ["CN/国家市场监督管理总局", "CN/国家标准化管理委员会"]
        item = SItem("standard", heading, body, url=self.url(), source_name="全国标准信息公共服务平台")
        item.instruments = [
            {"number": new_no, "title": std.title, "kind": "national-standard", "status": "issued",
             "issuers": issuers, "date_issued": iso(y, m, d), "date_effective": iso(ey, em, 1), "jurisdiction": "CN",
             "topics": ["data-security"], "confidence": 0.9},
            {"number": old_no, "kind": "national-standard", "jurisdiction": "CN", "confidence": 0.8},
        ]
        item.relations = [{"subject": new_no, "type": "replaces", "object": old_no}]
        return item

    # -- enforcement

    def enforcement(self) -> SItem:
        """A fine (or warning) on a company, or a notice naming several apps."""
        r, w = self.rng, self.w
        y, m, d = self.day()
        auth = w.local(r) if r.random() < 0.7 else w.national(r)
        law_ref, law_title, art_max = w.laws(r)
        viol = r.choice(list(VIOLATIONS))
        item = SItem("enforcement", "", [], url=self.url(), source_name=auth.short)
        if not auth.registry:
            item.authorities.append(auth)
        jur = auth.jurisdiction
        if r.random() < 0.3:
            n = r.randint(5, 80)
            apps = w.apps.some(r, r.randint(2, 5))
            quoted = "".join(f"“{a}”" for a in apps)
            item.heading = f"{auth.short}通报{n}款违法违规收集使用个人信息的移动应用"
            item.paragraphs = [f"{cn_date(y, m, d)}，{auth.name}通报，经检测发现{quoted}等{n}款移动应用存在"
                               f"{VIOLATIONS[viol]}等问题，违反《{law_title}》有关规定，"
                               f"要求相关运营者限期完成整改，逾期未整改的将依法予以下架处置。"]
            item.actions.append({"kinds": ["public-notice", "rectification-order", "app-removal"],
                                 "authorities": [auth.key], "targets": apps, "target_count": n, "target_kind": "app",
                                 "date": iso(y, m, d), "jurisdiction": jur,
                                 "legal_basis": [{"instrument": law_ref}], "violations": [viol]})
            return item
        target = w.companies(r)
        art = r.randint(5, art_max)
        fine = r.random() < 0.75
        amount = int(r.lognormvariate(2.6, 1.1)) + 1  # 万元
        item.heading = (f"因{VIOLATIONS[viol]}，{target}被{auth.short}罚款{amount}万元" if fine else
                        f"{auth.short}对{target}作出警告处罚")
        measure = f"警告、罚款{amount}万元的行政处罚" if fine else "警告的行政处罚"
        item.paragraphs = [
            f"{cn_date(y, m, d)}，{auth.name}在执法检查中发现，{target}运营的应用{VIOLATIONS[viol]}，"
            f"造成一定的危害后果。",
            f"{auth.name}依据《{law_title}》第{cn_number(art)}条的规定，对{target}作出{measure}，并责令其限期改正。"]
        kinds = ["warning", "fine", "rectification-order"] if fine else ["warning", "rectification-order"]
        act: dict = {"kinds": kinds,
                     "authorities": [auth.key], "targets": [target], "target_kind": "company", "date": iso(y, m, d),
                     "jurisdiction": jur, "legal_basis": [{"instrument": law_ref, "articles": [art]}],
                     "violations": [viol]}
        if fine:
            act["penalty"] = {"amount": amount * 10_000, "currency": "CNY", "text": f"{amount}万元"}
        item.actions.append(act)
        return item

    def foreign_enforcement(self) -> SItem:
        """A fine abroad, in the currency of the place."""
        r, w = self.rng, self.w
        jur, auth_key, law_ref, law_title, cur, unit, unit_value = w.foreign(r)
        auth = w.by_key[auth_key]
        y, m, d = self.day()
        target = w.companies(r)
        viol = r.choice(list(VIOLATIONS))
        big_unit = unit_value >= 100_000_000  # 亿韩元: decimals
        amount_num = round(r.uniform(1, 90), 2) if big_unit else int(r.lognormvariate(5, 1.3)) + 10
        amount_text = f"{amount_num:g}{unit}"
        value = round(amount_num * unit_value)
        place = "" if auth.short.startswith(FOREIGN_NAMES[jur]) else FOREIGN_NAMES[jur]
        heading = f"{place}{auth.short}对{target}处以{amount_text}罚款"
        body = [f"{cn_date(y, m, d)}，{auth.name}宣布，因{target}{VIOLATIONS[viol]}，依据《{law_title}》对其处以"
                f"{amount_text}罚款，并要求其在规定期限内完成整改。",
                r.choice(("该公司表示将就处罚决定提出申诉。", "这是该机构今年作出的金额较高的罚款之一。",
                          "监管机构同时发布了面向同类企业的合规提示。"))]
        item = SItem("enforcement", heading, body, url=self.url(), source_name=f"{FOREIGN_NAMES[jur]}媒体")
        if law_ref.split("/")[0] in ("KR", "GB", "JP"):
            item.instruments.append({"title": law_title, "jurisdiction": law_ref.split("/")[0], "kind": "foreign-law",
                                     "confidence": 0.7})
        item.actions.append({"kinds": ["fine", "rectification-order"], "authorities": [auth_key], "targets": [target],
                             "target_kind": "company", "date": iso(y, m, d), "jurisdiction": jur,
                             "legal_basis": [{"instrument": law_ref}], "violations": [viol],
                             "penalty": {"amount": value, "currency": cur, "text": amount_text}})
        return item

    # -- court case

    def case(self) -> SItem:
        """A civil case on personal information decided by a court."""
        r, w = self.rng, self.w
        court = w.courts(r)
        y, m, d = self.day()
        plaintiff = r.choice(SURNAMES) + "某"
        defendant = w.companies(r)
        art = r.randint(10, 70)
        won = r.random() < 0.6
        amount = r.choice((2000, 5000, 10000, 30000, 50000, 100000))
        cause = r.choice(("个人信息保护纠纷", "隐私权纠纷", "网络侵权责任纠纷"))
        name = f"{plaintiff}诉{defendant}{cause}案"
        outcome_txt = (f"判决被告赔礼道歉并赔偿原告经济损失{amount}元" if won else "判决驳回原告的全部诉讼请求")
        body = [f"{cn_date(y, m, d)}，{court.name}审结{plaintiff}诉{defendant}{cause}一案。",
                f"原告主张被告在其不知情的情况下{r.choice(list(VIOLATIONS.values()))}，遂诉至法院。",
                f"法院经审理认为，本案应适用《个人信息保护法》第{cn_number(art)}条的规定，{outcome_txt}。"]
        item = SItem("case", f"{court.name}审结一起{cause}案", body, url=self.url(), source_name=court.name)
        rec: dict = {"name": name, "court": court.key,
                     "parties": [{"name": plaintiff, "role": "plaintiff"}, {"name": defendant, "role": "defendant"}],
                     "date": iso(y, m, d), "outcome": "plaintiff-won" if won else "claims-dismissed",
                     "legal_basis": [{"instrument": "CN/个人信息保护法", "articles": [art]}],
                     "jurisdiction": court.jurisdiction}
        if won:
            rec["damages"] = {"amount": amount, "currency": "CNY", "text": f"{amount}元"}
        item.cases.append(rec)
        return item

    # -- no facts

    def event(self) -> SItem:
        """A meeting or a report: news without instruments, actions or cases."""
        r, w = self.rng, self.w
        auth = w.national(r)
        y, m, d = self.day()
        dom = r.choice(DOMAINS)
        heading = f"{auth.short}召开{dom}工作推进会"
        body = [f"{cn_date(y, m, d)}，{auth.name}召开{dom}工作推进会，总结前一阶段工作并部署下一步任务。",
                f"会议提出，要把{r.choice(list(TOPIC_WORDS.values()))[0]}作为重点，"
                f"推动{r.randint(3, 12)}个试点地区形成可复制的经验。"]
        return SItem("event", heading, body, url=self.url(), source_name=auth.short)


# ---------------------------------------------------------------- issues and layouts


@dataclass
class Section:
    """A section: a title and items, or subsections."""

    title: str
    items: list[SItem] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Issue:
    """One newsletter issue: masthead fields, sections, and the rendered text."""

    doc_id: str
    layout: str
    title: str
    issue: str
    date: str
    publisher: str
    sections: list[Section]
    lines: list[str] = field(default_factory=list)
    spans: list[tuple[SItem, list[str], int, int]] = field(default_factory=list)  # item, section path, first, last


SERIES = (
    # layout, title, publisher, first issue number
    ("digest", "数据法规月度速递", "澄衡数据法治研究中心", 1),
    ("frontier", "网络与数据治理观察", "青岚网络空间治理研究院", 12),
    ("bulletin", "数字规则动态", "远帆数字经济研究所", 140),
    ("digest", "个人信息保护合规简报", "星垣合规研究会", 30),
    ("frontier", "数据安全前沿", "墨舟数据安全实验室", 5),
)


def _items(wr: IssueWriter, spec: list[tuple[str, int]]) -> list[SItem]:
    out = []
    for kind, n in spec:
        for _ in range(n):
            out.append({"policy": wr.policy, "local": lambda: wr.policy(local=True), "standard": wr.standard,
                        "enforcement": wr.enforcement, "foreign": wr.foreign_enforcement, "case": wr.case,
                        "event": wr.event}[kind]())
    return out


def make_issue(world: World, seed: int, index: int, total: int) -> Issue:
    """The ``index``-th issue of the corpus; issues are made in order (standards are handed out in turn)."""
    rng = random.Random(f"issue/{seed}/{index}")
    wr = IssueWriter(world, rng, 0, 0)
    annual = index % 25 == 24
    layout, title, publisher, first_no = SERIES[index % len(SERIES)]
    number = first_no + index // len(SERIES)
    # the corpus ends in June 2026 (the months of the query examples) and spans at most five years
    # back (from July 2021): large corpora have several issues a month
    span = min(60, total // len(SERIES) + 1)
    year, month = add_months(2026, 6 - span + 1, index * span // max(total, 1))
    wr.year, wr.month = year, month
    r = rng.randint
    if annual:
        layout, title = "report", f"{year - 1}年度数据治理大事记报告"
        sections = []
        for mo in range(1, 13):
            wr.year, wr.month = add_months(year - 1, mo, 1)
            sections.append(Section(f"{mo} 月", _items(wr, [("policy", r(1, 2)), ("foreign", r(0, 1)),
                                                             ("standard", r(0, 1))])))
        wr.year, wr.month = year, month
        issue_txt = f"{year - 1}年度"
        date = iso(year, month, 15)
    elif layout == "digest":
        sections = [
            Section("一、国内数据合规资讯", subsections=[
                Section("（一）最新法规", _items(wr, [("policy", r(3, 6)), ("local", r(1, 3)), ("standard", r(0, 2))])),
                Section("（二）热点案例", _items(wr, [("case", r(1, 3))])),
                Section("（三）监管执法", _items(wr, [("enforcement", r(3, 7))]))]),
            Section("二、国际数据合规资讯", subsections=[
                Section("（一）综合动态", _items(wr, [("event", r(1, 2))])),
                Section("（二）监管动态", _items(wr, [("foreign", r(2, 4))]))]),
        ]
        issue_txt = f"{year}年{month}月"
        date = iso(year, month)
    elif layout == "frontier":
        sections = [
            Section("境内前沿观察一：政策立法", subsections=[
                Section("(一) 部委层面动向", _items(wr, [("policy", r(4, 8)), ("standard", r(1, 3))])),
                Section("(二) 地方层面动向", _items(wr, [("local", r(2, 5))]))]),
            Section("境内前沿观察二：治理实践", subsections=[
                Section("(一) 网信部门治理实践", _items(wr, [("enforcement", r(4, 9))])),
                Section("(二) 司法实践", _items(wr, [("case", r(1, 3))]))]),
            Section("境外前沿观察：月度速览", _items(wr, [("foreign", r(2, 5)), ("event", r(1, 2))])),
        ]
        issue_txt = f"{year}年{month}月第1期 (总第{number}期)"
        date = iso(year, month, 15)
    else:  # bulletin
        sections = [Section("国策要论", _items(wr, [("policy", r(2, 4)), ("event", 1)])),
                    Section("地方新政", _items(wr, [("local", r(2, 4))])),
                    Section("执法动态", _items(wr, [("enforcement", r(2, 4)), ("case", r(0, 1))])),
                    Section("域外观察", _items(wr, [("foreign", r(1, 3))]))]
        issue_txt = f"第{number - 130}期 总第{number}期"
        date = iso(year, month, 10)
    doc_id = f"syn{index:05d}_{hashlib.sha256(f'{seed}/{index}'.encode()).hexdigest()[:12]}"
    issue = Issue(doc_id, layout, title, issue_txt, date, publisher, sections)
    {"digest": _render_digest, "frontier": _render_frontier, "bulletin": _render_bulletin,
     "report": _render_report}[layout](issue, rng)
    return issue


def _walk(sections: list[Section], path: tuple[str, ...] = ()):
    for s in sections:
        p = (*path, s.title)
        yield s, p
        yield from _walk(s.subsections, p)


class _Lines:
    def __init__(self):
        self.lines: list[str] = []

    def add(self, *lines: str) -> int:
        self.lines.extend(lines)
        return len(self.lines)  # 1-based number of the last line added


def _render_digest(issue: Issue, rng: random.Random) -> None:
    """数据合规资讯-like: two masthead lines, a 导读 list, 正文, lines cut by the PDF, 来源：URL."""
    y, m = int(issue.date[:4]), int(issue.date[5:7])
    out = _Lines()
    out.add(f" {issue.title}（{m}月）", f" {issue.title} {y}年 {m}月", "", "导读", "")
    for s, _p in _walk(issue.sections):
        out.add(s.title, "")
        for i, it in enumerate(s.items, 1):
            out.add(f"{i}. {it.heading}", "")
    out.add(" 正文", "")
    width = rng.randint(34, 38)
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        for i, it in enumerate(s.items, 1):
            first = out.add(f"{i}. {it.heading}")
            out.add("")
            for para in it.paragraphs:
                for ln in wrap(para, width):
                    out.add(ln, "")
            last = out.add(f"来源：{it.url}")
            out.add("")
            issue.spans.append((it, list(_section_path(p)), first, last))
        if s.items and rng.random() < 0.5:
            out.add("", f"{issue.title}|{issue.date[:7]}", "", f"- {rng.randint(2, 20)} -", "")
    issue.lines = out.lines


def _section_path(p: tuple[str, ...]) -> list[str]:
    return list(p)


def _render_frontier(issue: Issue, rng: random.Random) -> None:
    """前沿洞察-like: a masthead with the organisers, a 目录 with page numbers, （来源：…） credits."""
    out = _Lines()
    y, m, d = (int(x) for x in issue.date.split("-"))
    out.add("", "", issue.publisher[:4], "", "", issue.title, "", "(月刊)", "", issue.issue, "", "",
            cn_date(y, m, d), "", f"主办单位：{issue.publisher}", "", "编辑部：本刊编辑组", "", "目 录", "")
    page = 1
    for s, _p in _walk(issue.sections):
        out.add(f"{s.title}\t{page}")
        for i, it in enumerate(s.items, 1):
            page += rng.randint(0, 2)
            out.add(f"{i}. {it.heading}\t{page}")
    out.add("", "")
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        if s.subsections and rng.random() < 0.5:
            out.add(f"导读：本月{s.title.split('：')[-1]}方面的动态集中在{rng.choice(DOMAINS)}等领域。", "")
        for i, it in enumerate(s.items, 1):
            first = out.add(f"{i}. {it.heading}")
            out.add("")
            for j, para in enumerate(it.paragraphs):
                if j == len(it.paragraphs) - 1:
                    para += f"（来源：{it.source_name}）"
                out.add(para, "")
            last = len(out.lines) - 1
            issue.spans.append((it, list(p), first, last))
    issue.lines = out.lines


def _render_bulletin(issue: Issue, rng: random.Random) -> None:
    """大数据发展动态-like: masthead, 本期要目 with page numbers, unnumbered headings, 原文链接."""
    out = _Lines()
    y, m, d = (int(x) for x in issue.date.split("-"))
    out.add("", "", "以数据视角观察规则变化", "", issue.title, "", f"{cn_date(y, m, d)} {issue.issue}", "", "",
            issue.title, "", cn_date(y, m, d), "", issue.issue, "", f"主 编 {issue.publisher}", "", "本期要目", "")
    page = 1
    for s, _p in _walk(issue.sections):
        out.add(s.title, "")
        for it in s.items:
            out.add(f"- {page:02d} {it.heading}")
            page += rng.randint(1, 2)
        out.add("")
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        for it in s.items:
            first = out.add(it.heading)
            out.add("")
            for j, para in enumerate(it.paragraphs):
                if j == len(it.paragraphs) - 1:
                    para += f"（来源：{it.source_name}）"
                out.add(para, "")
            last = out.add(f"原文链接：{it.url}")
            out.add("")
            issue.spans.append((it, list(p), first, last))
    issue.lines = out.lines


def _render_report(issue: Issue, rng: random.Random) -> None:
    """年度报告-like: a short foreword, then a 大事记 by month with footnoted URLs."""
    out = _Lines()
    out.add("", issue.title, "", "目录", "", "执行摘要\t1", f"附：{issue.issue}数据治理大事记\t3", "", "执行摘要", "",
            f"本报告按月梳理{issue.issue}数据治理领域的主要动态，涉及立法、标准和执法三个方面。", "",
            f"附：{issue.issue}数据治理大事记", "")
    n = 0
    note = 0
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        for it in s.items:
            n += 1
            note += 1
            first = out.add(f"{n}. {it.heading}")
            out.add("")
            text = "".join(it.paragraphs)
            out.add(f"摘要：{text}{str(note).translate(SUPERSCRIPT)}", "")
            last = out.add(f"{str(note).translate(SUPERSCRIPT)} {it.url}")
            out.add("")
            issue.spans.append((it, ["附：" + issue.issue + "数据治理大事记", *p], first, last))
    issue.lines = out.lines


# ---------------------------------------------------------------- output


def text(issue: Issue) -> str:
    """The newsletter as it would come out of a PDF (UTF-8 text)."""
    return "\n".join(issue.lines) + "\n"


def fact_file(issue: Issue, source_file: str | None = None) -> dict:
    """The facts the issue states, as a ``kg-facts/1`` mapping (generated, not extracted)."""
    body = text(issue).encode("utf-8")
    doc = {"id": issue.doc_id, "title": issue.title, "issue": issue.issue, "date": issue.date,
           "publisher": issue.publisher, "source_file": source_file or f"{issue.doc_id}.txt",
           "sha256": hashlib.sha256(body).hexdigest()}
    items, instruments, relations, actions, cases, authorities = [], [], [], [], [], []
    inst_index: dict[str, dict] = {}
    auth_index: dict[str, dict] = {}
    for it, path, first, last in issue.spans:
        iid = f"L{first}"
        rec = {"id": iid, "section": path, "lines": [first, last]}
        if it.url:
            rec["url"] = it.url
        if it.source_name:
            rec["source_name"] = it.source_name
        items.append(rec)
        for a in it.authorities:
            if a.key in auth_index:
                auth_index[a.key]["items"].append(iid)
                continue
            ar = {"name": a.name, "kind": a.kind, "jurisdiction": a.jurisdiction}
            if a.parent:
                ar["parent"] = a.parent
            ar.update(review=True, items=[iid])
            auth_index[a.key] = ar
            authorities.append(ar)
        for ins in it.instruments:
            key = ins.get("number") or f"{ins['jurisdiction']}/{ins['title']}"
            if key in inst_index:
                have = inst_index[key]
                if iid not in have["items"]:
                    have["items"].append(iid)
                for k, v in ins.items():
                    have.setdefault(k, v)
                continue
            new = dict(ins)
            new["items"] = [iid]
            inst_index[key] = new
            instruments.append(new)
        for rel in it.relations:
            relations.append({**rel, "items": [iid], "confidence": 0.8})
        for k, act in enumerate(it.actions, 1):
            actions.append({"id": f"{iid}-{k}", **act, "items": [iid], "confidence": 0.8})
        for k, case in enumerate(it.cases, 1):
            cases.append({"id": f"{iid}-case{k}", **case, "items": [iid], "confidence": 0.8})
    out: dict = {"format": "kg-facts/1", "document": doc, "items": items}
    for name, recs in (("authorities", authorities), ("instruments", instruments), ("relations", relations),
                       ("actions", actions), ("cases", cases)):
        if recs:
            out[name] = recs
    return out


@dataclass
class Corpus:
    """What :func:`generate` wrote."""

    texts: list[Path]
    facts: list[Path]
    issues: int
    items: int
    bytes: int


def issues(seed: int, n: int, data_dir: Path | None = None):
    """The ``n`` issues of a corpus, one at a time."""
    world = World(seed, n, data_dir)
    for i in range(n):
        yield make_issue(world, seed, i, n)


def generate(out_dir: str | Path, n: int, seed: int = 0, *, texts: bool = True, facts_dir: str | Path | None = None,
             data_dir: Path | None = None) -> Corpus:
    """Write ``n`` newsletters (``<doc-id>.txt``) into ``out_dir`` and, with ``facts_dir``, their
    generated fact files (``<doc-id>.yaml``). Same seed and n -> the same bytes."""
    from kg.facts.yamlio import dumps_yaml

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fdir = Path(facts_dir) if facts_dir else None
    if fdir:
        fdir.mkdir(parents=True, exist_ok=True)
    written, fwritten, n_items, size = [], [], 0, 0
    for issue in issues(seed, n, data_dir):
        body = text(issue)
        n_items += len(issue.spans)
        size += len(body.encode("utf-8"))
        if texts:
            p = out / f"{issue.doc_id}.txt"
            p.write_text(body, encoding="utf-8")
            written.append(p)
        if fdir:
            fp = fdir / f"{issue.doc_id}.yaml"
            fp.write_text("# Generated by benchmarks.synth (synthetic facts, not extracted by kg ingest).\n"
                          + dumps_yaml(fact_file(issue)), encoding="utf-8")
            fwritten.append(fp)
    return Corpus(written, fwritten, n, n_items, size)


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic corpus."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.synth", description=__doc__.split("\n\n")[0])
    ap.add_argument("--issues", type=int, default=20, help="number of newsletters")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="folder for the .txt newsletters")
    ap.add_argument("--facts", metavar="DIR", help="also write generated fact files into DIR")
    args = ap.parse_args(argv)
    c = generate(args.out, args.issues, args.seed, facts_dir=args.facts)
    print(f"{c.issues} newsletters, {c.items} items, {c.bytes / 1e6:.1f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
