"""The Caliper 1.2 profile rules the JSON Schemas leave out (Caliper 1.2 §3, Appendix B-D).

``EVENT_RULES`` says, per event type, which actions its profile allows and which entity types
its ``object``, ``generated``, ``target`` and ``referrer`` may be when they are given inline (a
thinned IRI cannot be checked). ``EXTRA_PROPS``, ``BASES`` and ``OVERRIDES`` correct the
generated type table where the schemas are incomplete (empty Forum, Thread and Questionnaire
schemas) or looser than the model (Appendix C property tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Caliper 1.2 Appendix C: DigitalResource and its subtypes, collections included.
RESOURCES = (
    "AssignableDigitalResource Assessment AssessmentItem Chapter Document Frame LtiLink "
    "MediaLocation MediaObject AudioObject ImageObject VideoObject Message Page Question "
    "DateTimeQuestion MultiselectQuestion OpenEndedQuestion RatingScaleQuestion "
    "QuestionnaireItem Reading SurveyInvitation WebPage epubChapter epubPart epubSubChapter "
    "epubVolume DigitalResource DigitalResourceCollection Forum Thread Questionnaire Survey "
    "Collection"
)
AGENTS = (
    "Agent Person Organization SoftwareApplication CourseOffering CourseSection Group"
)
ANNOTATIONS = (
    "Annotation BookmarkAnnotation HighlightAnnotation SharedAnnotation TagAnnotation"
)
MEDIA = "MediaObject AudioObject ImageObject VideoObject"
RESPONSES = (
    "Response DateTimeResponse FillinBlankResponse MultiselectResponse MultipleChoiceResponse "
    "MultipleResponseResponse OpenEndedResponse RatingScaleResponse SelectTextResponse "
    "TrueFalseResponse"
)
CONTEXTS = f"{RESOURCES} SoftwareApplication"  # where a referrer may point


@dataclass(frozen=True, slots=True)
class EventRule:
    """What a profile allows of one event type."""

    actions: frozenset[str]
    entities: tuple[tuple[str, frozenset[str]], ...] = ()
    required: tuple[tuple[str, str], ...] = ()  # (action, property) the action needs


def _rule(
    actions: str, *, required: tuple[tuple[str, str], ...] = (), **entities: str
) -> EventRule:
    return EventRule(
        frozenset(actions.split()),
        tuple((k, frozenset(v.split())) for k, v in entities.items()),
        required,
    )


EVENT_RULES: dict[str, EventRule] = {
    # Caliper 1.2 §3.1 Annotation Profile.
    "AnnotationEvent": _rule(
        "Bookmarked Highlighted Shared Tagged",
        object=RESOURCES,
        generated=ANNOTATIONS,
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.2 Assessment Profile.
    "AssessmentEvent": _rule(
        "Started Paused Resumed Restarted Reset Submitted",
        object="Assessment",
        generated="Attempt",
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    "AssessmentItemEvent": _rule(
        "Started Skipped Completed",
        object="AssessmentItem",
        generated=f"Attempt {RESPONSES}",
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.3 Assignable Profile.
    "AssignableEvent": _rule(
        "Activated Deactivated Started Completed Submitted Reviewed",
        object="AssignableDigitalResource Assessment AssessmentItem",
        generated="Attempt",
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.4 Feedback Profile.
    "FeedbackEvent": _rule(
        "Commented Ranked",
        generated="Comment Rating",
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.5 Forum Profile.
    "ForumEvent": _rule("Subscribed Unsubscribed", object="Forum", referrer=CONTEXTS),
    "ThreadEvent": _rule(
        "MarkedAsRead MarkedAsUnread", object="Thread", referrer=CONTEXTS
    ),
    "MessageEvent": _rule(
        "Posted MarkedAsRead MarkedAsUnread",
        object="Message",
        generated=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.6 Grading Profile: the grader grades an Attempt and generates a Score.
    "GradeEvent": _rule(
        "Graded", object="Attempt", generated="Score", referrer=CONTEXTS
    ),
    # §3.7 Media Profile.
    "MediaEvent": _rule(
        "Started Ended Paused Resumed Restarted ForwardedTo JumpedTo ChangedResolution "
        "ChangedSize ChangedSpeed ChangedVolume EnabledClosedCaptioning "
        "DisabledClosedCaptioning EnteredFullScreen ExitedFullScreen Muted Unmuted "
        "OpenedPopout ClosedPopout",
        object=MEDIA,
        target="MediaLocation",
        referrer=CONTEXTS,
    ),
    # §3.8 Reading Profile and the General Profile's navigation and viewing.
    "NavigationEvent": _rule(
        "NavigatedTo",
        object=CONTEXTS,
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    "ViewEvent": _rule(
        "Viewed",
        # A ViewEvent of a Result belongs to the Grading Profile (§3.6).
        object=f"{RESOURCES} Result",
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.9 Resource Management Profile.
    "ResourceManagementEvent": _rule(
        "Archived Copied Created Deleted Described Downloaded Modified Printed Published "
        "Restored Retrieved Saved Unpublished Uploaded",
        object=RESOURCES,
        generated=RESOURCES,
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.10 Search Profile.
    "SearchEvent": _rule(
        "Searched", generated="SearchResponse", target=RESOURCES, referrer=CONTEXTS
    ),
    # §3.11 Session Profile.
    "SessionEvent": _rule(
        "LoggedIn LoggedOut TimedOut",
        object="SoftwareApplication Session",
        target=RESOURCES,
        referrer=CONTEXTS,
    ),
    # §3.12 Survey Profile.
    "SurveyEvent": _rule("OptedIn OptedOut", object="Survey", referrer=CONTEXTS),
    "SurveyInvitationEvent": _rule(
        "Accepted Declined Sent", object="SurveyInvitation", referrer=CONTEXTS
    ),
    "QuestionnaireEvent": _rule(
        "Started Submitted", object="Questionnaire", referrer=CONTEXTS
    ),
    "QuestionnaireItemEvent": _rule(
        "Started Skipped Completed",
        object="QuestionnaireItem",
        generated=RESPONSES,
        referrer=CONTEXTS,
    ),
    # §3.13 Tool Launch Profile: a launch carries the platform's LtiSession.
    "ToolLaunchEvent": _rule(
        "Launched Returned",
        object="SoftwareApplication",
        generated=f"{RESOURCES} Link",
        target=f"{RESOURCES} Link",
        referrer=f"{CONTEXTS} Link",
        required=(("Launched", "federatedSession"),),
    ),
    # §3.14 Tool Use Profile.
    "ToolUseEvent": _rule(
        "Used",
        object="SoftwareApplication",
        generated="AggregateMeasureCollection AggregateMeasure",
        target="SoftwareApplication",
        referrer=CONTEXTS,
    ),
    # Caliper 1.0 Outcome Profile, still in the 1.2 schema set.
    "OutcomeEvent": _rule("Graded"),
}


def _ref(types: str) -> list[Any]:
    return ["ref", types.split()]


def _list(kind: Any) -> list[Any]:
    return ["list", kind]


# Caliper 1.2 Appendix C: every Entity may carry otherIdentifiers (SystemIdentifier).
EXTRA_PROPS: dict[str, Any] = {"otherIdentifiers": _list(_ref("SystemIdentifier"))}

# Types whose schema is empty take the properties of the type they extend (Appendix C).
BASES: dict[str, str] = {
    "Forum": "DigitalResourceCollection",
    "Thread": "DigitalResourceCollection",
    "Questionnaire": "Collection",
}

# LIS roles (Caliper 1.2 Appendix D.2): a context role, or a role#sub-role of one.
ROLE_NAMES = frozenset(
    "Administrator ContentDeveloper Instructor Learner Manager Member Mentor Officer".split()
)

# Per-type corrections of the generated table.
OVERRIDES: dict[str, dict[str, Any]] = {
    "AggregateMeasureCollection": {"items": _list(_ref("AggregateMeasure"))},
    "Assessment": {"items": _list(_ref("AssessmentItem"))},
    "Attempt": {"isPartOf": _ref("Attempt")},
    "Comment": {"value": "str"},
    "DigitalResourceCollection": {"items": _list(_ref(RESOURCES))},
    "Forum": {"items": _list(_ref("Thread"))},
    "Thread": {"items": _list(_ref("Message"))},
    "Questionnaire": {"items": _list(_ref("QuestionnaireItem"))},
    "Survey": {"items": _list(_ref("Questionnaire"))},
    "LtiLink": {
        "messageType": [
            "enum",
            [
                "LtiResourceLinkRequest",
                "LtiDeepLinkingRequest",
                "LtiDeepLinkingResponse",
            ],
        ]
    },
    "MultiselectScale": {"isOrderedSelection": "bool"},
    "Score": {"comment": "str"},
    "Session": {"user": _ref("Person")},
    "Membership": {"roles": _list("role")},
    "SystemIdentifier": {
        "identifierType": [
            "enum",
            [
                "AccountUserName",
                "CanvasUserId",
                "CaseItemUri",
                "EmailAddress",
                "LisSourcedId",
                "LtiContextId",
                "LtiDeploymentId",
                "LtiPlatformId",
                "LtiToolId",
                "LtiUserId",
                "OneRosterSourcedId",
                "Other",
                "SisSourcedId",
                "SystemId",
            ],
        ],
        "source": _ref("SoftwareApplication"),
    },
}

# Caliper 1.2 Appendix C: properties an entity must have beyond id and type.
REQUIRED: dict[str, tuple[str, ...]] = {"AggregateMeasure": ("metric", "metricValue")}
