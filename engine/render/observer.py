"""The observer's workflow: start a case file, and list what is still unknown as questions for the next hearing."""
from __future__ import annotations

import re

from engine.io.errors import InputError

DEFAULT_SCHEMA = "https://raw.githubusercontent.com/trialcheck/trialcheck/main/schemas/case.schema.json"

SKELETON = """\
# yaml-language-server: $schema={schema}
# A trialcheck case file. Write what the sources say; leave out (or write `unknown`) what they do not.
# Check it with:  trialcheck validate {file}      Find violations:  trialcheck check {file}
# Every fact may carry its provenance:  public: {{value: false, source: s1, status: observed, quote: "..."}}
# status: established (court record) | observed (a monitor saw it) | reported | alleged | disputed
# Times are timestamps, never durations: 2011-09-08T10:00, or 2011-09-08 when the hour is unknown;
# bounds {{after: 2011-12-16T06:00, before: 2011-12-16T12:00}}, {{about: 2011-12-16T20:20}}, or never
# (the event did not happen: never brought before a judge, never told of the charge).
id: {case_id}
title: {title}
summary: >-
  One or two sentences: who, what happened, which proceedings.
sources:
  - id: s1
    title: Where the facts come from (a court decision, a monitor's notes, an NGO report)
    # date: 2011-12-20
    # author: ...
    # url: https://...
defaults: {{source: s1, status: reported}}   # applies to every fact that does not say otherwise
people:
  - id: person-1
    name: Full Name as the source spells it
    # name_ru: Имя по-русски
    # role: trade union lawyer
    # union_member: true
    # nationality: KZ
    # minority: Tajik       # an ethnic, religious or linguistic minority the source says the person belongs to
    # kind: group           # people proceeded against together, not named one by one
    # count: 30
incidents:
  - id: incident-1
    kind: other             # write what happened: assembly | strike | speech | publication | petition | dispersal | arrest | attack | inspection | other
    date: unknown           # e.g. 2011-12-16
    # place: Zhanaozen, central square
    # peaceful: true
    # authorised: false
    # spontaneous: false    # a direct response to events, no time to give notice
    # form: rally           # meeting | rally | march | demonstration | picket | strike | other
    # association_activity: true  # the conduct was founding, running, funding or acting for an association
proceedings:
  - id: proceeding-1
    kind: administrative    # administrative | criminal | labour | civil | psychiatric | migration | expulsion | unknown
    person: person-1
    incident: incident-1
    # court: Specialised administrative court of Zhanaozen
    # role: participant     # organiser | participant | speaker | bystander | journalist | monitor | other
    # charge_notified_at: 2011-09-08T12:00  # or never
    # file_access_at: never                 # when the defence could study the whole case file
    # deprived_of_liberty: unknown          # only when the source leaves open whether the person was held
    charges: []             # each charge as the source gives it; no placeholder, so nothing is judged on it:
    # - code: KZ-CAO-2001   # KZ-CAO-2001, KZ-CAO-2014, KZ-CC-1997, KZ-CC-2014, KZ-LC-2007, ...
    #   article: "373"
    #   part: "1"
    #   as_cited_in_source: "335"   # the article as the source wrote it, if the source is wrong
    #   outcome: convicted          # convicted | acquitted | dismissed | pending (per charge)
    #   description: separatism     # a charge known only by its name: leave code and article out
    #   charged_at: 2011-06-01      # when charged under it (left out: from the start)
    #   until: 2011-08-15           # when dropped or reclassified: the new charge is another item, charged_at that day
    custody:
      - start: unknown      # when the person was detained (delivered to the police)
        end: unknown        # when released (or when the court-ordered arrest began)
        basis: unknown      # administrative_detention | suspect_detention | pretrial_custody | administrative_arrest | sentence | other
        # delivered_at: ...                   # delivered to the police station, if the source gives it apart from the seizure
        # before_judge: 2011-09-09T15:00      # first brought before a judge
        # protocol_at: ...                    # detention protocol drawn up
        # relatives_told_at: ...
        # acknowledged: false                 # the police denied holding the person, at least at first
        # acknowledged_at: ...                # when they first acknowledged it (never: not while held)
        # lawyer_requested: true
        # lawyer_access_at: ...
        # rights_explained: false             # not told of their rights on detention
        # follows: custody-1                  # began when that period ended (leave start out)
        # stated_hours: 61                    # the length the source gives, when it gives no end
        # warrants:                           # each warrant, order or court sanction, successive ones included
        #   - {{at: 2011-09-08T12:00, by: prosecutor, kind: detention_order, hours: 72}}
        #   - {{at: 2011-09-11T10:00, by: court, kind: custody_sanction}}   # by: court | prosecutor | investigator | police | other
        # exceptional_ground: none            # CPC 1997 art. 150(1): no_residence | identity_unknown | measure_breached | absconded | none
    hearings:
      - date: unknown
        public: unknown
        lawyer_present: unknown
        # lawyer_requested: true
        # defendant_present: true
        # prosecutor_present: true            # a state prosecutor took part
        # attendance: in_person               # in_person | video_link | absent
        # could_follow: true                  # for a video link: could see, hear and follow the hearing
        # closure_ground: none                # if closed: state_secret | minor | ... | none | other
        # witnesses_requested: true
        # witnesses_refused: true
    decision:
      date: unknown
      outcome: unknown      # convicted | acquitted | penalised | dismissed | granted | rejected
      sanctions: []         # e.g. [{{kind: arrest, days: 15}}] or [{{kind: fine, mci: 50}}]
      # sanctioned: false   # no sanction at all (an empty list alone leaves it unknown)
    # appeals: [{{filed: ..., heard: ..., outcome: upheld}}]
    # allegations: [{{kind: torture, raised_in_court: true, investigated: false}}]
    #   more: complained_at, investigation_opened, investigated_by (same_unit | prosecutor | ...), reprisal, ...
    #   occurred: true (the treatment is a fact of the record), injuries_recorded: true,
    #   state_explanation: none | general_denial | account (how the authorities answered it)
    # investigative_acts: [{{kind: interrogation, at: 2011-09-08T21:59, as_role: suspect, lawyer_requested: true, lawyer_present: false}}]
    #   kind: interrogation | confrontation | search | identification | expert_examination | other;
    #   lawyer_of_choice_refused: true (the lawyer the person chose was kept out); custody: <custody id>
    # expression: [{{kind: speech, date: 2011-05-24, punished: true, relied_on: true}}]
    #   or {{kind: information_request, obstructed: true}} (information, access or accreditation refused);
    #   minority_culture: true (in a minority's language or culture)
    # notes: [{{text: "...", source: s1}}]
"""

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def skeleton(case_id: str, schema: str = DEFAULT_SCHEMA, file: str = "case.yaml") -> str:
    if not _ID.match(case_id) or len(case_id) > 80:
        raise InputError(case_id, "a case id is lowercase letters, digits, '-', '_' or '.', starting with a letter "
                                  "or digit (e.g. zhanaozen-2011-ivanov)")
    title = case_id.replace("-", " ").replace("_", " ").capitalize()
    return SKELETON.format(case_id=case_id, title=title, schema=schema, file=file)


def render_questions(report, lang: str = "en") -> str:
    """A Markdown checklist grouped by case and proceeding: each open question once per proceeding, with the
    missing facts in words (never a fact path) and the articles that need them."""
    from engine.render.grouping import with_questions
    from engine.render.labels import label

    out = [f"# {label('questions', lang)}", ""]
    asked = 0
    for case in report.cases:
        case = with_questions(case, lang)
        procs = [p for p in case.proceedings if p.questions]
        if not procs:
            continue
        out += [f"## {label('case', lang)} `{case.id}` ({case.file})", ""]
        for proc in procs:
            out += [f"### {label('proceeding', lang)} `{proc.id}` — {proc.person_name}", ""]
            citations = {f.rule: f.citations[0] for f in proc.findings}
            for q in proc.questions:
                asked += 1
                cited = "; ".join(dict.fromkeys(citations[r] for r in q.rules if r in citations))
                out.append(f"- [ ] {q.question}")
                out.append(f"  - {label('missing', lang)}: {'; '.join(q.about)} ({cited})")
            out.append("")
    if not asked:
        return label("no_questions", lang) + "\n"
    return "\n".join(out).rstrip() + "\n"
