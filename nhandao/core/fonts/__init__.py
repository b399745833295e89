from pathlib import Path

DIR = Path(__file__).resolve().parent


def path(name: str = "DejaVuSans.ttf") -> str:
    return str(DIR / name)
