#!/usr/bin/env python3
"""Recompute a campaign's hash chain from the public download and compare it with the published digests.

Kiểm tra sổ cái của một cuộc vận động: tính lại chuỗi băm từ tệp tải về trên cổng minh bạch và
so với bản tóm tắt hằng ngày đã công bố.  Chỉ cần Python 3 (thư viện chuẩn).

Usage:
    python3 verify_ledger_chain.py ENTRIES.json [--digests DIGESTS.json ...]
    python3 verify_ledger_chain.py ENTRIES.json --base-url https://example.org
    python3 verify_ledger_chain.py --base-url https://example.org --campaign CODE

ENTRIES.json is /minh-bach/du-lieu/<CODE>/so-cai.json; a digests file is
/minh-bach/du-lieu/tom-tat.json?campaign=<CODE> (any of its pages).  With --base-url the
script fetches every page of the campaign's digests itself (and, with --campaign, the
entries too).  Keep the digests you downloaded earlier: if the books were rewritten
later, your old digests no longer match.

The canonical form (nhandao-ledger-v1) of one entry is this JSON array, serialised with
separators "," and ":" (no spaces), non-ASCII characters written as they are (not
\\u-escaped), encoded in UTF-8:

    ["nhandao-ledger-v1", number, posting_id, posting_digest, fund_id, account_id,
     amount, campaign_id, item, quantity, value_date, posted_at]

numbers as JSON integers (amount in whole đồng, debit > 0, credit < 0; campaign_id
null if none), item and quantity as strings ("gao|kg", "12.500", "" for money),
value_date "YYYY-MM-DD", posted_at "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC); these are
exactly the strings of the download.  The campaign's chain:

    campaign_hash(1) = sha256("0" * 64 + "\\n" + canonical(1))
    campaign_hash(k) = sha256(campaign_hash(k-1) + "\\n" + canonical(k))

(hex digests of the UTF-8 bytes), over the campaign's entries in increasing number.
A digest (day, last_number, chain_hash, entries) says: the campaign's entry number
last_number has campaign_hash == chain_hash and is the entries-th of the chain.

What the posting_digest commits to is computed by nhandao (posting canonical form
nhandao-posting-v1, or v2 since personal data can be shredded: v2 commits to a salted
hash of the posting's description and reason, never to a name, so forgetting a donor or a
payee changes no hash); this script takes it as published.

Truncation.  A download without up_to holds every entry of the campaign: a digest of a day
before the download (the one in the file, one you kept, or one published now) that names an
entry beyond the file's last one means the last entries were deleted and the chain's head
rewound.  Digests you kept earlier (--digests) must still be published unchanged (--base-url,
or --current with a tom-tat.json downloaded now): one missing or different means the list of
digests was cut or rewritten.

Exit status: 0 the chain holds and matches every digest it covers; 1 a mismatch (the
message names the first entry or digest that does not hold); 2 nothing to compare
with, or a file or URL that cannot be read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import urllib.parse
import urllib.request

VERSION = "nhandao-ledger-v1"
GENESIS = "0" * 64


def canonical(e: dict) -> str:
    values = [
        VERSION,
        e["number"],
        e["posting_id"],
        e["posting_digest"],
        e["fund_id"],
        e["account_id"],
        e["amount"],
        e["campaign_id"],
        e["item"],
        e["quantity"],
        e["value_date"],
        e["posted_at"],
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def link(previous: str, text: str) -> str:
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def fetch_json(url: str):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def fetch_digests(base_url: str, code: str) -> list[dict]:
    url = f"{base_url.rstrip('/')}/minh-bach/du-lieu/tom-tat.json?" + urllib.parse.urlencode(
        {"campaign": code}
    )
    digests = []
    while url:
        page = fetch_json(url)
        digests.extend(page["digests"])
        url = page.get("next")
    return digests


def load(path: str):
    with open(path, encoding="utf-8-sig") as handle:
        return json.load(handle)


def _key(d: dict) -> tuple:
    return (d["day"], d["last_number"], d["chain_hash"], d["entries"])


def compare_lists(kept: list[dict], current: list[dict]) -> list[str]:
    """Every digest kept from an earlier download must still be published, unchanged."""
    now = {d["day"]: d for d in current}
    for d in sorted(kept, key=lambda d: d["day"]):
        found = now.get(d["day"])
        if found is None:
            return [
                f"LỖI: tóm tắt ngày {d['day']} (dòng {d['last_number']}) đã công bố trước đây nay không còn "
                "trong danh sách tóm tắt: danh sách đã bị cắt bớt. (ERROR: a published digest was deleted)"
            ]
        if _key(found) != _key(d):
            return [
                f"LỖI: tóm tắt ngày {d['day']} nay khác với bản đã công bố trước đây (dòng {d['last_number']}, "
                f"mã {d['chain_hash'][:16]}…): sổ cái đã bị viết lại. (ERROR: a published digest was changed)"
            ]
    return []


def verify(document: dict, digests: list[dict], current: list[dict] | None = None) -> tuple[bool, list[str]]:
    """(ok, messages): recompute the chain, check each entry's published hash and each digest.

    `digests` are digests kept from before, `current` (optional) the list published now."""
    if current is not None:
        problems = compare_lists(digests, current)
        if problems:
            return False, problems
        digests = list({_key(d): d for d in [*digests, *current]}.values())
    messages = []
    entries = document["entries"]
    by_number = {}
    previous = GENESIS
    for count, e in enumerate(entries, start=1):
        computed = link(previous, canonical(e))
        if computed != e["campaign_hash"]:
            return False, [
                f"LỖI: dòng {e['number']} (thứ {count} của chuỗi): mã băm tính lại {computed[:16]}… khác mã "
                f"công bố {e['campaign_hash'][:16]}…: nội dung dòng này hoặc một dòng trước đã bị sửa. "
                f"(ERROR: entry {e['number']} does not match its published hash)"
            ]
        by_number[e["number"]] = (computed, count)
        previous = computed
    last = entries[-1]["number"] if entries else 0
    whole = document.get("up_to") is None
    generated_day = (document.get("generated_at") or "")[:10]
    anchor = document.get("digest")
    checked, covered = 0, 0
    for d in sorted(digests, key=lambda d: d["last_number"]):
        if (
            d["last_number"] > last
            and whole
            and (d["day"] < generated_day or (anchor and _key(anchor) == _key(d)))
        ):
            return False, messages + [
                f"LỖI: tóm tắt ngày {d['day']} nói chuỗi đã tới dòng {d['last_number']}, nhưng tệp tải về sau "
                f"ngày đó chỉ tới dòng {last}: các dòng cuối đã bị xóa và đầu chuỗi bị lùi lại. "
                "(ERROR: the chain was truncated after a published digest)"
            ]
        if d["last_number"] > last:
            messages.append(
                f"Bỏ qua tóm tắt ngày {d['day']}: dòng {d['last_number']} sau dòng cuối của tệp ({last})."
            )
            continue
        found = by_number.get(d["last_number"])
        if found is None:
            return False, messages + [
                f"LỖI: tóm tắt ngày {d['day']} nói chuỗi kết thúc ở dòng {d['last_number']}, "
                "nhưng tệp không có dòng đó: có dòng đã bị xóa. (ERROR: a digested entry is missing)"
            ]
        chain_hash, position = found
        if chain_hash != d["chain_hash"] or position != d["entries"]:
            return False, messages + [
                f"LỖI: tóm tắt ngày {d['day']} (dòng {d['last_number']}, {d['entries']} dòng, mã "
                f"{d['chain_hash'][:16]}…) không khớp với chuỗi tính lại ({position} dòng, mã {chain_hash[:16]}…): "
                "sổ cái đã bị viết lại sau ngày đó. (ERROR: the books do not match the published digest)"
            ]
        checked += 1
        covered = max(covered, position)
    if not checked:
        return False, messages + [
            "Không có tóm tắt nào để so (chưa có tóm tắt cho các dòng trong tệp). (Nothing to compare with.)"
        ]
    if covered < len(entries):
        messages.append(
            f"Lưu ý: {len(entries) - covered} dòng cuối (sau dòng {entries[covered - 1]['number']}) chưa có tóm tắt "
            "công bố để đối chiếu; hãy kiểm tra lại khi có tóm tắt của ngày đó. "
            "(Note: the last entries are not covered by a digest yet)"
        )
    messages.append(
        f"ĐÚNG: {len(entries)} dòng, chuỗi tính lại khớp với {checked} bản tóm tắt; mã cuối {previous}. "
        "(OK: the chain matches the published digests)"
    )
    return True, messages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entries", nargs="?", help="tệp so-cai.json đã tải về")
    parser.add_argument("--digests", action="append", default=[], help="tệp tom-tat.json (có thể lặp lại)")
    parser.add_argument(
        "--current",
        action="append",
        default=[],
        help="tệp tom-tat.json vừa tải về (danh sách công bố hiện tại)",
    )
    parser.add_argument("--base-url", help="địa chỉ cổng minh bạch, ví dụ https://nhandao.example.org")
    parser.add_argument("--campaign", help="mã cuộc vận động (cùng --base-url, để tải cả sổ cái)")
    args = parser.parse_args(argv)
    try:
        if args.entries:
            document = load(args.entries)
        elif args.base_url and args.campaign:
            url = f"{args.base_url.rstrip('/')}/minh-bach/du-lieu/{urllib.parse.quote(args.campaign)}/so-cai.json"
            document = fetch_json(url)
        else:
            parser.error("cần tệp so-cai.json, hoặc --base-url cùng --campaign")
        if document.get("format") != VERSION:
            print(f"Tệp không phải sổ cái {VERSION}.", file=sys.stderr)
            return 2
        digests = []
        for path in args.digests:
            digests.extend(load(path)["digests"])
        code = document["campaign"]["code"]
        current = []
        for path in args.current:
            current.extend(load(path)["digests"])
        if args.base_url:
            current.extend(fetch_digests(args.base_url, code))
        if not args.current and not args.base_url:
            current = None
        elif not digests:
            digests, current = current, None  # nothing kept from before: the published list is all
        source = "đã công bố"
        if not digests and document.get("digest"):
            # Weaker: the digest that came in the same download.  Compare with one you keep.
            digests = [document["digest"]]
            source = "đi kèm tệp tải về"
    except (OSError, ValueError, KeyError) as exc:
        print(f"Không đọc được dữ liệu: {exc}", file=sys.stderr)
        return 2
    ok, messages = verify(document, digests, current)
    print(f"Cuộc vận động {code}: so với tóm tắt {source}.")
    for message in messages:
        print(message, file=sys.stdout if ok else sys.stderr)
    if ok:
        return 0
    return 2 if messages and messages[-1].startswith("Không có tóm tắt") else 1


if __name__ == "__main__":
    sys.exit(main())
