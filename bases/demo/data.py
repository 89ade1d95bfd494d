"""Reference data for the demo: Hubei and its 37 training bases from annex 2 of the 2024 notice
(seeds/004), the national catalogue of residency specialties, and the notice's timetable.

Cities are inferred from the hospital names; the annex does not state a base's level, so every
base is loaded as national and the provincial office corrects it in the admin.
"""

from policy.timetable import Phase

PROVINCE = {"code": "420000", "name": "湖北省"}


# (name, city, contact person, office phones, QQ groups) in the annex's order.
TRAINING_BASES = [
    ("华中科技大学同济医学院附属协和医院", "武汉市", "何老师", "027-85726935", "340728617 410365317"),
    ("华中科技大学同济医学院附属同济医院", "武汉市", "潘老师", "027-83663397", "784722251"),
    ("武汉大学人民医院（湖北省人民医院）", "武汉市", "刘老师、丁老师", "027-88041911转88455", "191266392"),
    ("武汉大学中南医院（湖北省第二人民医院）", "武汉市", "陈老师", "027-67812913", "734168458"),
    ("武汉大学口腔医院（湖北省口腔医院）", "武汉市", "潘老师", "027-87686228", "1023975192"),
    ("中国人民解放军中部战区总医院", "武汉市", "李老师", "027-50771163", "763204810"),
    ("湖北省妇幼保健院（湖北省妇女儿童医院）", "武汉市", "徐老师", "027-87169027", "849856202"),
    (
        "湖北省第三人民医院（湖北省中山医院）",
        "武汉市",
        "李老师、周老师",
        "027-83743245/027-83743455",
        "991862867；374806357",
    ),
    ("武汉市第一医院（武汉市中西医结合医院）", "武汉市", "李老师", "027-85332289", "478928063"),
    ("武汉市中心医院（武汉市第二医院）", "武汉市", "郭老师", "027-82211260，027-82201738", ""),
    ("黄石市中心医院（湖北理工学院附属医院）", "黄石市", "陈老师", "0714-6280969", "339123212"),
    ("十堰市太和医院（湖北医药学院附属医院）", "十堰市", "周老师", "0719-8801525", "748927582"),
    ("宜昌市中心人民医院（三峡大学第一临床医学院）", "宜昌市", "郑老师", "0717-6487803/6221657", "236685445"),
    ("襄阳市中心医院（湖北文理学院附属医院）", "襄阳市", "薛老师", "0710-3524426", "753070127"),
    ("荆门市中心医院", "荆门市", "刘老师", "0724-2305687", "582917272"),
    ("孝感市中心医院", "孝感市", "武老师", "0712-2837253", "526696914"),
    ("荆州市中心医院", "荆州市", "代老师、罗老师", "0716-8490558", "905042830"),
    ("黄冈市中心医院", "黄冈市", "甘老师", "0713-8625887", "589974362"),
    ("恩施土家族苗族自治州中心医院", "恩施州", "曾老师、谭老师", "0718-8233342", "666813807"),
    ("武汉市第三医院（武汉大学附属同仁医院）", "武汉市", "周老师、陈老师", "027-68894828", "755718039"),
    (
        "襄阳市第一人民医院（湖北医药学院附属襄阳市第一人民医院）",
        "襄阳市",
        "曾老师、包老师",
        "0710-3420337",
        "495646397",
    ),
    ("鄂州市中心医院", "鄂州市", "黄老师、邵老师", "027-60660788", "528886819"),
    ("武汉市第四医院（武汉市普爱医院）", "武汉市", "刘老师、黄老师、陈老师", "027-68834741", "870195065"),
    ("武汉儿童医院（武汉市妇女儿童医疗保健中心）", "武汉市", "史老师", "027-82308815", "790566991"),
    ("十堰市人民医院（湖北医药学院附属人民医院）", "十堰市", "陈老师、刘老师", "0719-8637965", "589316958"),
    ("荆州市第一人民医院", "荆州市", "张老师", "0716-8113948", "703445822"),
    ("湖北民族大学附属民大医院", "恩施州", "唐老师", "0718-8301988", "758337332"),
    ("武汉科技大学附属天佑医院", "武汉市", "李老师、方老师、金老师", "027-51228643/027-51228684", "681374582"),
    ("武汉市第六医院（江汉大学附属医院）", "武汉市", "徐老师", "027-82434684", "598056280"),
    ("武汉市普仁医院", "武汉市", "胡老师", "027-86360159", "767780848"),
    ("国药东风总医院（湖北医药学院附属东风医院）", "十堰市", "秦老师", "0719-8272469", "325903494"),
    ("宜昌市第二人民医院（三峡大学第二人民医院）", "宜昌市", "黄老师、万老师", "0717-6219630", "589028904"),
    ("咸宁市中心医院", "咸宁市", "张老师", "0715-8896363", "628846244"),
    ("随州市中心医院（湖北医药学院附属随州医院）", "随州市", "周老师", "0722-3252538", "983269229"),
    ("天门市第一人民医院（湖北科技学院附属天门医院）", "天门市", "夏老师、盖老师", "0728-5251114", "866257736"),
    ("武汉市精神卫生中心", "武汉市", "周老师、宋老师", "027-82281622", "484982359"),
    ("襄阳市口腔医院", "襄阳市", "荣老师", "0710-3220965", "766593478"),
]


# The national catalogue of residency training specialties (code, name, category).
SPECIALTIES = [
    ("0100", "内科", "clinical"),
    ("0200", "儿科", "clinical"),
    ("0300", "急诊科", "clinical"),
    ("0400", "皮肤科", "clinical"),
    ("0500", "精神科", "clinical"),
    ("0600", "神经内科", "clinical"),
    ("0700", "全科", "clinical"),
    ("0800", "康复医学科", "clinical"),
    ("0900", "外科", "clinical"),
    ("1000", "外科（神经外科方向）", "clinical"),
    ("1100", "外科（胸心外科方向）", "clinical"),
    ("1200", "外科（泌尿外科方向）", "clinical"),
    ("1300", "外科（整形外科方向）", "clinical"),
    ("1400", "骨科", "clinical"),
    ("1500", "儿外科", "clinical"),
    ("1600", "妇产科", "clinical"),
    ("1700", "眼科", "clinical"),
    ("1800", "耳鼻咽喉科", "clinical"),
    ("1900", "麻醉科", "clinical"),
    ("2000", "临床病理科", "clinical"),
    ("2100", "检验医学科", "clinical"),
    ("2200", "放射科", "clinical"),
    ("2300", "超声医学科", "clinical"),
    ("2400", "核医学科", "clinical"),
    ("2500", "放射肿瘤科", "clinical"),
    ("2600", "医学遗传科", "clinical"),
    ("2700", "预防医学科", "clinical"),
    ("2800", "口腔全科", "stomatology"),
    ("2900", "口腔内科", "stomatology"),
    ("3000", "口腔颌面外科", "stomatology"),
    ("3100", "口腔修复科", "stomatology"),
    ("3200", "口腔正畸科", "stomatology"),
    ("3300", "口腔病理科", "stomatology"),
    ("3400", "口腔颌面影像科", "stomatology"),
    ("3500", "重症医学科", "clinical"),
]


# 三(四)1: general practice, paediatrics, paediatric surgery, psychiatry, anaesthesiology,
# OB/GYN, emergency, clinical pathology and critical care.
SHORTAGE_SPECIALTY_CODES = ["0700", "0200", "1500", "0500", "1900", "1600", "0300", "2000", "3500"]


# Which specialties a kind of hospital plausibly trains in; the specialised hospitals by name.
UNIVERSITY_HOSPITAL = [code for code, _name, category in SPECIALTIES if category == "clinical"] + ["2800"]


CITY_HOSPITAL = [
    "0100",
    "0200",
    "0300",
    "0500",
    "0600",
    "0700",
    "0900",
    "1400",
    "1600",
    "1700",
    "1800",
    "1900",
    "2100",
    "2200",
    "2300",
    "3500",
]


SPECIALISED = {
    "武汉大学口腔医院（湖北省口腔医院）": ["2800", "2900", "3000", "3100", "3200", "3300", "3400"],
    "襄阳市口腔医院": ["2800", "2900", "3000"],
    "湖北省妇幼保健院（湖北省妇女儿童医院）": ["0200", "1500", "1600", "1900", "2200", "2300"],
    "武汉儿童医院（武汉市妇女儿童医疗保健中心）": ["0200", "1500", "1900", "2200", "2300"],
    "武汉市精神卫生中心": ["0500"],
}


UNIVERSITY_HOSPITALS = 6  # the first six bases of the annex are the large teaching hospitals


# The notice's timetable as (month, day); the campaign of any year reuses it.
TIMETABLE = {
    "brochure_submit_by": (3, 25),
    "brochure_publish_by": (3, 28),
    "round1_opens": (4, 8),
    "round1_closes": (4, 23),
    "round1_assessment_starts": (4, 24),
    "round1_assessment_ends": (5, 26),
    "round1_publicity_by": (5, 31),
    "round2_opens": (6, 1),
    "round2_closes": (6, 15),
    "round2_assessment_ends": (6, 25),
    "round2_publicity_by": (6, 30),
    "reporting_by": (9, 1),
}


# The demo phases `load_demo --phase` offers: the day of the notice's timetable that "today" becomes,
# chosen a few days into the phase so that the phase's history (choices filed, a list in publicity,
# offers waiting) has happened and each role still has something to do. The brochures' day is the
# submission deadline itself, so the bases still drafting are due today, not overdue.
PHASE_DAYS = {
    "brochures": ((3, 25), Phase.PREPARATION),
    "registration": ((4, 14), Phase.ROUND1_REGISTRATION),
    "assessment": ((5, 6), Phase.ROUND1_ASSESSMENT),
    "publicity": ((5, 29), Phase.ROUND1_PUBLICITY),
    "round2": ((6, 10), Phase.ROUND2_REGISTRATION),
    "reporting": ((7, 20), Phase.REPORTING),
    "done": ((9, 20), Phase.REGISTRATION_ROSTER),
}
