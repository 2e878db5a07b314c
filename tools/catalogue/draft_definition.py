#!/usr/bin/env python3
"""Draft procedure definitions (definitions/<field>/<code>.yaml) from national database records.

Usage:  python3 tools/catalogue/draft_definition.py [--db definitions/sources/xay-dung] [CODE ...]

Everything the record states is carried over verbatim: code, name, level, limit and its unit,
fee, documents (with copies, originals and forms), legal basis and results. The workflow
(steps, agencies, parallel consultations, inputs and conditions) is written per procedure in
PLANS below, from the record's "trình tự thực hiện". Step budgets are derived from the legal
limit so that the longest path fits it (see budget()). The YAML written is a draft: the
committed files under definitions/ were reviewed and are the source of truth; re-running the
tool overwrites them, so review the diff.
"""
import argparse
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import record as rec  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# Agencies of the example province (kept in sync with definitions/agencies.yaml).
AG = {
    "one-stop": ("Trung tâm Phục vụ hành chính công tỉnh", "000.00.07.H13", True),
    "so-xay-dung": ("Sở Xây dựng", "000.00.16.H13", False),
    "ubnd-tinh": ("Ủy ban nhân dân tỉnh", "000.00.00.H13", False),
    "so-nnmt": ("Sở Nông nghiệp và Môi trường", "000.00.19.H13", False),
    "so-vhttdl": ("Sở Văn hóa, Thể thao và Du lịch", "000.00.22.H13", False),
    "so-noi-vu": ("Sở Nội vụ", "000.00.10.H13", False),
    "so-tai-chinh": ("Sở Tài chính", "000.00.09.H13", False),
    "pc07": ("Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ - Công an tỉnh", "000.00.28.H13", False),
    "cong-an-tinh": ("Công an tỉnh", "000.00.27.H13", False),
    "bql-kcn": ("Ban Quản lý các khu công nghiệp tỉnh", "000.00.30.H13", False),
    "hoi-nghe-nghiep": ("Tổ chức xã hội - nghề nghiệp được công nhận", None, False),
    "don-vi-qlvh-nha-cong-vu": ("Đơn vị quản lý vận hành nhà ở công vụ", None, False),
    "co-quan-cong-tac": ("Cơ quan, tổ chức nơi người thuê đang công tác", None, False),
    "mot-cua-xa": ("Bộ phận Một cửa - Ủy ban nhân dân cấp xã", "000.00.60.H13", True),
    "phong-kt-xa": ("Phòng Kinh tế, Hạ tầng và Đô thị - Ủy ban nhân dân cấp xã", "000.00.61.H13", False),
    "ubnd-xa": ("Ủy ban nhân dân cấp xã", "000.00.62.H13", False),
    "mot-cua-bxd": ("Bộ phận Một cửa - Bộ Xây dựng", "000.00.00.G12", True),
    "cuc-kt-qldtxd": ("Cục Kinh tế - Quản lý đầu tư xây dựng - Bộ Xây dựng", "000.01.00.G12", False),
}

GRADE = {"id": "works.grade", "type": "enum", "values": ["special", "I", "II", "III", "IV"], "name": "Cấp công trình"}
GRADE_HIGH = dict(GRADE, values=["special", "I", "II"])  # provincial permits: grade special, I, II
GRADE_LOW = dict(GRADE, values=["III", "IV"])  # commune permits: grade III, IV
GROUP = {"id": "project.group", "type": "enum", "values": ["A", "B", "C"], "name": "Nhóm dự án"}
APPLICANT = {"id": "applicant.kind", "type": "enum", "values": ["individual", "organization"], "name": "Người nộp"}

PERMIT_KINDS = {  # case headings (1.x) of the construction-permit records -> works.kind values
    "không theo tuyến": "non-linear", "theo tuyến": "linear", "tôn giáo": "religious", "tín ngưỡng": "belief",
    "tượng đài": "monument", "ngoại giao": "diplomatic", "giai đoạn": "phased", "dự án": "project",
    "sửa chữa": "renovation", "di dời": "relocation", "riêng lẻ": "detached-house",
}


def permit_kind(heading: str) -> str:
    h = heading.lower()
    if "theo giai đoạn" in h:
        return "phased-linear" if "theo tuyến" in h and "không theo tuyến" not in h else "phased"
    for key in ["không theo tuyến", "tôn giáo", "tín ngưỡng", "tượng đài", "ngoại giao", "dự án", "riêng lẻ", "theo tuyến", "sửa chữa", "di dời"]:
        if key in h:
            return PERMIT_KINDS[key]
    return rec.slug(heading, 3)


# Per-procedure workflow, from "trình tự thực hiện".
# lead: agency appraising; sign: agency signing (default lead); receive: one-stop id;
# consults: [(step id, agency, name, share of core budget or None, when)]
# variants: [(suffix, name, when, limit in working days / days)] alternative appraisal budgets
# sections: 'works.kind' when the record's documents are grouped per kind of works.
P = {}
PERMIT_CONSULT = [("consult-agencies", "so-nnmt", "Lấy ý kiến cơ quan quản lý nhà nước liên quan (liên thông): đất đai, môi trường", None, None),
                  ("consult-fire", "pc07", "Lấy ý kiến cơ quan Cảnh sát PCCC về thiết kế PCCC (liên thông)", None, {"input": "works.fireRisk", "equals": True})]
FIRE = {"id": "works.fireRisk", "type": "bool", "name": "Công trình thuộc diện thẩm duyệt thiết kế về PCCC"}
for code, verb in [("1.013236", "cấp giấy phép xây dựng"), ("1.013238", "cấp giấy phép sửa chữa, cải tạo"), ("1.013230", "cấp giấy phép di dời"), ("1.013231", "cấp điều chỉnh giấy phép xây dựng")]:
    P[code] = dict(folder="construction", field="construction", lead="so-xay-dung", inputs=[GRADE_HIGH, FIRE], sections="works.kind",
                   appraise=f"Thẩm định hồ sơ, kiểm tra thực địa, đối chiếu điều kiện {verb} (Điều 50 Nghị định 175/2024/NĐ-CP)",
                   consults=PERMIT_CONSULT, sign=f"Lãnh đạo Sở Xây dựng xem xét, ký {verb}")
for code, verb in [("1.013225", "cấp giấy phép xây dựng"), ("1.013229", "cấp giấy phép sửa chữa, cải tạo"), ("1.013232", "cấp giấy phép di dời"), ("1.013226", "cấp điều chỉnh giấy phép xây dựng")]:
    P[code] = dict(folder="construction", field="construction", level="commune", receive="mot-cua-xa", lead="phong-kt-xa", signer="ubnd-xa",
                   inputs=[GRADE_LOW, FIRE], sections="works.kind",
                   appraise=f"Thẩm định hồ sơ, kiểm tra thực địa, đối chiếu điều kiện {verb}",
                   consults=[("consult-agencies", "so-xay-dung", "Lấy ý kiến cơ quan quản lý nhà nước liên quan (liên thông)", None, None),
                             ("consult-fire", "pc07", "Lấy ý kiến cơ quan Cảnh sát PCCC về thiết kế PCCC (liên thông)", None, {"input": "works.fireRisk", "equals": True})],
                   sign=f"Chủ tịch UBND cấp xã xem xét, ký {verb}")
for code, verb in [("1.013233", "gia hạn giấy phép xây dựng"), ("1.013235", "cấp lại giấy phép xây dựng")]:
    P[code] = dict(folder="construction", field="construction", lead="so-xay-dung", appraise=f"Xem xét hồ sơ đề nghị {verb}", sign=f"Lãnh đạo Sở Xây dựng ký {verb}")
for code, verb in [("1.013227", "gia hạn giấy phép xây dựng"), ("1.013228", "cấp lại giấy phép xây dựng")]:
    P[code] = dict(folder="construction", field="construction", level="commune", receive="mot-cua-xa", lead="phong-kt-xa", signer="ubnd-xa",
                   appraise=f"Xem xét hồ sơ đề nghị {verb}", sign=f"Chủ tịch UBND cấp xã ký {verb}")
P["1.013216"] = dict(folder="construction", field="construction", level="ministry", receive="mot-cua-bxd", lead="cuc-kt-qldtxd", inputs=[GROUP],
                     appraise="Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng", sign="Lãnh đạo cơ quan chuyên môn ký Thông báo kết quả thẩm định",
                     variants=[("group-a", "dự án nhóm A", {"input": "project.group", "equals": "A"}, 35), ("", "dự án nhóm B", {"not": {"input": "project.group", "equals": "A"}}, 25)])
P["1.013239"] = dict(folder="construction", field="construction", lead="so-xay-dung", inputs=[GROUP],
                     appraise="Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng", sign="Lãnh đạo Sở Xây dựng ký Thông báo kết quả thẩm định",
                     consults=[("consult-fire", "pc07", "Lấy ý kiến cơ quan Cảnh sát PCCC (liên thông)", None, {"input": "works.fireRisk", "equals": True})],
                     extra_inputs=[FIRE],
                     variants=[("group-a", "dự án nhóm A", {"input": "project.group", "equals": "A"}, 35),
                               ("group-b", "dự án nhóm B", {"input": "project.group", "equals": "B"}, 25),
                               ("", "dự án nhóm C", {"input": "project.group", "equals": "C"}, 15)])
P["1.013218"] = dict(folder="construction", field="construction", level="ministry", receive="mot-cua-bxd", lead="cuc-kt-qldtxd", inputs=[GRADE],
                     appraise="Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở", sign="Lãnh đạo cơ quan chuyên môn ký Thông báo kết quả thẩm định",
                     variants=[("grade-high", "công trình cấp đặc biệt, cấp I", {"input": "works.grade", "in": ["special", "I"]}, 40),
                               ("grade-mid", "công trình cấp II, cấp III", {"input": "works.grade", "in": ["II", "III"]}, 30),
                               ("", "công trình còn lại", {"input": "works.grade", "equals": "IV"}, 20)])
P["1.013234"] = dict(P["1.013218"], level="province", receive="one-stop", lead="so-xay-dung", sign="Lãnh đạo Sở Xây dựng ký Thông báo kết quả thẩm định")
P["1.013237"] = dict(folder="construction", field="construction", lead="so-xay-dung", comments=[
    "The record's limit is 6 days (\"Ngày\") while its steps text says 6 working days after the file is found",
    "eligible; the limit and unit here follow the record's time-limit table. The assessment exam itself is",
    "scheduled outside the dossier clock (notice before the end of the following month)."], appraise="Đánh giá hồ sơ, tổ chức sát hạch", sign="Lãnh đạo Sở Xây dựng ký chứng chỉ hành nghề")
P["1.013217"] = dict(folder="construction", field="construction", lead="so-xay-dung", appraise="Kiểm tra hồ sơ đề nghị cấp lại chứng chỉ hành nghề", sign="Lãnh đạo Sở Xây dựng ký chứng chỉ hành nghề")
P["1.013219"] = dict(folder="construction", field="construction", lead="so-xay-dung", appraise="Đánh giá hồ sơ đề nghị cấp chuyển đổi chứng chỉ hành nghề", sign="Lãnh đạo Sở Xây dựng ký chứng chỉ chuyển đổi")
P["1.013222"] = dict(folder="construction", field="construction", lead="so-xay-dung", inputs=[APPLICANT], appraise="Xem xét hồ sơ đề nghị cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài", sign="Lãnh đạo Sở Xây dựng ký giấy phép hoạt động xây dựng")
P["1.013224"] = dict(folder="construction", field="construction", lead="so-xay-dung", appraise="Xem xét hồ sơ đề nghị điều chỉnh giấy phép hoạt động xây dựng", sign="Lãnh đạo Sở Xây dựng ký Quyết định điều chỉnh giấy phép")
P["1.013223"] = dict(folder="construction", field="construction", lead="so-xay-dung", signer="ubnd-tinh", appraise="Sở Xây dựng thẩm định hồ sơ, trình UBND tỉnh", sign="UBND tỉnh xem xét, ban hành quyết định công nhận")
# Commune-level permits: "20 ngày (hoặc 15 ngày đối với nhà ở riêng lẻ)". Where the record groups its
# documents by kind of works the detached house is one of those kinds; otherwise it is a separate input.
HOUSE = {"id": "works.detachedHouse", "type": "bool", "name": "Công trình là nhà ở riêng lẻ"}
for code in ["1.013225", "1.013229"]:
    P[code]["variants"] = [("house", "nhà ở riêng lẻ", {"input": "works.kind", "equals": "detached-house"}, 15),
                           ("", "công trình khác", {"not": {"input": "works.kind", "equals": "detached-house"}}, 20)]
for code in ["1.013226", "1.013232"]:
    P[code]["inputs"] = [GRADE_LOW, HOUSE, FIRE]
    P[code]["variants"] = [("house", "nhà ở riêng lẻ", {"input": "works.detachedHouse", "equals": True}, 15),
                           ("", "công trình khác", {"input": "works.detachedHouse", "equals": False}, 20)]
# "Trong thời gian 12 ngày kể từ ngày nhận được hồ sơ, các cơ quan quản lý nhà nước được hỏi ý kiến
# có trách nhiệm trả lời": 12 calendar days -> 8 working days for the consultations.
for code in ["1.013236", "1.013238", "1.013230", "1.013231", "1.013225", "1.013229", "1.013232", "1.013226"]:
    P[code]["consult_wd"] = 8

# construction quality
P["1.009794"] = dict(folder="construction-quality", field="construction-quality", lead="so-xay-dung", inputs=[GRADE],
                     appraise="Kiểm tra hồ sơ và kiểm tra hiện trường công tác nghiệm thu hoàn thành", sign="Lãnh đạo Sở Xây dựng ký Thông báo kết quả kiểm tra",
                     variants=[("grade-high", "công trình cấp đặc biệt, cấp I", {"input": "works.grade", "in": ["special", "I"]}, 16),
                               ("", "công trình còn lại", {"not": {"input": "works.grade", "in": ["special", "I"]}}, 12)])
P["1.009791"] = dict(folder="construction-quality", field="construction-quality", lead="so-xay-dung", signer="ubnd-tinh",
                     appraise="Sở Xây dựng xem xét báo cáo, tham mưu ý kiến", sign="UBND tỉnh có ý kiến về việc kéo dài thời hạn sử dụng công trình")
# architecture
for code, what in [("1.008891", "cấp chứng chỉ hành nghề kiến trúc"), ("1.008989", "cấp lại chứng chỉ hành nghề kiến trúc"), ("1.008990", "cấp lại chứng chỉ hành nghề kiến trúc bị ghi sai"),
                   ("1.008991", "gia hạn chứng chỉ hành nghề kiến trúc"), ("1.008993", "chuyển đổi chứng chỉ hành nghề kiến trúc")]:
    P[code] = dict(folder="architecture", field="architecture", lead="so-xay-dung", appraise=f"Xem xét hồ sơ đề nghị {what}", sign=f"Giám đốc Sở Xây dựng ký {what}")
# urban planning
P["1.014159"] = dict(folder="urban-planning", field="urban-planning", lead="so-xay-dung", appraise="Tra cứu, tổng hợp thông tin quy hoạch", sign="Lãnh đạo Sở Xây dựng ký văn bản cung cấp thông tin quy hoạch")
P["1.014155"] = dict(folder="urban-planning", field="urban-planning", lead="so-xay-dung", appraise="Thẩm định nhiệm vụ quy hoạch, tổng hợp ý kiến hội đồng thẩm định",
                     consults=[("consult-agencies", "so-nnmt", "Lấy ý kiến các cơ quan quản lý nhà nước có liên quan", None, None)], sign="Lãnh đạo Sở Xây dựng ký báo cáo thẩm định")
P["1.014157"] = dict(P["1.014155"], appraise="Thẩm định đồ án quy hoạch, tổng hợp ý kiến hội đồng thẩm định")
# housing
P["1.012890"] = dict(folder="housing", field="housing", lead="so-xay-dung", signer="ubnd-tinh", appraise="Sở Xây dựng kiểm tra hồ sơ, đối tượng và điều kiện, trình UBND tỉnh", sign="UBND tỉnh ban hành văn bản chấp thuận gia hạn")
P["1.012884"] = dict(folder="housing", field="housing", lead="so-xay-dung", appraise="Kiểm tra hồ sơ năng lực đơn vị quản lý vận hành nhà chung cư", sign="Lãnh đạo Sở Xây dựng ký văn bản thông báo đủ điều kiện")
P["1.012891"] = dict(folder="housing", field="housing", lead="so-xay-dung", signer="ubnd-tinh", appraise="Sở Xây dựng kiểm tra, báo cáo UBND tỉnh", sign="UBND tỉnh ban hành quyết định cho thuê nhà ở công vụ")
P["1.013769"] = dict(folder="housing", field="housing", lead="so-xay-dung", signer="ubnd-tinh", appraise="Kiểm tra hồ sơ, tổng hợp ý kiến các cơ quan liên quan",
                     consults=[("consult-agencies", "so-nnmt", "Lấy ý kiến các cơ quan có liên quan của địa phương (liên thông)", None, None)], sign="UBND tỉnh xem xét, có văn bản chấp thuận chuyển đổi công năng")
# real estate
P["1.012906"] = dict(folder="real-estate", field="real-estate", lead="so-xay-dung", appraise="Kiểm tra hồ sơ, kết quả sát hạch, in chứng chỉ", sign="Lãnh đạo Sở Xây dựng ký phát hành chứng chỉ")
P["1.012907"] = dict(folder="real-estate", field="real-estate", lead="so-xay-dung", appraise="Kiểm tra hồ sơ đề nghị cấp lại chứng chỉ", sign="Lãnh đạo Sở Xây dựng ký cấp lại chứng chỉ")
P["1.012900"] = dict(folder="real-estate", field="real-estate", lead="so-xay-dung", appraise="Kiểm tra hồ sơ, điều kiện hoạt động của sàn giao dịch bất động sản", sign="Lãnh đạo Sở Xây dựng ký Giấy phép hoạt động")
# roads
P["1.000703"] = dict(folder="roads", field="roads", lead="so-xay-dung", appraise="Thẩm định hồ sơ đề nghị cấp Giấy phép kinh doanh vận tải", sign="Lãnh đạo Sở Xây dựng ký Giấy phép kinh doanh")
P["2.002288"] = dict(folder="roads", field="roads", lead="so-xay-dung", appraise="Kiểm tra hồ sơ, cập nhật cơ sở dữ liệu cấp phép vận tải", sign="Lãnh đạo Sở Xây dựng ký cấp phù hiệu")
P["1.013274"] = dict(folder="roads", field="roads", lead="so-xay-dung", appraise="Kiểm tra hồ sơ, điều kiện sử dụng tạm thời lòng đường, vỉa hè", sign="Lãnh đạo Sở Xây dựng ký văn bản cấp phép")
P["1.000028"] = dict(folder="roads", field="roads", lead="so-xay-dung", appraise="Thẩm định hồ sơ, tuyến đường lưu hành", sign="Lãnh đạo Sở Xây dựng ký Giấy phép lưu hành xe")
# inland waterways
P["1.004088"] = dict(folder="waterways", field="waterways", lead="so-xay-dung", appraise="Kiểm tra hồ sơ đăng ký phương tiện", sign="Lãnh đạo Sở Xây dựng ký Giấy chứng nhận đăng ký phương tiện")
P["2.001659"] = dict(folder="waterways", field="waterways", lead="so-xay-dung", appraise="Kiểm tra hồ sơ xóa đăng ký phương tiện", sign="Lãnh đạo Sở Xây dựng ký Giấy chứng nhận xóa đăng ký")
P["1.004261"] = dict(folder="waterways", field="waterways", lead="so-xay-dung", appraise="Kiểm tra hồ sơ đề nghị cấp Giấy phép vận tải qua biên giới", sign="Lãnh đạo Sở Xây dựng ký Giấy phép vận tải qua biên giới")

LEVELS = {"Cấp bộ": "ministry", "Cấp tỉnh": "province", "Cấp xã": "commune"}
DECISION_NOTE = ("effective.from: the national database does not carry the date of the publishing decision ({qd}); "
                 "the version is dated from {date}, {why}. Set the decision's own date when publishing.")


def effective_for(r) -> tuple[str, str]:
    lb = r["can_cu_phap_ly"]
    if "144/2025/NĐ-CP" in lb or "/2025/TT-BXD" in lb or "140/2025" in lb or "09/2025/TT-BXD" in lb:
        return "2025-07-01", "the day two-tier local government and the Ministry of Construction's decentralisation (Nghị định 144/2025/NĐ-CP) took effect"
    if "96/2024/NĐ-CP" in lb or "95/2024/NĐ-CP" in lb or "27/2023/QH15" in lb:
        return "2024-08-01", "the day Luật Nhà ở 2023 / Luật Kinh doanh bất động sản 2023 and their decrees took effect"
    if "158/2024/NĐ-CP" in lb or "12/2025/TT-BXD" in lb:
        return "2025-01-01", "the day Luật Trật tự, an toàn giao thông đường bộ and Luật Đường bộ 2024 took effect"
    return "2025-07-01", "the day the merged Ministry of Construction's procedures were republished for two-tier local government"


def budget(amount: float, unit: str) -> float:
    """Working-day budget for the steps of one path. For a calendar-day limit of N days: the largest
    whole W with W + 2*ceil(W/5) <= N, i.e. W working days fit in N calendar days even when they
    start on a Friday and cross a weekend every five days (the validator's worst case)."""
    if unit == "Ngày làm việc":
        return amount
    w = math.floor(amount * 5 / 7)
    while w > 0 and w + 2 * math.ceil(w / 5) > amount:
        w -= 1
    return float(w)


def fmt_wd(x: float) -> str:
    return f"{int(x) if x == int(x) else x} working days"


def q(s: str) -> str:
    """YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cond(c) -> str:
    if "not" in c:
        return "{ not: " + cond(c["not"]) + " }"
    if "in" in c:
        return "{ input: " + c["input"] + ", in: [" + ", ".join(c["in"]) + "] }"
    v = c["equals"]
    v = "true" if v is True else "false" if v is False else v
    return "{ input: " + c["input"] + ", equals: " + str(v) + " }"


def wrap(text: str, indent: int, width: int = 100) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    pad = " " * indent
    return ">-\n" + "\n".join(pad + l for l in lines)


def case_phrase(text: str):
    """The case a document is limited to, as the record words it at the end of the document's name
    ("... (nếu có)", "... (đối với trường hợp ...)", "... đối với trường hợp ..."), or None for a
    document always asked. A case inside the name qualifies a part of it, not the document."""
    text = text.rstrip(" .;")
    if text.endswith("…"):
        return None
    m = re.search(r"\(((?:nếu có|đối với|trường hợp|trong trường hợp|áp dụng đối với)[^()]*)\)$", text, re.I)
    if m and len(m.group(1)) <= 200:
        return m.group(1).strip(" .;")
    m = re.search(r"\s((?:đối với|trong) trường hợp [^;()]{10,160})$", text)
    if m:
        return m.group(1).strip(" .;")
    return None


def short_name(text: str) -> tuple[str, str | None]:
    """A readable document name: the text up to its first list (':' / ' gồm') when long; the full
    record text then goes to note so nothing from the record is lost."""
    if len(text) <= 260:
        return text.rstrip(" ."), None
    m = re.search(r"^(.{40,260}?)(?:\s*(?:bao gồm|gồm)\s*:|:\s)", text)
    head = m.group(1) if m else text[:240].rsplit(" ", 1)[0] + " …"
    return head.rstrip(" ,;."), text


def draft(db: Path, code: str) -> str:
    r = rec.load(db, code)
    p = P[code]
    lims = rec.limits(r)
    amount, unit = max(((a, u) for _, a, u in lims), key=lambda x: x[0])
    units = {u for _, _, u in lims}
    if len(units) > 1:
        raise SystemExit(f"{code}: mixed units {units}")
    levels = [LEVELS[x.strip()] for x in r["cap_thuc_hien"].split(",") if x.strip() in LEVELS]
    level = p.get("level", "province" if "province" in levels else levels[0])
    eff, why = effective_for(r)
    receive = p.get("receive", "one-stop")
    lead = p["lead"]
    signer = p.get("signer", lead)
    B = budget(amount, unit)
    if B >= 3:
        rcv, ret, core = "4 working hours", "3.5 working hours", B - 1
    else:
        rcv, ret, core = "2 working hours", "1.5 working hours", B - 0.5
    sign = 1.0 if core >= 4 else 0.5
    appraise = core - sign

    inputs = list(p.get("inputs", [])) + list(p.get("extra_inputs", []))
    docs = rec.documents(r)
    kinds = []
    if p.get("sections") and any(d["section"] for d in docs):
        for d in docs:
            if d["section"]:
                k = permit_kind(d["section"][1])
                d["kind"] = k
                if k not in [x[0] for x in kinds]:
                    kinds.append((k, d["section"][1]))
        inputs = [{"id": p["sections"], "type": "enum", "values": [k for k, _ in kinds], "name": "Loại công trình đề nghị cấp phép"}] + inputs
    # merge documents repeated under several kinds of works
    merged = []
    for d in docs:
        if d["originals"] == 0 and d["copies"] == 0:
            if merged:
                merged[-1]["extra"] = d["text"]
            continue
        norm = lambda t: re.sub(r"[\s.;,]+", " ", t).strip().lower()  # noqa: E731
        same = next((m for m in merged if norm(m["text"]) == norm(d["text"]) and m["originals"] == d["originals"] and m["copies"] == d["copies"]), None)
        if same is not None and "kind" in d:
            same["kinds"].append(d["kind"])
            continue
        d["kinds"] = [d["kind"]] if "kind" in d else []
        merged.append(d)
    # Documents the record asks only in some cases ("(nếu có)", "đối với trường hợp ...") are
    # required only when the officer records that the case applies: one bool input per case.
    case_inputs = {}
    for d in merged:
        # only a case stated in the document's own name, not in a sub-item of its long description
        phrase = case_phrase(short_name(d["text"])[0])
        if phrase and re.fullmatch(r"(?i)nếu có\.?", phrase):
            # "(nếu có)": this very document, when the applicant has one
            head = short_name(d["text"])[0]
            head = head[:90].rsplit(" ", 1)[0] + " …" if len(head) > 90 else head
            iid = "has." + rec.slug(head, 4)
            case_inputs.setdefault(iid, "Hồ sơ có: " + re.sub(r"\s*\(nếu có\)", "", head))
            d["case"] = iid
        elif phrase:
            iid = "case." + rec.slug(phrase, 5)
            case_inputs.setdefault(iid, "Trường hợp: " + phrase)
            d["case"] = iid
    for iid, phrase in case_inputs.items():
        inputs.append({"id": iid, "type": "bool", "name": phrase})
    used_ids = set()
    out = []
    w = out.append
    w("# yaml-language-server: $schema=../schema/procedure.schema.json")
    w(f"# Source: CSDL quốc gia về TTHC, record {code} ({r['so_quyet_dinh']}), {r['detail_url']}")
    w("# " + wrap(f"Level in the record: {r['cap_thuc_hien']}; agency in the record: {r['co_quan_thuc_hien'] or 'không ghi'}.", 0, 98)[3:].replace("\n", "\n# "))
    for line in p.get("comments", []):
        w("# " + line)
    w("# " + wrap(DECISION_NOTE.format(qd=r["so_quyet_dinh"], date=eff, why=why), 0, 98)[3:].replace("\n", "\n# "))
    if unit == "Ngày":
        w(f"# The record's limit is {int(amount)} calendar days (\"Ngày\"); step budgets are in working days and their")
        w(f"# longest path stays within {fmt_wd(B)}: W working days span at most W + 2*ceil(W/5) calendar days")
        w(f"# (starting on a Friday), and {int(B)} + {2 * math.ceil(B / 5)} <= {int(amount)}.")
    if p.get("variants"):
        w("# The record's limit depends on the case: " + "; ".join(f"{v[1]}: {v[3]} {'ngày làm việc' if unit == 'Ngày làm việc' else 'ngày'}" for v in p["variants"]) + ".")
        w("# timeLimit is the longest legal limit (the appointment date the receipt promises); the appraisal step")
        w("# is split into alternatives whose budgets follow each case's own limit.")
    w(f"code: {q(code)}")
    w("version: 1")
    w("name: " + wrap(r["ten_thu_tuc"].strip().rstrip("."), 2) if len(r["ten_thu_tuc"]) > 90 else "name: " + r["ten_thu_tuc"].strip().rstrip("."))
    w(f"field: {p['field']}")
    w(f"level: {level}")
    w("effective:")
    w(f"  from: {eff}")
    w("legalBasis:")
    for lb in rec.legal_basis(r):
        if "40/2029/QH14" in lb:
            w("  # the record writes 40/2029/QH14; the Architecture Law is 40/2019/QH14")
            lb = lb.replace("40/2029/QH14", "40/2019/QH14")
        w(f"  - {q(lb)}")
    w(f"timeLimit: {rec.yaml_duration(amount, unit)}")
    f = rec.fee(r)
    if f is not None:
        amt, note = f
        note = re.sub(r"\s+", " ", note)
        if len(note) > 160:
            note = note[:157].rsplit(" ", 1)[0] + " …"
        if 0 < amt < 1000:
            w(f"# fee: the database records \"{amt} VNĐ\" for this procedure, copied as is; an amount this small")
            w("# looks like a unit error in the source (thousands of đồng?): check it against the Thông tư before publishing.")
        w(f"fee: {{ amount: {amt}, currency: VND" + (f", note: {q(note)}" if note else "") + " }")
    w("calendar: vn")
    w("")
    used = [receive, lead] + [c[1] for c in p.get("consults", [])] + ([signer] if signer != lead else [])
    w("agencies:")
    for a in dict.fromkeys(used):
        name, acode, one = AG[a]
        parts = [f"id: {a}", f"name: {q(name)}"]
        if acode:
            parts.append(f'code: "{acode}"')
        if one:
            parts.append("oneStop: true")
        w("  - { " + ", ".join(parts) + " }")
    if inputs:
        w("")
        w("inputs:")
        for i in inputs:
            extra = f", values: [{', '.join(i['values'])}]" if i["type"] == "enum" else ""
            w(f"  - {{ id: {i['id']}, type: {i['type']}{extra}, name: {q(i['name'])} }}")
    if kinds:
        w("# works.kind values follow the record's document groups:")
        for k, h in kinds:
            w(f"#   {k}: {h}")
    w("")
    w("documents:")
    for d in merged:
        name, full = short_name(d["text"])
        base = "du-lieu-bim" if "dữ liệu BIM" in name else rec.slug(name)
        did, n = base, 2
        while did in used_ids:
            did, n = f"{base}-{n}", n + 1
        used_ids.add(did)
        w(f"  - id: {did}")
        w("    name: " + (wrap(name, 6) if len(name) > 90 else q(name)))
        count = d["originals"] if d["originals"] else d["copies"]
        sets = re.match(r"0?(\d+) (bộ|ảnh|bản)\b", name)
        if sets and int(sets.group(1)) > count:
            count = int(sets.group(1))  # "02 bộ bản vẽ ...": the name states how many
        w(f"    copies: {max(count, 1)}")
        if d["originals"]:
            w("    original: true")
        form = rec.form_of(d["text"])
        if form:
            w(f"    form: {q(form)}")
        notes = [f"Số lượng theo CSDL: {d['originals']} bản chính, {d['copies']} bản sao"]
        if d.get("attachment"):
            notes.append(f"mẫu đính kèm trên Cổng DVC: {d['attachment']}")
        if full:
            notes.append("nguyên văn: " + full)
        if d.get("extra"):
            notes.append(d["extra"])
        w("    note: " + wrap("; ".join(notes), 6))
        conds = []
        if kinds and d["kinds"] and set(d["kinds"]) != {k for k, _ in kinds}:
            ks = d["kinds"]
            conds.append({"input": p["sections"], "equals": ks[0]} if len(ks) == 1 else {"input": p["sections"], "in": ks})
        if d.get("case"):
            conds.append({"input": d["case"], "equals": True})
        if len(conds) == 1:
            w(f"    when: {cond(conds[0])}")
        elif conds:
            w("    when: { all: [" + ", ".join(cond(c) for c in conds) + "] }")
    w("")
    w("steps:")
    w("  - id: receive")
    w("    name: Tiếp nhận, kiểm tra hồ sơ, cấp giấy tiếp nhận và hẹn trả kết quả, chuyển cơ quan giải quyết")
    w(f"    agency: {receive}")
    w(f"    duration: {rcv}")
    joins = []
    if p.get("variants"):
        for suffix, vname, vwhen, vlimit in p["variants"]:
            vb = budget(vlimit, unit)
            vcore = (vb - 1 if vb >= 3 else vb - 0.5) - sign
            sid = "appraise" + (f"-{suffix}" if suffix else "")
            joins.append(sid)
            w(f"  - id: {sid}")
            w(f"    name: {q(p['appraise'] + ' (' + vname + ')')}")
            w(f"    agency: {lead}")
            w("    after: [receive]")
            w(f"    when: {cond(vwhen)}")
            w(f"    duration: {fmt_wd(vcore)}")
            w("    outcomes: [approved, supplement, rejected]")
    else:
        joins.append("appraise")
        w("  - id: appraise")
        w(f"    name: {q(p['appraise'])}")
        w(f"    agency: {lead}")
        w(f"    duration: {fmt_wd(appraise)}")
        w("    outcomes: [approved, supplement, rejected]")
    for sid, agency, cname, share, cwhen in p.get("consults", []):
        joins.append(sid)
        w(f"  - id: {sid}")
        w(f"    name: {q(cname)}")
        w(f"    agency: {agency}")
        w("    after: [receive]")
        if cwhen:
            w(f"    when: {cond(cwhen)}")
        w(f"    duration: {fmt_wd(p.get('consult_wd') or max(0.5, math.floor(appraise * 0.6 * 2) / 2))}")
    w("  - id: sign")
    w(f"    name: {q(p['sign'])}")
    w(f"    agency: {signer}")
    w(f"    after: [{', '.join(joins)}]")
    w(f"    duration: {fmt_wd(sign)}")
    w("  - id: return")
    w("    name: Trả kết quả cho người nộp hồ sơ")
    w(f"    agency: {receive}")
    w(f"    duration: {ret}")
    w("")
    w("results:")
    for res in rec.result_names(r):
        w(f"  - {q(res)}")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=str(ROOT / "definitions/sources/xay-dung"))
    ap.add_argument("--out", default=str(ROOT / "definitions"))
    ap.add_argument("codes", nargs="*")
    a = ap.parse_args()
    for code in a.codes or sorted(P):
        text = draft(Path(a.db), code)
        path = Path(a.out) / P[code]["folder"] / f"{code}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
