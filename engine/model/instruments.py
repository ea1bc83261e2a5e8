"""The instruments rules cite and charges name: display names and the dates they governed acts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Instrument:
    key: str
    name_en: str
    name_ru: str
    start: date | None = None
    end: date | None = None
    international: bool = False

    def in_force_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


_TABLE = [
    Instrument("KZ-CONST-1995", "KZ Constitution 1995", "Конституция РК 1995", date(1995, 9, 5)),
    Instrument("KZ-CAO-2001", "KZ Code of Administrative Offences 2001", "КоАП РК 2001", date(2001, 1, 30), date(2014, 12, 31)),
    Instrument("KZ-CAO-2014", "KZ Code of Administrative Offences 2014", "КоАП РК 2014", date(2015, 1, 1)),
    Instrument("KZ-CC-1997", "KZ Criminal Code 1997", "УК РК 1997", date(1998, 1, 1), date(2014, 12, 31)),
    Instrument("KZ-CC-2014", "KZ Criminal Code 2014", "УК РК 2014", date(2015, 1, 1)),
    Instrument("KZ-CPC-1997", "KZ Code of Criminal Procedure 1997", "УПК РК 1997", date(1998, 1, 1), date(2014, 12, 31)),
    Instrument("KZ-CPC-2014", "KZ Code of Criminal Procedure 2014", "УПК РК 2014", date(2015, 1, 1)),
    Instrument("KZ-LC-2007", "KZ Labour Code 2007", "Трудовой кодекс РК 2007", date(2007, 5, 15), date(2015, 12, 31)),
    Instrument("KZ-LC-2015", "KZ Labour Code 2015", "Трудовой кодекс РК 2015", date(2016, 1, 1)),
    Instrument("KZ-ASSEMBLY-1995", "KZ Law on Peaceful Assemblies 1995", "Закон РК о мирных собраниях 1995", date(1995, 3, 17), date(2020, 6, 1)),
    Instrument("KZ-ASSEMBLY-2020", "KZ Law on Peaceful Assemblies 2020", "Закон РК о мирных собраниях 2020", date(2020, 6, 1)),
    Instrument("ICCPR", "ICCPR", "МПГПП", date(2006, 4, 24), international=True),
    Instrument("CAT", "CAT", "Конвенция против пыток", date(1998, 9, 25), international=True),
    Instrument("ILO-C87", "ILO Convention No. 87", "Конвенция МОТ № 87", date(2001, 12, 13), international=True),
    Instrument("ILO-C98", "ILO Convention No. 98", "Конвенция МОТ № 98", date(2002, 5, 18), international=True),
    Instrument("HRC-GC32", "UN Human Rights Committee General Comment No. 32", "Замечание общего порядка № 32 КПЧ ООН", international=True),
    Instrument("HRC-GC34", "UN Human Rights Committee General Comment No. 34", "Замечание общего порядка № 34 КПЧ ООН", international=True),
    Instrument("HRC-GC35", "UN Human Rights Committee General Comment No. 35", "Замечание общего порядка № 35 КПЧ ООН", international=True),
    Instrument("HRC-GC37", "UN Human Rights Committee General Comment No. 37", "Замечание общего порядка № 37 КПЧ ООН", international=True),
    Instrument("HRC-GC15", "UN Human Rights Committee General Comment No. 15", "Замечание общего порядка № 15 КПЧ ООН", international=True),
    Instrument("HRC-GC21", "UN Human Rights Committee General Comment No. 21", "Замечание общего порядка № 21 КПЧ ООН", international=True),
    Instrument("HRC-GC27", "UN Human Rights Committee General Comment No. 27", "Замечание общего порядка № 27 КПЧ ООН", international=True),
    Instrument("HRC-GC31", "UN Human Rights Committee General Comment No. 31", "Замечание общего порядка № 31 КПЧ ООН", international=True),
    Instrument("HRC-GC36", "UN Human Rights Committee General Comment No. 36", "Замечание общего порядка № 36 КПЧ ООН", international=True),
    Instrument("CAT-GC2", "UN Committee against Torture General Comment No. 2", "Замечание общего порядка № 2 КПП ООН", international=True),
    Instrument("CAT-GC3", "UN Committee against Torture General Comment No. 3", "Замечание общего порядка № 3 КПП ООН", international=True),
    Instrument("ICCPR-OP1", "Optional Protocol to the ICCPR", "Факультативный протокол к МПГПП", date(2009, 9, 30), international=True),
    Instrument("CAT-GC4", "UN Committee against Torture General Comment No. 4", "Замечание общего порядка № 4 КПП ООН", international=True),
    Instrument("HRC-GC20", "UN Human Rights Committee General Comment No. 20", "Замечание общего порядка № 20 КПЧ ООН", international=True),
    Instrument("HRC-GC22", "UN Human Rights Committee General Comment No. 22", "Замечание общего порядка № 22 КПЧ ООН", international=True),
    Instrument("HRC-GC23", "UN Human Rights Committee General Comment No. 23", "Замечание общего порядка № 23 КПЧ ООН", international=True),
    Instrument("ILO-CFA-DIGEST", "ILO Committee on Freedom of Association, Digest of decisions", "Сборник решений Комитета МОТ по свободе объединения", international=True),
    Instrument("ECTHR", "European Court of Human Rights case law", "Практика ЕСПЧ", international=True),
    # A declaration, not a treaty: no State ratifies it, so it has no row in the treaty table and binds no State
    # from a date of its own. The Working Group on Arbitrary Detention applies it to every UN member State
    # (category II of its methods of work); its rules are evaluative and never give `violation` (docs/states.md).
    Instrument("UDHR", "UDHR", "ВДПЧ", date(1948, 12, 10), international=True),
    Instrument("WGAD", "UN Working Group on Arbitrary Detention, methods of work and opinions",
               "Рабочая группа ООН по произвольным задержаниям, методы работы и мнения", international=True),
]
INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in _TABLE}


def citation_string(instrument: str, article=None, part=None, paragraph=None, subparagraph=None, lang: str = "en") -> str:
    """``ICCPR art. 14(3)(d)``, ``KZ Code of Administrative Offences 2001 art. 373(3)``."""
    known = INSTRUMENTS.get(instrument)
    name = (known.name_ru if lang == "ru" else known.name_en) if known else instrument
    if not article:
        return name
    text = f"{name} {'ст.' if lang == 'ru' else 'art.'} {article}"
    for piece in (part, paragraph, subparagraph):
        if piece:
            text += f"({piece})"
    return text
