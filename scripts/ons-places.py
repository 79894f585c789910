"""The list of places the importer looks a council's name up in (generator/importer/places.tsv),
made from the Office for National Statistics' names and codes files. Usage, from the
repository root:

    .venv/bin/python scripts/ons-places.py PARISHES.json DISTRICTS.json COUNTIES.json \\
        --release "parishes and communities April 2025 (v2); local authorities 2023 (LAD23)"

Each input is a JSON object of GSS code -> name (as the ONS names and codes files give
them; the copy in the ideal-postcodes/postcodes.io repository's data/ folder has this
form). Only England and Wales are kept: parishes (E04), communities (W04), unitary
councils (E06), districts (E07), metropolitan boroughs (E08), London boroughs (E09),
counties (E10) and Welsh principal councils (W06). Counties whose councils have been
abolished (now unitary areas) are left out with --abolished (their GSS codes).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "generator" / "importer" / "places.tsv"
KINDS = {"E04": ("england", "parish"), "W04": ("wales", "community"),
         "E06": ("england", "unitary"), "E07": ("england", "district"),
         "E08": ("england", "metropolitan"), "E09": ("england", "london_borough"),
         "E10": ("england", "county"), "W06": ("wales", "unitary")}
# the county councils abolished 2019-2023 (Dorset, Buckinghamshire, Northamptonshire,
# Cumbria, North Yorkshire, Somerset): their areas are unitary now
ABOLISHED = ("E10000009", "E10000002", "E10000021", "E10000006", "E10000023", "E10000027")
LICENCE = ("Contains public sector information licensed under the Open Government Licence "
           "v3.0.")


def rows(files: list[Path], abolished: tuple[str, ...]) -> list[tuple[str, str, str]]:
    out = set()
    for path in files:
        for code, name in json.loads(path.read_text(encoding="utf-8-sig")).items():
            code = code.strip().lstrip("\ufeff")
            kind = KINDS.get(code[:3])
            if kind is None or code in abolished or not name.strip():
                continue
            out.add((" ".join(name.split()), *kind))
    return sorted(out, key=lambda r: (r[0].lower(), r[1], r[2]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--release", required=True, help="the ONS releases the files are from")
    ap.add_argument("--abolished", nargs="*", default=list(ABOLISHED))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    found = rows(args.files, tuple(args.abolished))
    head = [f"# Places of England and Wales: name, nation, kind. From the Office for National "
            f"Statistics' names and codes ({args.release}).",
            f"# {LICENCE} Made by scripts/ons-places.py.",
            "name\tnation\tkind"]
    args.out.write_text("\n".join(head + ["\t".join(r) for r in found]) + "\n",
                        encoding="utf-8")
    print(f"wrote {len(found)} places to {args.out}")


if __name__ == "__main__":
    main()
