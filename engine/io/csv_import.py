"""Import proceedings from a spreadsheet (one row per proceeding) into case files that validate.

The columns are documented in ``docs/reports.md``.
"""
from __future__ import annotations

import csv
import io
import os
import re


from engine.io.errors import InputError, InputErrors
from engine.io.yamlio import dump_text

# --- CSV import ----------------------------------------------------------------------------------

IMPORT_COLUMNS = {
    # column: (what it is, where it goes)
    "case_id": "case id (rows with the same case_id make one case file) — required",
    "case_title": "case title",
    "source_id": "id of the source of the row's facts (default s1)",
    "source_title": "title of that source",
    "source_url": "URL of that source",
    "status": "status of the row's facts: established, observed, reported (default), alleged, disputed",
    "person_id": "person id (default: made from the row number)",
    "person_name": "person's name as the source spells it — required",
    "person_name_ru": "person's name in Russian",
    "person_role": "free text: strike leader, union lawyer, ...",
    "person_kind": "individual, organisation or group (people proceeded against together, not named one by one)",
    "person_count": "for a group: how many people",
    "person_nationality": "ISO 3166 code of the person's nationality (KZ, UZ, ...)",
    "person_minority": "the ethnic, religious or linguistic minority the person belongs to, as the source names it",
    "incident_id": "incident id (rows with the same incident_id share the incident)",
    "incident_kind": "assembly, strike, speech, publication, dispersal, arrest, attack, inspection, other",
    "incident_date": "date of the incident (2011-12-16)",
    "incident_place": "place of the incident",
    "incident_peaceful": "yes / no / unknown",
    "incident_form": "meeting, rally, march, demonstration, picket, strike, other (the form of the event)",
    "incident_association_activity": "yes / no / unknown: the conduct was activity in or for an association",
    "proceeding_id": "proceeding id (default: kind and row number)",
    "proceeding_kind": "administrative, criminal, labour, civil, psychiatric, migration, expulsion, unknown — required",
    "role": "the person's role in the incident: organiser, participant, speaker, bystander, journalist, monitor, other",
    "charge_notified_at": "when told of the charge (a time, or never)",
    "deprived_of_liberty": "yes / no / unknown: held at any point (leave empty when custody columns say it)",
    "court": "court",
    "charge_code": "KZ-CAO-2001, KZ-CC-1997, ... (several charges: separate with ';')",
    "charge_article": "article (with ';' as in charge_code)",
    "charge_part": "part (with ';' as in charge_code)",
    "charge_outcome": "convicted, acquitted, dismissed, pending (with ';' as in charge_code)",
    "charge_charged_at": "when charged under it (with ';' as in charge_code; empty: from the start)",
    "charge_until": "when the charge was dropped or reclassified (with ';' as in charge_code; empty: it stood)",
    "custody_start": "when detained (2011-09-08T10:00, 2011-09-08, bounds 2011-09-08T06:00/2011-09-08T12:00, "
                     "~2011-09-08T20:20 for about)",
    "custody_end": "when released",
    "custody_basis": "administrative_detention, suspect_detention, pretrial_custody, administrative_arrest, "
                     "sentence, other",
    "before_judge": "when first brought before a judge (never if never)",
    "custody_warrant_at": "when a warrant, order or court sanction for the custody was issued (one per row)",
    "custody_warrant_by": "who issued it: court, prosecutor, investigator, police, other",
    "custody_warrant_kind": "arrest_warrant, detention_order, custody_sanction, extension, other",
    "custody_exceptional_ground": "CPC 1997 art. 150(1) ground for custody on a lesser charge: no_residence, "
                                  "identity_unknown, measure_breached, absconded, none",
    "interrogation_at": "when the person was questioned (one interrogation per row)",
    "interrogation_lawyer_requested": "yes / no / unknown: asked for a lawyer for the questioning",
    "interrogation_lawyer_present": "yes / no / unknown: a lawyer took part in the questioning",
    "hearing_date": "date of the hearing",
    "hearing_public": "yes / no / unknown",
    "lawyer_present": "yes / no / unknown",
    "lawyer_requested": "yes / no / unknown",
    "hearing_attendance": "how the accused took part: in_person, video_link, absent",
    "decision_date": "date of the decision",
    "decision_outcome": "convicted, acquitted, penalised, dismissed, granted, rejected",
    "sanction_kind": "warning, fine, arrest, prison, ... (one sanction per row)",
    "sanction_amount": "fine amount",
    "sanction_currency": "currency of the fine (KZT)",
    "sanction_mci": "fine in monthly calculation indices",
    "sanction_days": "arrest days",
    "sanction_months": "prison months",
    "note": "free text, kept as a note of the proceeding",
}
REQUIRED = ("case_id", "person_name", "proceeding_kind")
_TRUE = {"yes", "true", "1", "y", "да"}
_FALSE = {"no", "false", "0", "n", "нет"}
_UNKNOWN = {"", "unknown", "?", "неизвестно"}


def _bool(value: str, column: str, where: InputError):
    v = value.strip().lower()
    if v in _UNKNOWN:
        return None
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise InputError(where.path, f"column {column}: {value!r} is not yes, no or unknown", where.line)


def _number(value: str, column: str, where: InputError):
    v = value.strip().replace(" ", "").replace(",", ".")
    if v.lower() in _UNKNOWN:
        return None
    try:
        number = float(v)
    except ValueError:
        raise InputError(where.path, f"column {column}: {value!r} is not a number", where.line) from None
    return int(number) if number.is_integer() else number


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]
    return slug if slug and re.match(r"^[a-z0-9]", slug) else fallback


def read_csv_rows(path: str) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        raise InputErrors([InputError(path, f"cannot read: {err.strerror}")]) from None
    from engine.io.yamlio import decode

    text = decode(path, raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise InputErrors([InputError(path, "empty CSV: expected a header row (case_id, person_name, ...)", 1)])
    reader.fieldnames = header
    unknown = [h for h in header if h not in IMPORT_COLUMNS]
    errors = []
    for h in unknown:
        import difflib

        close = difflib.get_close_matches(h, list(IMPORT_COLUMNS), n=1)
        errors.append(InputError(path, f"unknown column {h!r}" + (f" (did you mean {close[0]!r}?)" if close else ""), 1))
    missing = [c for c in REQUIRED if c not in header]
    errors += [InputError(path, f"required column {c!r} is missing", 1) for c in missing]
    if errors:
        raise InputErrors(errors)
    rows = []
    try:
        for row in reader:
            if None in row:
                raise InputErrors([InputError(path, "more cells than columns in the header", reader.line_num)])
            if not any((v or "").strip() for v in row.values()):
                continue
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as err:
        raise InputErrors([InputError(path, f"invalid CSV: {err}", reader.line_num)]) from None
    return header, rows


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";")] if value.strip() else []


def _row_to_proceeding(path: str, line: int, n: int, row: dict, case: dict, positions: dict) -> None:
    where = InputError(path, "", line)
    for column in REQUIRED:
        if not row.get(column):
            raise InputError(path, f"column {column}: required", line)
    status = row.get("status") or None
    source_id = row.get("source_id") or "s1"
    if not any(s["id"] == source_id for s in case["sources"]):
        source = {"id": source_id, "title": row.get("source_title") or f"Imported from {os.path.basename(path)}"}
        if row.get("source_url"):
            source["url"] = row["source_url"]
        case["sources"].append(source)

    def fact(value):
        """A fact with this row's source (and status when the row gives one)."""
        if value is None:
            return None
        defaults = case["defaults"]
        if source_id == defaults.get("source") and (not status or status == defaults.get("status")):
            return value  # the file's defaults say where it comes from
        out = {"value": value, "source": source_id}
        if status:
            out["status"] = status
        return out

    def text(column):
        return fact(row[column]) if row.get(column) and row[column].lower() not in _UNKNOWN else None

    person_id = row.get("person_id") or _slug(row["person_name"], f"person-{line}")
    if not any(p["id"] == person_id for p in case["people"]):
        person = {"id": person_id, "name": row["person_name"]}
        for column, key in (("person_name_ru", "name_ru"), ("person_role", "role")):
            if row.get(column):
                person[key] = row[column]
        if row.get("person_kind"):
            person["kind"] = row["person_kind"].lower()
        count = _number(row.get("person_count", ""), "person_count", where)
        if count is not None:
            person["count"] = fact(count)
        if text("person_nationality"):
            person["nationality"] = text("person_nationality")
        if text("person_minority"):
            person["minority"] = text("person_minority")
        case["people"].append(person)
    kind = row["proceeding_kind"].lower()
    proc = {"id": row.get("proceeding_id") or f"{_slug(kind, 'proceeding')}-{line}", "kind": kind, "person": person_id}
    if row.get("incident_id") or row.get("incident_kind") or row.get("incident_date"):
        incident_id = row.get("incident_id") or f"incident-{line}"
        if not any(i["id"] == incident_id for i in case["incidents"]):
            incident = {"id": incident_id, "kind": (row.get("incident_kind") or "other").lower()}
            if text("incident_date"):
                incident["date"] = text("incident_date")
            if row.get("incident_place"):
                incident["place"] = row["incident_place"]
            peaceful = _bool(row.get("incident_peaceful", ""), "incident_peaceful", where)
            if peaceful is not None:
                incident["peaceful"] = fact(peaceful)
            if text("incident_form"):
                incident["form"] = fact(row["incident_form"].lower())
            association = _bool(row.get("incident_association_activity", ""), "incident_association_activity", where)
            if association is not None:
                incident["association_activity"] = fact(association)
            case["incidents"].append(incident)
        proc["incident"] = incident_id
    if row.get("court"):
        proc["court"] = row["court"]
    for column in ("role", "charge_notified_at"):
        if text(column):
            proc[column] = fact(row[column].lower() if column == "role" else row[column])
    held = _bool(row.get("deprived_of_liberty", ""), "deprived_of_liberty", where)
    if held is not None:
        proc["deprived_of_liberty"] = fact(held)
    elif (row.get("deprived_of_liberty") or "").strip().lower() == "unknown":
        proc["deprived_of_liberty"] = "unknown"
    codes, articles, parts, outcomes, since, until = (
        _split(row.get(c, "")) for c in ("charge_code", "charge_article", "charge_part", "charge_outcome",
                                         "charge_charged_at", "charge_until"))
    if len(articles) != len(codes) or any(extra and len(extra) != len(codes)
                                          for extra in (parts, outcomes, since, until)):
        raise InputError(path, "columns charge_code, charge_article (and charge_part, charge_outcome, "
                               "charge_charged_at, charge_until) need the same number of ';'-separated items", line)
    proc["charges"] = []
    for i, (c, a) in enumerate(zip(codes, articles)):
        charge = {k: v for k, v in (("code", c), ("article", a)) if v and v.lower() not in _UNKNOWN}
        if parts and parts[i]:
            charge["part"] = parts[i]
        if outcomes and outcomes[i] and outcomes[i].lower() not in _UNKNOWN:
            charge["outcome"] = fact(outcomes[i].lower())
        for key, values in (("charged_at", since), ("until", until)):
            if values and values[i] and values[i].lower() not in _UNKNOWN:
                charge[key] = fact(values[i])
        proc["charges"].append(charge)
    custody = {k: text(c) for k, c in (("start", "custody_start"), ("end", "custody_end"),
                                       ("basis", "custody_basis"), ("before_judge", "before_judge"))}
    custody = {k: v for k, v in custody.items() if v is not None}
    if text("custody_exceptional_ground"):
        custody["exceptional_ground"] = fact(row["custody_exceptional_ground"].lower())
    warrant = {"at": text("custody_warrant_at")}
    for column, key in (("custody_warrant_by", "by"), ("custody_warrant_kind", "kind")):
        if text(column):
            warrant[key] = fact(row[column].lower())
    warrant = {k: v for k, v in warrant.items() if v is not None}
    if warrant:
        custody["warrants"] = [warrant]
    if custody:
        proc["custody"] = [custody]
    act = {"kind": "interrogation", "at": text("interrogation_at")}
    for column, key in (("interrogation_lawyer_requested", "lawyer_requested"),
                        ("interrogation_lawyer_present", "lawyer_present")):
        act[key] = fact(_bool(row.get(column, ""), column, where))
    act = {k: v for k, v in act.items() if v is not None}
    if len(act) > 1:
        proc["investigative_acts"] = [act]
    hearing = {"date": text("hearing_date")}
    if text("hearing_attendance"):
        hearing["attendance"] = fact(row["hearing_attendance"].lower())
    for column in ("hearing_public", "lawyer_present", "lawyer_requested"):
        value = _bool(row.get(column, ""), column, where)
        hearing["public" if column == "hearing_public" else column] = fact(value)
    hearing = {k: v for k, v in hearing.items() if v is not None}
    if hearing:
        proc["hearings"] = [hearing]
    decision = {k: text(c) for k, c in (("date", "decision_date"), ("outcome", "decision_outcome"))}
    decision = {k: v for k, v in decision.items() if v is not None}
    if row.get("sanction_kind"):
        sanction = {"kind": row["sanction_kind"].lower()}
        for column, key in (("sanction_amount", "amount"), ("sanction_mci", "mci"), ("sanction_days", "days"),
                            ("sanction_months", "months")):
            value = _number(row.get(column, ""), column, where)
            if value is not None:
                sanction[key] = fact(value)
        if row.get("sanction_currency"):
            sanction["currency"] = row["sanction_currency"]
        decision["sanctions"] = [sanction]
    if decision:
        proc["decision"] = decision
    if row.get("note"):
        proc["notes"] = [{"text": row["note"], "source": source_id}]
    positions[("proceedings", len(case["proceedings"]))] = (line, 1)
    case["proceedings"].append(proc)


def import_csv(path: str) -> dict[str, str]:
    """{case id: YAML text} for every case in the CSV; every case is validated before anything is returned."""
    from engine.io.load import load_case_document
    from engine.io.yamlio import Document

    _, rows = read_csv_rows(path)
    if not rows:
        raise InputErrors([InputError(path, "no data rows after the header", 2)])
    cases: dict[str, tuple[dict, dict]] = {}
    errors: list[InputError] = []
    for n, (line, row) in enumerate(rows):
        case_id = row.get("case_id", "")
        if case_id and case_id not in cases:
            cases[case_id] = ({"id": case_id, **({"title": row["case_title"]} if row.get("case_title") else {}),
                               "sources": [],
                               "defaults": {"source": row.get("source_id") or "s1",
                                            "status": row.get("status") or "reported"}, "people": [], "incidents": [],
                               "proceedings": []}, {(): (line, 1)})
        try:
            if not case_id:
                raise InputError(path, "column case_id: required", line)
            _row_to_proceeding(path, line, n, row, *cases[case_id])
        except InputError as err:
            errors.append(err)
    out = {}
    for case_id, (data, positions) in cases.items():
        if not data["incidents"]:
            del data["incidents"]
        try:
            load_case_document(Document(path, data, positions))
        except InputErrors as many:
            errors += many.errors
            continue
        except InputError as err:
            errors.append(err)
            continue
        header = (f"# Imported from {os.path.basename(path)} by trialcheck import-csv; check it with "
                  f"`trialcheck validate` and complete it by hand.\n")
        out[case_id] = header + dump_text(data, width=100)
    if errors:
        raise InputErrors(errors)
    return out


def write_cases(texts: dict[str, str], folder: str, overwrite: bool = False) -> list[str]:
    """Write every case file (atomically each); refuse to overwrite existing files unless asked."""
    from engine.io.output import write_atomic

    os.makedirs(folder, exist_ok=True)
    targets = {case_id: os.path.join(folder, f"{case_id}.yaml") for case_id in texts}
    existing = [p for p in targets.values() if os.path.exists(p)]
    if existing and not overwrite:
        raise InputErrors([InputError(p, "exists already (use --force to replace it)") for p in existing])
    for case_id, target in targets.items():
        write_atomic(target, texts[case_id])
    return sorted(targets.values())
