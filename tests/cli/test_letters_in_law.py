"""The letters right in law, second pass, each read back from its .docx: who is copied on a
warning notice today and before 2016, where representations went under each section's old
regime, what an unheeded notice leads to in the statute's order, titles that follow the
letter's date, and a copy to a body nobody has named stopping the notice rather than being
recorded as sent."""

from __future__ import annotations

from tests.cli.support import LEAD, NOTICE, advance, open_case
from tests.cli.support import made as _made
from tests.cli.test_documents import text_of
from tests.conftest import Scc, dump

PAY = ["grounds=pay_order_not_complied", "reasons=Teachers underpaid", "required_action=Pay the arrears",
       "minded_to=appoint additional governors", "section=s60A"]


def test_a_2012_s60a_notice_sends_representations_to_the_authority_within_15_working_days(la: Scc) -> None:
    case = open_case(la, on="2012-01-09")
    text = text_of(_made(advance(la, case, "issue_warning_notice", "2012-02-01", *PAY, "compliance_days=15"), "warning_notice"))
    assert "within 15 working days" in text and "by Wednesday 22 February 2012" in text
    assert "make representations against this notice to Riverford Council, which may confirm the notice or not" in text
    assert "representations against this notice to Her Majesty's Chief Inspector" not in text


def test_a_2026_notice_is_copied_to_the_chief_inspector_and_the_secretary_of_state(la: Scc) -> None:
    case = open_case(la)
    shown = advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    text = text_of(_made(shown, "warning_notice"))
    assert "His Majesty's Chief Inspector of Education, Children's Services and Skills: to be sent when this notice is issued" in text
    assert "The Secretary of State for Education (Regional Director, South West): to be sent when this notice is issued" in text
    assert "Her Majesty's" not in text and "Representations" not in text


def test_a_2015_letter_says_her_majestys_throughout(la: Scc) -> None:
    case = open_case(la, on="2015-02-02")
    base = [n for n in NOTICE if not n.startswith("compliance_days")]
    text = text_of(_made(advance(la, case, "issue_warning_notice", "2015-03-02", *base, "compliance_days=15"), "warning_notice"))
    assert "representations against this notice to Her Majesty's Chief Inspector" in text
    assert "Her Majesty's Chief Inspector of Education, Children's Services and Skills: to be sent when this notice is issued" in text
    assert "His Majesty's" not in text and "Secretary of State" not in text


def test_an_unheeded_notice_leads_to_intervention_in_the_statutes_order(la: Scc) -> None:
    case = open_case(la)
    text = text_of(_made(advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE), "warning_notice"))
    said = text.index("minded to appoint additional governors")
    notice_first = text.index("reasonable notice in writing", said)
    assert notice_first < text.index("eligible for intervention", said)


def test_a_copy_to_a_body_nobody_has_named_stops_the_notice(la: Scc, refused, db_url: str) -> None:  # type: ignore[no-untyped-def]
    la("school", "add", "--urn", "100008", "--name", "Mill Foundation School", "--type", "foundation", "--phase", "Primary",
       "--la", "Riverford", "--as", LEAD)  # a foundation school whose record names no appointer of its foundation governors
    case = open_case(la, "100008")
    error = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-10-05", "--as", LEAD,
                    *sum((["--set", s] for s in NOTICE), []))
    assert "names no person who appoints the foundation governors" in error and "foundation_body" in error
    shown = advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE, "foundation_body=The Mill Foundation Trust")
    text = text_of(_made(shown, "warning_notice"))
    assert "The Mill Foundation Trust: to be sent when this notice is issued" in text
    assert "The person who appoints the foundation governors" not in text
    school = next(row for row in dump(db_url)["school"] if "100008" in row)
    assert "The Mill Foundation Trust" in school  # the school's record has it now, for the next letter


def _categorised(la: Scc, urn: str) -> str:
    case = open_case(la, urn)
    shown = advance(la, case, "record_inspection_category", "2026-10-05", "category=special_measures",
                    "report_published_on=2026-10-02")
    return text_of(_made(shown, "category_letter"))


def test_the_category_letter_names_who_gets_the_statement_by_the_schools_type(la: Scc) -> None:
    community = _categorised(la, "100001")
    assert ("The authority will prepare its statement of action by Friday 16 October 2026 and send it to: "
            "His Majesty's Chief Inspector of Education, Children's Services and Skills.") in community
    aided = _categorised(la, "100002")  # voluntary aided: the appointer and, if different, the appointing authority
    assert ("send it to: His Majesty's Chief Inspector of Education, Children's Services and Skills; Riverford Diocesan "
            "Board; The Diocesan Board of Education for the Diocese of Riverford.") in aided


def test_a_statement_of_action_promises_only_the_monitoring_its_playbook_has(la: Scc) -> None:
    england = open_case(la)
    advance(la, england, "add_priority", "2026-09-20", "title=Reading", "success_criteria=80% at expected",
            "lead=Head", "target_on=2027-03-01", "resources=IP days")
    shown = advance(la, england, "submit_statement_of_action", "2026-09-21", "target_removal_on=2027-07-01",
                    "summary=Plan", "parents_arrangements=A parents' meeting")
    text = text_of(_made(shown, "statement_of_action"))
    assert "Targeted Intervention Group meetings" in text and "Yours sincerely" not in text
    assert "Signed for Riverford Council" in text
    central = la.json("case", "open", "100004", "--reason", "r", "--on", "2026-09-14", "--lead", LEAD,
                      "--playbook", "central-south", "--calendar", "glanmor")["id"]
    advance(la, central, "add_priority", "2026-09-20", "title=Reading", "success_criteria=80% at expected",
            "lead=Head", "target_on=2027-03-01", "resources=Challenge adviser days")
    shown = advance(la, central, "submit_statement_of_action", "2026-09-21", "target_removal_on=2027-07-01",
                    "summary=Plan", "parents_arrangements=A parents' meeting")
    text = text_of(_made(shown, "statement_of_action"))
    assert "Targeted Intervention Group" not in text and "progress reviews" in text


def test_a_staffordshire_stage_1_letter_says_the_stage_in_words_and_the_termly_visits(la: Scc) -> None:
    case = la.json("case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--lead", LEAD,
                   "--playbook", "staffordshire")["id"]
    advance(la, case, "start_diagnosis", "2026-09-15")
    text = text_of(_made(advance(la, case, "conclude_diagnosis", "2026-09-25", "level=stage_1", "reasons=a watching brief"),
                         "causing_concern_notification"))
    assert "Stage 1" in text and "stage_1" not in text
    assert "monitor progress through improvement partner visits and progress reviews." in text
    assert "core group" not in text


def test_a_welsh_notice_gives_all_six_grounds_in_the_acts_words_and_speaks_of_the_power_to_intervene(la: Scc) -> None:
    case = la.json("case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--playbook", "wales",
                   "--calendar", "glanmor", "--as", LEAD)["id"]
    grounds = ",".join(f"ground_{n}" for n in range(1, 7))
    text = text_of(_made(advance(la, case, "issue_warning_notice", "2026-10-01", f"grounds={grounds}", "reasons=Low standards",
                                 "required_action=Act", "compliance_days=15", "minded_to=appoint additional governors"),
                         "warning_notice"))
    assert "section 3 of the School Standards and Organisation (Wales) Act 2013" in text
    assert "Ground 4: the safety of pupils or staff at the school is threatened (whether by a breakdown of discipline or otherwise)" in text
    assert all(f"Ground {n}:" in text for n in range(1, 7))
    assert "the authority may exercise its power to intervene" in text and "eligible for intervention" not in text
    assert "Welsh Ministers" in text and "Chief Inspector" not in text


def test_a_tig_agenda_without_a_chair_on_record_says_so_once(la: Scc) -> None:
    case = open_case(la, "100003")  # Hill Academy: no chair on record
    text = text_of(la.json("doc", "render", str(case), "tig_agenda", "--as", LEAD)["path"])
    assert "the Chair of Governors" in text and "(Chair of Governors)" not in text


def test_a_welsh_notice_of_intention_speaks_of_the_power_to_intervene(la: Scc) -> None:
    case = la.json("case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--playbook", "wales",
                   "--calendar", "glanmor", "--as", LEAD)["id"]
    advance(la, case, "issue_warning_notice", "2026-10-01", "grounds=ground_1", "reasons=Low standards",
            "required_action=Act", "compliance_days=5", "minded_to=appoint additional governors")
    advance(la, case, "record_non_compliance", "2026-10-12", "evidence=Still low")
    shown = advance(la, case, "give_notice_of_intention", "2026-10-13", "powers=s6", "reasons=Standards still low")
    text = text_of(_made(shown, "notice_of_intention"))
    assert "the authority may exercise its power to intervene (section 4)" in text and "eligible" not in text
    assert la.json("case", "show", str(case))["stage_title"] != "Eligible for intervention"


def test_an_english_notice_of_intention_makes_the_school_eligible_with_it_not_before(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    advance(la, case, "record_non_compliance", "2026-10-30", "evidence=No progress")
    text = text_of(_made(advance(la, case, "give_notice_of_intention", "2026-11-02", "powers=s64", "reasons=r"),
                         "notice_of_intention"))
    assert "therefore eligible" not in text
    assert text.index("proposes to use its powers") < text.index("With this notice, the school is eligible for intervention.")


def test_an_academy_concern_letter_goes_to_its_trust(la: Scc) -> None:
    case = open_case(la, "100003")  # Hill Academy, whose record names its trust
    shown = advance(la, case, "send_academy_concern_letter", "2026-09-20", "concerns=Attendance falling",
                    "required_action=An attendance plan", "timescale_days=20", "support=Attendance adviser")
    text = text_of(_made(shown, "concern_letter"))
    assert "The Chair of Trustees\nHill Learning Trust\nTrust House\n1 Hill Road\nRiverford RF9 9TT" in text
    assert "Dear Chair of Trustees," in text and "an academy of Hill Learning Trust" in text
    assert "We ask the trust to take this action within 20 school days, that is by Friday 16 October 2026." in text
    assert "governing body" not in text.lower() and "Chair of Governors" not in text


def test_an_academy_with_no_trust_on_record_stops_its_letter_until_the_trust_is_named(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    la("school", "add", "--urn", "100009", "--name", "Vale Academy", "--type", "academy", "--phase", "Primary",
       "--la", "Riverford", "--as", LEAD)
    case = open_case(la, "100009")
    letter = ["concerns=Attendance falling", "required_action=An attendance plan", "timescale_days=20", "support=Adviser"]
    error = refused("case", "advance", str(case), "send_academy_concern_letter", "--on", "2026-09-20", "--as", LEAD,
                    *sum((["--set", s] for s in letter), []))
    assert "names no academy trust" in error and "give trust" in error
    shown = advance(la, case, "send_academy_concern_letter", "2026-09-20", *letter, "trust=Vale Schools Trust",
                    "trust_address=2 Vale Street, Riverford RF8 8VV")
    assert "The Chair of Trustees\nVale Schools Trust\n2 Vale Street" in text_of(_made(shown, "concern_letter"))
    school = next(s for s in la.json("school", "list", "--as", LEAD) if s["urn"] == "100009")
    assert (school["trust"], school["trust_address"]) == ("Vale Schools Trust", "2 Vale Street, Riverford RF8 8VV")


def _welsh_category(la: Scc, published: str, on: str) -> str:
    case = la.json("case", "open", "100001", "--reason", "r", "--on", published, "--playbook", "wales",
                   "--calendar", "glanmor", "--as", LEAD)["id"]
    shown = advance(la, case, "record_inspection_category", on, "category=special_measures", f"report_published_on={published}")
    return text_of(_made(shown, "category_letter"))


def test_a_welsh_category_letter_counts_the_post_inspection_plan_by_the_welsh_regulations(la: Scc) -> None:
    text = _welsh_category(la, "2026-10-02", "2026-10-05")
    # 20 working days after Friday 2 October 2026 (Glanmor's half-term does not stop working days).
    assert ("The governing body must prepare its post-inspection action plan, and the authority its statement of the "
            "action it proposes, by Friday 30 October 2026. The authority will send its statement to: Estyn") in text
    assert "10 working days" not in text and "Chief Inspector of Education, Children's Services" not in text


def test_a_welsh_report_before_september_2014_gave_the_school_45_working_days(la: Scc) -> None:
    text = _welsh_category(la, "2014-03-03", "2014-03-04")
    # 45 working days after Monday 3 March 2014, over Good Friday, Easter Monday and the May Day bank holiday.
    assert "post-inspection action plan, and the authority its statement of the action it proposes, by Thursday 8 May 2014" in text


def test_a_voluntary_aided_school_counts_on_its_own_term_dates(la: Scc, config, refused) -> None:  # type: ignore[no-untyped-def]
    own = (config / "calendars" / "riverford.toml").read_text(encoding="utf-8")
    own = own.replace('name = "Riverford 2026-28"', 'name = "St Mary and St John 2026-28"').replace(
        "half_term = { start = 2026-10-26, end = 2026-10-30 }", "half_term = { start = 2026-10-05, end = 2026-10-16 }")
    (config / "calendars" / "st-mary-st-john.toml").write_text(own, encoding="utf-8")
    assert "no calendar 'atlantis'" in refused("school", "record", "100002", "--calendar", "atlantis", "--as", LEAD)
    la("school", "record", "100002", "--calendar", "st-mary-st-john", "--as", LEAD)
    # 10 inspection-basis days after Friday 2 October 2026: on the authority's calendar Friday 16 October;
    # on the school's own, whose two-week October holiday is longer than a week and so not counted, Friday 30 October.
    community = _categorised(la, "100001")
    aided = _categorised(la, "100002")
    assert "statement of action by Friday 16 October 2026" in community
    assert "statement of action by Friday 30 October 2026" in aided
