"""Who the demo residents are on paper: names, ID numbers, phones, ethnicity, place of registration.

Everything is drawn from one seeded random.Random and one seeded Faker("zh_CN"), so the same seed
gives the same people. ID numbers carry area codes of Zhejiang counties and the birth date and sex
of the person; GB 11643 check digits make them valid.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta

from faker import Faker

from wangge.core.identity import Sex, gb11643_check_digit

# Ages are counted at this date, not today, so that a seed gives the same street on any day.
REFERENCE_DATE = date(2025, 7, 1)

# The demo street lies in 东阳市 (330783); its registered residents were mostly born here.
LOCAL_AREA = "330783"
LOCAL_AREA_CODE_PHONE = "0579"
ZHEJIANG_AREAS: dict[str, str] = {
    "330783": "浙江省金华市东阳市",
    "330102": "浙江省杭州市上城区",
    "330105": "浙江省杭州市拱墅区",
    "330106": "浙江省杭州市西湖区",
    "330108": "浙江省杭州市滨江区",
    "330109": "浙江省杭州市萧山区",
    "330110": "浙江省杭州市余杭区",
    "330122": "浙江省杭州市桐庐县",
    "330127": "浙江省杭州市淳安县",
    "330182": "浙江省杭州市建德市",
    "330203": "浙江省宁波市海曙区",
    "330212": "浙江省宁波市鄞州区",
    "330281": "浙江省宁波市余姚市",
    "330282": "浙江省宁波市慈溪市",
    "330302": "浙江省温州市鹿城区",
    "330326": "浙江省温州市平阳县",
    "330327": "浙江省温州市苍南县",
    "330381": "浙江省温州市瑞安市",
    "330382": "浙江省温州市乐清市",
    "330402": "浙江省嘉兴市南湖区",
    "330481": "浙江省嘉兴市海宁市",
    "330483": "浙江省嘉兴市桐乡市",
    "330502": "浙江省湖州市吴兴区",
    "330523": "浙江省湖州市安吉县",
    "330602": "浙江省绍兴市越城区",
    "330681": "浙江省绍兴市诸暨市",
    "330683": "浙江省绍兴市嵊州市",
    "330702": "浙江省金华市婺城区",
    "330703": "浙江省金华市金东区",
    "330723": "浙江省金华市武义县",
    "330726": "浙江省金华市浦江县",
    "330727": "浙江省金华市磐安县",
    "330781": "浙江省金华市兰溪市",
    "330782": "浙江省金华市义乌市",
    "330784": "浙江省金华市永康市",
    "330802": "浙江省衢州市柯城区",
    "330803": "浙江省衢州市衢江区",
    "330825": "浙江省衢州市龙游县",
    "330881": "浙江省衢州市江山市",
    "330902": "浙江省舟山市定海区",
    "331002": "浙江省台州市椒江区",
    "331023": "浙江省台州市天台县",
    "331081": "浙江省台州市温岭市",
    "331082": "浙江省台州市临海市",
    "331102": "浙江省丽水市莲都区",
    "331121": "浙江省丽水市青田县",
    "331122": "浙江省丽水市缙云县",
}
_OTHER_AREAS = sorted(code for code in ZHEJIANG_AREAS if code != LOCAL_AREA)

# Zhejiang: almost everyone is Han; the She people live in the south-west of the province.
_ETHNICITIES = ("汉族", "畲族", "土家族", "苗族", "回族", "壮族", "满族", "布依族")
_ETHNICITY_WEIGHTS = (97.6, 0.9, 0.4, 0.4, 0.3, 0.2, 0.1, 0.1)
_MOBILE_PREFIXES = [
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "195",
    "198",
    "130",
    "131",
    "132",
    "155",
    "156",
    "166",
    "175",
    "176",
    "185",
    "186",
    "133",
    "153",
    "173",
    "177",
    "180",
    "181",
    "189",
    "199",
]


def birth_date_for_age(rng: random.Random, age: int) -> date:
    """A birth date at which a person is exactly `age` years old on REFERENCE_DATE."""
    latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
    earliest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age - 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


class IdentityMaker:
    """Draws names, unique ID numbers and phones in a fixed order from the seeded generators."""

    def __init__(self, rng: random.Random, fake: Faker, taken_hashes: set[str] | None = None):
        self.rng = rng
        self.fake = fake
        self.used_numbers: set[str] = set()
        self.taken_hashes = taken_hashes or set()

    def surname(self) -> str:
        return self.fake.last_name()

    def given_name(self, sex: str) -> str:
        if sex == Sex.MALE:
            return self.fake.first_name_male()
        return self.fake.first_name_female()

    def ethnicity(self) -> str:
        return self.rng.choices(_ETHNICITIES, weights=_ETHNICITY_WEIGHTS)[0]

    def area_code(self, local: bool) -> str:
        return LOCAL_AREA if local else self.rng.choice(_OTHER_AREAS)

    def id_number(self, area: str, born: date, sex: str, hash_of: Callable[[str], str]) -> str:
        """A valid 18-digit resident ID number, unique in this street and in the database."""
        parity = 1 if sex == Sex.MALE else 0
        while True:
            sequence = self.rng.randrange(500) * 2 + parity
            first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
            number = first17 + gb11643_check_digit(first17)
            if number in self.used_numbers:
                continue
            if self.taken_hashes and hash_of(number) in self.taken_hashes:
                continue
            self.used_numbers.add(number)
            return number

    def phone(self, age: int) -> str:
        """Children have none; most of the very old have a landline or none."""
        if age < 12:
            return ""
        if age >= 75:
            draw = self.rng.random()
            if draw < 0.2:
                return ""
            if draw < 0.45:
                return f"{LOCAL_AREA_CODE_PHONE}-86{self.rng.randrange(10**6):06d}"
        return f"{self.rng.choice(_MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
