"""The world a synthetic corpus draws from: word lists of our own, Zipf pools of authorities, parties,
instruments and standards (seeded); see :mod:`benchmarks.synth`."""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path

from kg.facts.registry import load_registry

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
    """The authorities (templates expanded) and reference instruments of a data folder, as plain records."""
    reg, known = load_registry(data_dir)
    auth = [{"key": a.key, "name": a.name, "aliases": list(a.aliases), "jurisdiction": a.jurisdiction, "kind": a.kind,
             "parent": a.parent_ref.value if a.parent_ref else None} for a in reg.authorities.values()]
    return auth, [dict(r.data) for r in known]


class World:
    """Every entity a corpus of ``issues`` newsletters draws from (seeded)."""

    def __init__(self, seed: int, issues: int, data_dir: Path | None = None):
        self.rng = random.Random(f"world/{seed}")
        self._authorities(data_dir or REPO / "data")
        self._parties(issues)
        self._instruments(issues)
        self._standards(issues)
        self.reported: dict[str, dict] = {}  # instrument title -> status and dates of its first report

    def _authorities(self, data_dir: Path) -> None:
        """The registry's bodies, the national ones ranked, provincial ones (minted when absent), courts."""
        rng = self.rng
        auth, _inst = _registry(data_dir)
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

    def _parties(self, issues: int) -> None:
        """Companies and apps, a pool that grows with the corpus."""
        rng = self.rng
        brands = [a + b for a in SYLLABLES for b in SYLLABLES if a != b]
        rng.shuffle(brands)
        n_companies = max(40, issues * 6)
        self.companies = Zipf([f"{brands[i % len(brands)]}{INDUSTRIES[i % len(INDUSTRIES)]}有限公司"
                               for i in range(n_companies)], 1.05)
        n_apps = max(40, issues * 6)
        self.apps = Zipf([f"{brands[(i * 7 + 3) % len(brands)]}{APP_WORDS[i % len(APP_WORDS)]}" for i in range(n_apps)],
                         1.0)

    def _instruments(self, issues: int) -> None:
        """National and local instruments, a pool that grows with the corpus."""
        rng = self.rng
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

    def _standards(self, issues: int) -> None:
        """Standards in the unassigned range GB/T 60000-69999."""
        rng = self.rng
        n_std = max(20, issues * 2)
        nums = rng.sample(range(60000, 70000), n_std)
        stds = []
        for i, num in enumerate(nums):
            fam = STD_FAMILIES[i % len(STD_FAMILIES)]
            stds.append(Standard(f"GB/T {num}", 0, 0, f"{fam} {DOMAINS[(i * 11) % len(DOMAINS)]}"
                                 f"{STD_SUFFIXES[i % len(STD_SUFFIXES)]}"))
        self.standards = stds
        self.next_standard = 0
