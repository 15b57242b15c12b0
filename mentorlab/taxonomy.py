"""The shared vocabulary of a holistic-care mentorship program.

Cohort simulation, compatibility scoring and the validation of real intake files all
speak this vocabulary, so it lives in one place.  Everything here is plain data (tuples
and mappings of strings); nothing is random.

Topics
    One list of topics serves both sides of the match: mentors declare *expertise
    areas* and mentees declare *learning goals* from the same list, so overlap between
    the two is well defined.  Each specialty has a handful of *core* topics that its
    practitioners are most likely to teach or want to learn; the remaining topics are
    cross-cutting (practice business, ethics, self-care, ...).

Availability
    A week is cut into 21 slots (seven days x morning / afternoon / evening); people list
    the slots in which they could meet.
"""

from __future__ import annotations

from types import MappingProxyType

SPECIALTIES: tuple[str, ...] = (
    "acupuncture",
    "nutrition",
    "counselling",
    "massage_therapy",
    "yoga_therapy",
    "integrative_nursing",
)

TOPICS: tuple[str, ...] = (
    "acupuncture_techniques",
    "herbal_medicine",
    "clinical_nutrition",
    "counselling_skills",
    "trauma_informed_care",
    "bodywork_techniques",
    "pain_management",
    "yoga_therapeutics",
    "mindfulness_practice",
    "integrative_assessment",
    "care_coordination",
    "documentation",
    "practice_business",
    "ethics_and_boundaries",
    "cultural_competence",
    "self_care_and_burnout",
    "client_communication",
    "research_literacy",
)

# Topics a specialty's practitioners most often teach (mentors) or ask for (mentees).
CORE_TOPICS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "acupuncture": (
            "acupuncture_techniques",
            "herbal_medicine",
            "pain_management",
            "integrative_assessment",
        ),
        "nutrition": (
            "clinical_nutrition",
            "integrative_assessment",
            "client_communication",
            "research_literacy",
        ),
        "counselling": (
            "counselling_skills",
            "trauma_informed_care",
            "mindfulness_practice",
            "ethics_and_boundaries",
        ),
        "massage_therapy": (
            "bodywork_techniques",
            "pain_management",
            "trauma_informed_care",
            "self_care_and_burnout",
        ),
        "yoga_therapy": (
            "yoga_therapeutics",
            "mindfulness_practice",
            "trauma_informed_care",
            "bodywork_techniques",
        ),
        "integrative_nursing": (
            "care_coordination",
            "documentation",
            "integrative_assessment",
            "clinical_nutrition",
        ),
    }
)

# Topics that new practitioners ask about whatever their specialty.
EARLY_CAREER_TOPICS: tuple[str, ...] = (
    "practice_business",
    "self_care_and_burnout",
    "client_communication",
    "documentation",
)

PERSONALITY_TRAITS: tuple[str, ...] = (
    "openness",
    "conscientiousness",
    "extraversion",
    "agreeableness",
)

CAREER_STAGES: tuple[str, ...] = ("early_career", "developing", "established", "senior")
# Lower bounds (years in practice) of each stage after the first.
CAREER_STAGE_CUTS: tuple[float, ...] = (3.0, 8.0, 15.0)

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIODS: tuple[str, ...] = ("am", "pm", "eve")
SLOTS: tuple[str, ...] = tuple(f"{day}_{period}" for day in DAYS for period in PERIODS)

MEETING_FREQUENCIES: tuple[str, ...] = ("weekly", "biweekly", "monthly")
MEETINGS_PER_MONTH: MappingProxyType[str, float] = MappingProxyType(
    {"weekly": 4.0, "biweekly": 2.0, "monthly": 1.0}
)

COMMUNICATION_MODES: tuple[str, ...] = ("in_person", "video", "phone", "messaging")

DEMOGRAPHIC_GROUPS: tuple[str, ...] = ("group_a", "group_b", "group_c")

# Sites of a fictional regional network of clinics, studios and wellness centres,
# grouped in regions: proximity is "same site", "same region" or "elsewhere".
SITE_REGIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "harbour_wellness_centre": "coast",
        "seaview_integrative_clinic": "coast",
        "northgate_community_health": "north",
        "pinewood_yoga_studio": "north",
        "riverside_acupuncture_clinic": "north",
        "old_town_healing_collective": "central",
        "central_integrative_hospital": "central",
        "parkside_nutrition_practice": "central",
    }
)
SITES: tuple[str, ...] = tuple(SITE_REGIONS)
# Sites that specialise: practitioners of that specialty are over-represented there.
SITE_FOCUS: MappingProxyType[str, str] = MappingProxyType(
    {
        "pinewood_yoga_studio": "yoga_therapy",
        "riverside_acupuncture_clinic": "acupuncture",
        "central_integrative_hospital": "integrative_nursing",
        "parkside_nutrition_practice": "nutrition",
    }
)
REGIONS: tuple[str, ...] = tuple(dict.fromkeys(SITE_REGIONS.values()))

# How close two specialties are, for the specialty-alignment criterion: 1 for the same
# specialty, RELATED_SPECIALTY_CREDIT for neighbours that share techniques or clients.
RELATED_SPECIALTIES: tuple[tuple[str, str], ...] = (
    ("massage_therapy", "yoga_therapy"),  # body-based practice, movement
    ("massage_therapy", "acupuncture"),  # pain management
    ("counselling", "yoga_therapy"),  # mindfulness, trauma-informed work
    ("nutrition", "integrative_nursing"),  # clinical assessment, care plans
    ("acupuncture", "integrative_nursing"),  # integrative assessment in clinics
)
RELATED_SPECIALTY_CREDIT = 0.5

# How well two communication preferences fit (symmetric; 1 on the diagonal).
COMMUNICATION_FIT: MappingProxyType[tuple[str, str], float] = MappingProxyType(
    {
        ("in_person", "video"): 0.6,
        ("in_person", "phone"): 0.3,
        ("in_person", "messaging"): 0.2,
        ("video", "phone"): 0.6,
        ("video", "messaging"): 0.4,
        ("phone", "messaging"): 0.5,
    }
)

LIST_SEPARATOR = ";"


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated list cell into its items (empty cell -> empty list).

    Examples
    --------
    >>> split_list("pain_management;documentation")
    ['pain_management', 'documentation']
    """
    return [item for item in str(value).split(LIST_SEPARATOR) if item]


def career_stage_of(years: float) -> str:
    """Career stage implied by years in practice alone (the cohort adds reporting noise).

    Examples
    --------
    >>> career_stage_of(0.5), career_stage_of(10)
    ('early_career', 'established')
    """
    stage = sum(years >= cut for cut in CAREER_STAGE_CUTS)
    return CAREER_STAGES[stage]
