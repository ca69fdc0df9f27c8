"""Ages in whole years at a reference date, exact at birthday edges, and the birth-date bounds that
let the database count by age with plain date comparisons.

Someone born on 29 February turns a year older on 1 March in a common year.
"""

from datetime import date


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def born_by(day: date, age: int) -> date:
    """The latest birth date of someone who is at least `age` on `day`."""
    return years_before(day, age)
