"""Words of the reports in English and Russian."""
from __future__ import annotations

LABELS = {
    "en": {
        "violation": "violation", "probable violation": "probable violation", "concern": "concern",
        "needs information": "needs information", "no violation": "no violation", "not applicable": "not applicable",
        "report": "trialcheck report", "case": "Case", "proceeding": "Proceeding", "facts": "Facts",
        "question": "Question", "unconfirmed": "Unconfirmed law", "no_findings": "No findings.",
        "summary": "Summary", "source": "source", "missing": "Missing",
        "administrative": "administrative", "criminal": "criminal", "labour": "labour", "civil": "civil",
    },
    "ru": {
        "violation": "нарушение", "probable violation": "вероятное нарушение", "concern": "повод для беспокойства",
        "needs information": "нужна информация", "no violation": "нарушения нет", "not applicable": "не применимо",
        "report": "Отчёт trialcheck", "case": "Дело", "proceeding": "Производство", "facts": "Факты",
        "question": "Вопрос", "unconfirmed": "Норма не подтверждена", "no_findings": "Нарушений не выявлено.",
        "summary": "Сводка", "source": "источник", "missing": "Не хватает",
        "administrative": "административное", "criminal": "уголовное", "labour": "трудовое", "civil": "гражданское",
    },
}


def label(key: str, lang: str) -> str:
    return LABELS.get(lang, LABELS["en"]).get(key, key)
