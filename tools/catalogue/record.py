"""Reading helpers for the national procedure database records (definitions/sources/xay-dung, copied
from the national database; see definitions/sources/README.md).

Used by draft_definition.py to turn one record into a first draft of a procedure definition.
Pure text processing: the record's fields are flattened HTML, so the helpers split them back
into limits, fees, documents and legal-basis entries.
"""
import json
import re
import unicodedata
from pathlib import Path

CHANNELS = ("Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính")
LIMIT_RE = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)\s*([\d.,]+)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng)")
COUNT_RE = re.compile(r"(\d+)\s*bản chính(?:\s*,\s*(\d+)\s*bản sao)?|(\d+)\s*bản sao")
_AGENCIES = "BGTVT|BXD|BTC|BTNMT|BNNMT|BCA|BNV|BKHĐT|BCT|BNNPTNT|BVHTTDL|BTP|BLĐTBXH|TTg|VPCP|BQP|NHNN|BTTTT|BYT"
LAW_CODE_RE = re.compile(r"(?<![\s\d])(\d+[a-z]?/\d{4}/(?:UBTVQH\d{2}|QH\d{2}|NQ-CP|NĐ-CP|TT-(?:" + _AGENCIES + r")|QĐ-(?:" + _AGENCIES + r")|NQ-HĐND))")
FORM_RE = re.compile(r"(?i)(mẫu(?: số)?\s*0?\d+[a-z]?(?:\s*\([^)]*\))?(?:[^.;]{0,60}?)?(?:Phụ lục(?: số)?\s*[IVXLC\d]+[a-z]?)?[^.;]{0,40}?(?:Nghị định|Thông tư)(?: số)?\s*\d+/\d{4}/[A-ZĐ\-]+)")


def load(db: Path, code: str) -> dict:
    return json.loads((db / f"{code}.json").read_text(encoding="utf-8"))


def limits(record: dict) -> list[tuple[str, float, str]]:
    """(channel, amount, unit) for every channel row of cach_thuc_thuc_hien."""
    out = []
    for ch, n, unit in LIMIT_RE.findall(record["cach_thuc_thuc_hien"]):
        out.append((ch, float(n.replace(",", ".")), unit))
    return out


def yaml_duration(amount: float, unit: str) -> str:
    n = int(amount) if amount == int(amount) else amount
    return {"Ngày làm việc": f"{n} working days", "Ngày": f"{n} days"}[unit]


def fee(record: dict):
    text = record["cach_thuc_thuc_hien"]
    m = re.search(r"(?:Ngày làm việc|Ngày|Giờ)\s*([\d.,]+)\s*(?:VNĐ|Việt Nam Đồng|đồng)\s*(\(([^)]*)\))?", text)
    if m:
        return int(m.group(1).replace(",", "").replace(".", "")), (m.group(3) or "").strip()
    m = re.search(r"(?:Ngày làm việc|Ngày|Giờ)\s*Miễn phí\s*(?:\(+([^)]*)\)+)?", text)
    if m:
        return 0, ("Miễn phí" + (f" ({m.group(1).strip()})" if m.group(1) else "")).strip()
    return None


def legal_basis(record: dict) -> list[str]:
    """Legal-basis rows are '<title><code>' glued together; a code inside a title is preceded by a space."""
    text = record["can_cu_phap_ly"].replace("Tên văn bản pháp lýMã văn bản", "")
    # a code glued to the next row's code ("...QH1527/2023/QH15") gets a separator
    text = re.sub(r"(QH\d{2}|NĐ-CP|NQ-CP|TT-(?:" + _AGENCIES + r"))(?=\d)", r"\1|", text)
    parts = LAW_CODE_RE.split(text)
    # the last row's code column may be written with a prefix and a space ("thông tư 03/2020/TT-BXD")
    tail = re.search(r"^(.*?)(?:thông tư|nghị định|luật)?\s*(\d+/\d{4}/(?:QH\d{2}|NĐ-CP|TT-(?:" + _AGENCIES + r")))\s*$", parts[-1], re.I)
    if tail:
        parts = parts[:-1] + [tail.group(1), tail.group(2), ""]
    out, seen = [], set()
    for i in range(0, len(parts) - 1, 2):
        title, code = re.sub(r"\s+", " ", parts[i]).strip(" ;,.-|"), parts[i + 1]
        if code in seen:
            continue
        seen.add(code)
        kind = ("Luật" if re.search(r"/QH\d", code) else
                "Nghị định" if "NĐ-CP" in code else
                "Nghị quyết" if "/NQ-" in code else
                "Thông tư" if "/TT-" in code else
                "Quyết định" if "/QĐ-" in code else "Văn bản")
        t = re.sub(r"(?i)^(nghị định|luật|thông tư|nghị quyết)\b", "", title).strip()
        t = re.sub(r"^(số\s*)?" + re.escape(code), "", t).strip()
        t = re.sub(r"ngày \d+ tháng \d+ năm \d{4}|ngày \d+/\d+/\d{4}", "", t).strip()
        t = re.sub(r"^(của (Quốc hội|Chính phủ)\s*:?\s*)", "", t).strip(" ;,:")
        t = re.sub(r"^(của (Quốc hội|Chính phủ)\s*)", "", t).strip(" ;,:")
        if kind == "Luật" and title.startswith("Luật") and not re.match(r"Luật\s+số", title):
            name = re.sub(r"\s*(số)?\s*" + re.escape(code) + ".*$", "", title).strip()
            out.append(f"{name} số {code}")
        elif t:
            out.append(f"{kind} số {code}: {t[0].lower() + t[1:] if not t.startswith('Luật') else t}")
        else:
            out.append(f"{kind} số {code}")
    return out


def result_names(record: dict) -> list[str]:
    text = record["ket_qua_xu_ly"]
    names = re.findall(r"(.*?)Mã: KQ\.[A-Z0-9.]+?\d{6}", text)
    return [n.strip(" .-") for n in names if n.strip(" .-")] or [text.split("Mã:")[0].strip(" .")]


def slug(text: str, words: int = 6) -> str:
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    t = "".join(c for c in t if unicodedata.category(c) != "Mn").lower()
    toks = [w for w in re.findall(r"[a-z0-9]+", t) if w not in {"cua", "va", "theo", "cac", "cho", "duoc", "hoac", "doi", "voi", "ban", "sao", "co", "chung", "thuc", "dien", "tu", "quy", "dinh", "so", "01", "02", "1", "2", "mot", "trong", "nhung"}]
    return "-".join(toks[:words]) or "giay-to"


def documents(record: dict) -> list[dict]:
    """Split thanh_phan_ho_so into documents: text ending with a 'N bản chính, M bản sao' count.
    Returns dicts with section (case heading or None), text, originals, copies, attachment."""
    text = record["thanh_phan_ho_so"]
    text = text.replace("Tên giấy tờMẫu đơn, tờ khaiSố lượng", "\n")
    out = []
    pos = 0
    section = None
    for m in COUNT_RE.finditer(text):
        chunk = text[pos:m.start()]
        pos = m.end()
        # a case heading such as "(1.2) Đối với công trình theo tuyến:" may precede the item
        head = re.search(r"\((\d+\.\d+)\)\s*([^:\n]*):\s*\n", chunk)
        if head:
            section = (head.group(1), head.group(2).strip())
            chunk = chunk[head.end():]
        chunk = chunk.replace("\n", " ").strip()
        chunk = re.sub(r"^[-+*–\s]+", "", chunk)
        chunk = re.sub(r"^--\s*", "", chunk)
        attach = None
        glued = re.sub(r"(NĐ-CP|NQ-CP|TT-(?:" + _AGENCIES + r")|QH\d\d)(?=[A-Z][A-Za-z])", r"\1|", chunk)
        gm = re.search(r"\|([^|]+\.(?:docx?|pdf|xlsx?))\s*$", glued, re.I)
        if gm:
            attach = gm.group(1).strip(" .;")
            chunk = glued[:gm.start()].replace("|", "")
        if not attach and re.search(r"\.(?:docx?|pdf|xlsx?)\s*$", chunk, re.I):
            # glued after a sentence end, a bracket or at a lower->upper case change, or after "theo mẫu (quy định)"
            cands = [m2.end() for m2 in re.finditer(r"[.);](?=\S)|[a-zà-ỹ](?=[A-ZĐẪ])|theo mẫu quy định|theo mẫu", chunk)]
            cands = [c for c in cands if len(chunk) - c < 90]
            if cands:
                cut = min(cands)
                attach, chunk = chunk[cut:].strip(" .;"), chunk[:cut]
        am = None if attach else re.search(r"([^\s;.,][^;]*?\.(?:docx?|pdf|xlsx?))\s*$", chunk, re.I)
        if am and len(am.group(1)) < 90 and not attach:
            # the form file attached in the national portal (e.g. "Mau don.docx")
            cut = am.start(1)
            attach = am.group(1).strip(" .;")
            # the file name is glued to the text: find where the sentence ended
            chunk = chunk[:cut].rstrip()
        chunk = re.sub(r"\s+", " ", chunk).strip(" ;")
        if m.group(3):
            orig, copies = 0, int(m.group(3))
        else:
            orig, copies = int(m.group(1)), int(m.group(2) or 0)
        if not chunk or re.fullmatch(r"[\d\s.,]*", chunk):
            continue
        out.append({"section": section, "text": chunk, "originals": orig, "copies": copies, "attachment": attach})
    return out


def form_of(text: str):
    m = FORM_RE.search(text)
    if not m:
        return None
    f = re.sub(r"\s+", " ", m.group(1)).strip()
    f = re.sub(r"ngày \d+/\d+/\d{4}.*$", "", f).strip()
    return f
