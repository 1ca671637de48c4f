"""Field values for the independent 申报书 corpus: units, people, contacts, prose."""
import random

PROVINCES = [
    # (province, abbreviation for e-mail, [(city, area code, postcode prefix, district/street)])
    ("江苏省", "js", [("南京市", "025", "210", "玄武区北京东路41号"), ("苏州市", "0512", "215", "姑苏区三香路998号"),
                     ("无锡市", "0510", "214", "梁溪区解放南路2号"), ("徐州市", "0516", "221", "云龙区元和路1号")]),
    ("浙江省", "zj", [("杭州市", "0571", "310", "上城区解放东路18号"), ("宁波市", "0574", "315", "鄞州区宁穿路2001号"),
                     ("温州市", "0577", "325", "鹿城区府前街88号"), ("嘉兴市", "0573", "314", "南湖区中山东路1号")]),
    ("四川省", "sc", [("成都市", "028", "610", "锦江区人民南路二段1号"), ("绵阳市", "0816", "621", "涪城区临园路东段56号"),
                     ("宜宾市", "0831", "644", "翠屏区南岸东区蜀南大道"), ("德阳市", "0838", "618", "旌阳区长江西路一段2号")]),
    ("湖北省", "hb", [("武汉市", "027", "430", "江岸区沿江大道188号"), ("宜昌市", "0717", "443", "西陵区沿江大道115号"),
                     ("襄阳市", "0710", "441", "樊城区长虹北路9号"), ("十堰市", "0719", "442", "茅箭区北京中路1号")]),
    ("山东省", "sd", [("青岛市", "0532", "266", "市南区香港中路11号"), ("烟台市", "0535", "264", "莱山区港城东大街1号"),
                     ("潍坊市", "0536", "261", "奎文区东风东街6388号"), ("济宁市", "0537", "272", "任城区琵琶山北路")]),
    ("广东省", "gd", [("深圳市", "0755", "518", "福田区福中三路2012号"), ("佛山市", "0757", "528", "禅城区岭南大道北12号"),
                     ("珠海市", "0756", "519", "香洲区人民东路2号")]),
    ("河南省", "ha", [("洛阳市", "0379", "471", "洛龙区开元大道218号"), ("南阳市", "0377", "473", "宛城区张衡路1号"),
                     ("新乡市", "0373", "453", "红旗区人民东路99号")]),
    ("内蒙古自治区", "nm", [("鄂尔多斯市", "0477", "017", "康巴什区市民服务中心"), ("包头市", "0472", "014", "昆都仑区钢铁大街")]),
    ("广西壮族自治区", "gx", [("柳州市", "0772", "545", "城中区三中路"), ("桂林市", "0773", "541", "临桂区西城中路")]),
    ("福建省", "fj", [("泉州市", "0595", "362", "丰泽区东海大街1号"), ("厦门市", "0592", "361", "思明区湖滨北路"),
                     ("漳州市", "0596", "363", "芗城区胜利西路")]),
    ("安徽省", "ah", [("合肥市", "0551", "230", "蜀山区东流路100号"), ("芜湖市", "0553", "241", "鸠江区政务中心"),
                     ("黄山市", "0559", "245", "屯溪区黄山东路")]),
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "长孙", "夏侯"]
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍建国红梅志文辉鹏宇浩晨阳婷雪琳晓东海燕斌凯")
TITLES = ["党组书记、常务副主席", "党组成员、副主席", "办公室主任", "组织人事部部长", "科普部部长", "学会部部长",
          "调研宣传部部长", "一级调研员", "二级调研员", "四级主任科员", "科员", "高级工程师", "研究员", "副研究员"]
DEPTS = ["办公室", "组织人事部", "科普部", "学会学术部", "调研宣传部", "基层工作部", "科技工作者服务中心"]
MAILS = ["163.com", "126.com", "qq.com", "sina.com", "sohu.com", "foxmail.com"]

OPINION_APP = [
    "同意推荐。", "经审核，申报书所填内容真实准确，同意推荐。",
    "该市科协改革基础扎实，试点方案目标明确、措施可行。", "申报书所填内容经核实准确无误。",
    "省科协将加强对试点工作的指导，协调解决试点中遇到的困难和问题。", "同意推荐该单位申报地方科协深化改革工作试点。",
]
OPINION_PILOT = [
    "同意申报。", "本单位保证申报书所填内容真实、准确。", "市委、市政府高度重视科协改革工作，将为试点提供必要的人员和经费保障。",
    "我会将按照试点方案认真组织实施，按期完成试点任务。", "经市科协党组会议研究，同意申报。",
]
SENTS = [
    "{c}科协坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻落实党中央关于群团改革的决策部署。",
    "近年来，{c}科协围绕“三长”进科协，推动医院院长、学校校长、农技站站长进入基层科协组织。",
    "全市已建成乡镇（街道）科协{n}个，覆盖率达到{p}%，基层组织体系不断健全。",
    "创建“科创中国”服务站{n2}个，组织学会与企业开展技术对接{n3}次。",
    "建立科技志愿服务队伍{n2}支，注册科技志愿者{n4}余人。",
    "试点期间，计划新建村（社区）科普服务站{n2}个，开展科普活动不少于{n3}场。",
    "按季度召开试点工作推进会，及时总结经验，研究解决试点中遇到的问题。",
    "健全联系服务科技工作者的长效机制，打造“科技工作者之家”。",
    "通过报纸、电视、网站和微信公众号等渠道宣传试点进展和成效。",
    "开展科技工作者状况调查，形成调研报告{n5}份，相关建议获市委主要领导批示。",
    "推动市级学会规范化建设，完成学会换届{n5}家，学会党建工作实现全覆盖。",
    "在“科协改革进行时”等平台报送试点动态信息，推广可复制的改革经验。",
    "形成一套可复制、可推广的基层科协组织建设制度成果，编印工作案例汇编一册。",
    "{c}科协获评全省科协系统综合考核优秀等次，相关经验在全省推广。",
]


class Gen:
    def __init__(self, rng: random.Random):
        self.r = rng
        self.used_names = set()

    def name(self):
        r = self.r
        for _ in range(50):
            s = r.choice(COMPOUND) if r.random() < 0.12 else r.choice(SURNAMES)
            g = "".join(r.choice(GIVEN) for _ in range(r.choice([1, 2, 2])))
            if s + g not in self.used_names:
                self.used_names.add(s + g)
                return s + g
        return s + g

    def mobile(self):
        return "1" + self.r.choice("3456789") + "".join(self.r.choice("0123456789") for _ in range(9))

    def landline(self, code):
        n = 8 if len(code) == 3 or self.r.random() < 0.6 else 7
        num = self.r.choice("2345678") + "".join(self.r.choice("0123456789") for _ in range(n - 1))
        return f"{code}-{num}"

    def email(self, abbr):
        r = self.r
        user = r.choice([abbr + "kx", abbr + "kxgg", "kxbgs", "kx" + str(r.randint(10, 99)), abbr + "kexie" + str(r.randint(1, 9))])
        return f"{user}@{r.choice(MAILS)}"

    def sentences(self, city, k):
        r = self.r
        out = []
        for s in r.sample(SENTS, k):
            out.append(s.format(c=city, n=r.randint(40, 180), p=r.randint(70, 99), n2=r.randint(8, 60),
                                n3=r.randint(20, 120), n4=r.randint(500, 9000), n5=r.randint(2, 9)))
        return "".join(out)

    def date_text(self, y, m, d, style):
        if style == "cn":
            digits = "〇一二三四五六七八九"
            yy = "".join(digits[int(ch)] for ch in str(y))
            def num(v):
                if v < 10: return digits[v]
                if v == 10: return "十"
                if v < 20: return "十" + digits[v - 10]
                return digits[v // 10] + "十" + (digits[v % 10] if v % 10 else "")
            return f"{yy}年{num(m)}月{num(d)}日"
        return f"{y}年{m}月{d}日"

    def birth(self):
        y, m = self.r.randint(1966, 1998), self.r.randint(1, 12)
        return self.r.choice([f"{y}.{m:02d}", f"{y}年{m}月", f"{y}.{m:02d}"])

    def person_rows(self, unit, k):
        rows = []
        for _ in range(k):
            rows.append({"姓名": self.name(), "性别": self.r.choice("男女"), "出生年月": self.birth(),
                         "单位": unit + self.r.choice(DEPTS), "职务职称": self.r.choice(TITLES)})
        return rows


def make_values(rng: random.Random, provincial=False, forced=None):
    """Return (fields dict without marks, context dict). forced=(province index, fraction) pins the city."""
    g = Gen(rng)
    pi = forced[0] if forced else rng.randrange(len(PROVINCES))
    prov, abbr, cities = PROVINCES[pi]
    ci = forced[1] if forced else rng.randrange(len(cities))
    city, code, pc, addr = cities[ci]
    app_unit = prov + "科学技术协会"
    pilot_unit = app_unit if provincial else city + "科学技术协会"
    if provincial:
        city, code, pc, addr = cities[0]
    pc_code = pc + "".join(rng.choice("0123456789") for _ in range(3)) if rng.random() < 0.5 else pc + "000"
    app_pc = cities[0][2] + "000"
    f = {}
    f["试点单位"] = pilot_unit
    f["申报单位"] = app_unit
    sm, em = rng.choice([(7, 6), (7, 6), (7, 6), (8, 6), (9, 6), (7, 5)])
    f["试点起止日期"] = f"2026年{sm}月至2027年{em}月"
    for who, pc_, adr, cd in (("申报单位负责人", app_pc, cities[0][0] + cities[0][3], cities[0][1]),
                              ("试点单位负责人", pc_code, city + addr, code)):
        f[who + ".姓名"] = g.name()
        f[who + ".手机"] = g.mobile()
        f[who + ".电子邮箱"] = g.email(abbr)
        f[who + ".通讯地址"] = adr
        f[who + ".邮编"] = pc_
        f[who + ".传真"] = rng.choice(["/", "/", g.landline(cd)])
        f[who + ".办公电话"] = g.landline(cd)
    f["申报单位意见"] = "\n".join(rng.sample(OPINION_APP, rng.choice([1, 2, 3])))
    f["试点单位意见"] = "" if provincial else "\n".join(rng.sample(OPINION_PILOT, rng.choice([1, 2, 3])))
    style = "cn" if rng.random() < 0.3 else "ar"
    d1 = (2026, rng.choice([5, 6]), 0)
    d1 = (2026, d1[1], rng.randint(20, 31) if d1[1] == 5 else rng.randint(1, 9))
    d2 = (2026, 5, rng.randint(8, 28))
    f["申报单位意见.日期"] = g.date_text(*d1, style)
    f["试点单位意见.日期"] = "" if provincial else g.date_text(*d2, style)
    pc_city = pilot_unit.replace("科学技术协会", "")
    f["申报单位推荐理由"] = g.sentences(pc_city, rng.randint(2, 4))
    f["试点单位概况"] = g.sentences(pc_city, rng.randint(2, 4))
    f["改革工作目前进展情况"] = g.sentences(pc_city, rng.randint(2, 4))
    f["改革工作亮点与主要成效"] = g.sentences(pc_city, rng.randint(2, 4))
    f["试点内容"] = g.sentences(pc_city, rng.randint(3, 6))
    f["工作计划"] = g.sentences(pc_city, rng.randint(2, 4))
    f["预期成果"] = g.sentences(pc_city, rng.randint(2, 3))
    f["试点成果宣传计划"] = g.sentences(pc_city, rng.randint(1, 3))
    f["试点工作负责人"] = g.person_rows(pilot_unit, rng.randint(1, 2))
    f["主要参与团队"] = g.person_rows(pilot_unit, rng.randint(1, 6))
    ctx = {"forced": (pi, ci), "gen": g, "city": city, "code": code, "abbr": abbr, "prov": prov}
    return f, ctx
