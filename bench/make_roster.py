"""Generate a realistic roster .xlsx for the import benchmark (deterministic for a seed).

    .venv/bin/python bench/make_roster.py --rows 100000 --seed 1 --out bench/out/import-roster/roster-100000-1.xlsx

Faker zh_CN names, addresses and phones; valid resident ID numbers (GB 11643 check digit); one
street of 8 communities, ~60 grids, compounds of high-rise buildings, households of 1–5 persons
with believable relations, tags in believable shares.
"""

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faker import Faker  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from wangge.core.identity import gb11643_check_digit  # noqa: E402
from wangge.people.importing.headers import CANONICAL_HEADERS  # noqa: E402

COMMUNITIES = [
    "东湖社区",
    "西溪社区",
    "南苑社区",
    "北园社区",
    "春晓村",
    "夏荷社区",
    "秋实社区",
    "冬青社区",
]
AREA_CODES = ["330102", "330105", "330106", "330108", "330110", "320102", "340104", "410105"]
TAGS = [("楼栋长", 0.01), ("低保", 0.02), ("残疾", 0.015), ("独居老人", 0.01), ("重病", 0.005)]
ETHNICITIES = ["汉族"] * 40 + ["回族", "满族", "壮族", "苗族", "土家族"]


def _id_number(rng: random.Random, born: date, male: bool, used: set[str]) -> str:
    while True:
        sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = f"{rng.choice(AREA_CODES)}{born:%Y%m%d}{sequence:03d}"
        number = first17 + gb11643_check_digit(first17)
        if number not in used:
            used.add(number)
            return number


def _birth(rng: random.Random, low: int, high: int) -> date:
    return date(2025, 1, 1) - timedelta(days=rng.randint(low * 365, high * 365))


def generate(rows: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    used: set[str] = set()
    out: list[list[str]] = []
    household = 0
    while len(out) < rows:
        household += 1
        community = COMMUNITIES[household % len(COMMUNITIES)]
        index = household // len(COMMUNITIES)  # households within the community
        building_index, slot = divmod(index, 48)  # 2 units x 12 floors x 2 rooms
        unit = str(slot // 24 + 1)
        floor = (slot % 24) // 2 + 1
        room = f"{floor}0{slot % 2 + 1}"
        building = f"{building_index % 6 + 1}幢"
        compound = f"{community[:2]}{building_index // 6 + 1}区"
        grid = f"第{building_index // 12 + 1}网格"
        rental = rng.random() < 0.15
        surname = fake.last_name()
        size = min(rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]), rows - len(out))
        for member in range(size):
            if rental:
                relation, kind, born = "租客", "租住", _birth(rng, 20, 45)
            elif member == 0:
                relation, kind, born = "户主", "户籍", _birth(rng, 30, 85)
            elif member == 1:
                relation, kind, born = "配偶", "户籍", _birth(rng, 28, 80)
            else:
                relation, kind, born = "子女", rng.choice(["户籍", "常住"]), _birth(rng, 1, 30)
            male = rng.random() < 0.5
            name = surname + fake.first_name_male() if male else surname + fake.first_name_female()
            if relation == "配偶" or rental:
                name = fake.name_male() if male else fake.name_female()
            tags = [tag for tag, share in TAGS if rng.random() < share]
            out.append(
                [
                    name,
                    "男" if male else "女",
                    _id_number(rng, born, male, used),
                    "居民身份证",
                    fake.phone_number() if born.year < 2012 else "",
                    community,
                    grid,
                    compound,
                    building,
                    unit,
                    str(floor),
                    room,
                    relation,
                    kind,
                    "是" if rng.random() < 0.07 and born.year < 2007 else "否",
                    "、".join(tags),
                    fake.province() + fake.city(),
                    born.isoformat(),
                    rng.choice(ETHNICITIES),
                    "",
                ]
            )
    return out


def write(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员花名册")
    sheet.append(["江南街道人员花名册（基准测试生成）"])
    sheet.append(["序号", *CANONICAL_HEADERS])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def make_roster(rows: int, seed: int, path: Path) -> Path:
    if path.exists():
        return path
    return write(path, generate(rows, seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = (
        args.out
        or Path(__file__).parent / "out" / "import-roster" / f"roster-{args.rows}-{args.seed}.xlsx"
    )
    print(make_roster(args.rows, args.seed, out))


if __name__ == "__main__":
    main()
