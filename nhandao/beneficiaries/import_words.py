"""The words the communes' lists use for relationships and categories (compared without case
or diacritics; the categories' own names and codes are matched too)."""

from __future__ import annotations

from .choices import Relationship

RELATIONSHIPS = {
    "Chủ hộ": Relationship.HEAD,
    "CH": Relationship.HEAD,
    "Chủ": Relationship.HEAD,
    "Bản thân": Relationship.SELF,
    "Vợ": Relationship.SPOUSE,
    "Chồng": Relationship.SPOUSE,
    "Vợ/chồng": Relationship.SPOUSE,
    "Con": Relationship.CHILD,
    "Con đẻ": Relationship.CHILD,
    "Con trai": Relationship.CHILD,
    "Con gái": Relationship.CHILD,
    "Con nuôi": Relationship.CHILD,
    "Bố": Relationship.PARENT,
    "Mẹ": Relationship.PARENT,
    "Cha": Relationship.PARENT,
    "Bố đẻ": Relationship.PARENT,
    "Mẹ đẻ": Relationship.PARENT,
    "Cháu": Relationship.GRANDCHILD,
    "Cháu nội": Relationship.GRANDCHILD,
    "Cháu ngoại": Relationship.GRANDCHILD,
    "Ông": Relationship.GRANDPARENT,
    "Bà": Relationship.GRANDPARENT,
    "Anh": Relationship.SIBLING,
    "Chị": Relationship.SIBLING,
    "Em": Relationship.SIBLING,
    "Anh trai": Relationship.SIBLING,
    "Chị gái": Relationship.SIBLING,
    "Em trai": Relationship.SIBLING,
    "Em gái": Relationship.SIBLING,
    "Con dâu": Relationship.CHILD_IN_LAW,
    "Con rể": Relationship.CHILD_IN_LAW,
    "Khác": Relationship.OTHER,
    "Người thân": Relationship.OTHER,
}

# Words lists use for categories (compared without case or diacritics), besides the names.
CATEGORY_WORDS = {
    "ho-ngheo": ["hộ nghèo", "nghèo", "HN", "hộ nghèo (HN)"],
    "ho-can-ngheo": ["hộ cận nghèo", "cận nghèo", "HCN", "CN"],
    "nguoi-co-cong": [
        "người có công",
        "có công",
        "NCC",
        "gia đình chính sách",
        "chính sách",
        "GĐCS",
        "thương binh",
        "bệnh binh",
        "gia đình liệt sĩ",
        "thân nhân liệt sĩ",
    ],
    "bao-tro-xa-hoi": ["bảo trợ xã hội", "BTXH", "trợ cấp xã hội"],
    "cao-tuoi-co-don": ["người cao tuổi cô đơn", "cao tuổi cô đơn", "người già neo đơn", "neo đơn", "cô đơn"],
    "khuyet-tat": ["khuyết tật", "người khuyết tật", "NKT"],
    "tre-mo-coi": ["mồ côi", "trẻ mồ côi", "hoàn cảnh đặc biệt", "trẻ em có hoàn cảnh đặc biệt"],
    "chat-doc-da-cam": ["chất độc da cam", "da cam", "nạn nhân chất độc da cam", "NNCĐDC"],
    "benh-hiem-ngheo": ["bệnh hiểm nghèo", "bệnh nặng"],
    "rui-ro": ["rủi ro", "bất hạnh", "gặp rủi ro"],
    "thien-tai": ["thiên tai", "bão lũ", "ảnh hưởng thiên tai", "lũ lụt"],
}
