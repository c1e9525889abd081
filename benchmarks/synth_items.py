"""News items of a synthetic newsletter: policy, standard, enforcement, case and event items, each with
the facts it states (see :mod:`benchmarks.synth`)."""

from __future__ import annotations

import random
import zlib

from .synth_world import (
    DOMAINS,
    FOREIGN_NAMES,
    STD_SUFFIXES,
    SURNAMES,
    TOPIC_WORDS,
    VIOLATIONS,
    Authority,
    SItem,
    World,
    add_months,
    cn_date,
    cn_number,
    iso,
)

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
