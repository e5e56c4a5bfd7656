"""Writes src/backcoach/domain/data/common_passwords.txt: passwords people choose often.

Made by us from well-known patterns (no list is downloaded): everyday words and names
that top every published "most common passwords" ranking, keyboard walks and digit
runs, each with the endings people add (a year, 1, 123, !). The password policy
(domain/passwords.py) also strips such endings and undoes l33t spelling before it looks a
password up, so the list holds the bases and their commonest variants.

    python scripts/make_common_passwords.py
"""

from __future__ import annotations

from pathlib import Path

WORDS = """
password passw0rd passwort motdepasse contrasena qwerty qwertz azerty letmein welcome admin administrator
login iloveyou loveyou trustno1 monkey dragon football baseball basketball soccer hockey sunshine princess
shadow master superman batman spiderman starwars pokemon whatever freedom ninja mustang michael jennifer
jordan hunter ranger buster thomas robert daniel charlie andrew matthew joshua george jessica ashley amanda
nicole daniela michelle summer winter spring autumn flower flowers chocolate cookie cheese pepper ginger
killer hello hellokitty secret secure access changeme default guest user root test tester testing
computer internet google facebook youtube twitter instagram microsoft apple samsung yahoo linkedin
money banana orange purple yellow silver golden diamond angel angels blessed jesus christ heaven lovely
loveme lover mylove babygirl baby sweety sweetheart darling honey family forever friends friend
happy happiness smile beautiful pretty cutie tigger tiger lion bear wolf eagle falcon phoenix snoopy
mickey minnie donald garfield scooby bailey maggie molly sophie chloe lucky buddy rocky max bella
coffee summer2024 london paris berlin madrid newyork chicago boston dallas texas florida california
canada america england london1 liverpool chelsea arsenal manchester barcelona juventus realmadrid
mercedes ferrari porsche corvette harley yamaha honda toyota nissan
backpain backache physio physiotherapy health healthy doctor nurse patient hospital clinic exercise
fitness workout running runner glute glutes bridge rehab recovery backcoach
matrix merlin gandalf zelda mario sonic minecraft fortnite roblox warcraft starcraft
qazwsx qazwsxedc zaq1zaq1 zxcvbnm asdfgh asdfghjkl qwertyuiop 1qaz2wsx 1q2w3e4r 1q2w3e4r5t
abc123 abcdef abcdefg abcdefgh aaaaaa 111111 000000 123123 121212 654321 666666 777777 888888 999999
123456 1234567 12345678 123456789 1234567890 0123456789 987654321 password1 iloveyou1
letmein1 welcome1 monkey1 dragon1 master1 qwerty1 qwerty123 admin123 root123 test123 pass pass123
""".split()

ENDINGS = ["", "1", "12", "123", "1234", "12345", "123456", "!", "1!", "123!", "01", "007", "69", "99", "00",
           "2020", "2021", "2022", "2023", "2024", "2025", "2026", "@123", "#1", "11", "22", "13", "777"]


def keyboard_walks() -> set[str]:
    rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "0987654321", "poiuytrewq", "lkjhgfdsa", "mnbvcxz",
            "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba"]
    out = set()
    for row in rows:
        doubled = row * 3
        for start in range(len(row)):
            for n in range(6, 17):
                out.add(doubled[start:start + n])
    return out


def main() -> None:
    out: set[str] = set()
    for word in WORDS:
        for ending in ENDINGS:
            out.add((word + ending).lower())
    out |= keyboard_walks()
    for year in range(1940, 2031):
        out.add(str(year))
        out.add(f"{year}{year}")
    for d in "0123456789":
        for n in range(6, 17):
            out.add(d * n)
    path = Path(__file__).resolve().parents[1] / "src/backcoach/domain/data/common_passwords.txt"
    header = "# Passwords people choose often, made by scripts/make_common_passwords.py (not downloaded).\n"
    path.write_text(header + "\n".join(sorted(out)) + "\n", encoding="utf-8")
    print(f"{len(out)} passwords written to {path}")


if __name__ == "__main__":
    main()
