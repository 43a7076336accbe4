"""Which environment doctor checks, and how strictly: from its name and ``ktr.yaml``."""

from __future__ import annotations

from collections.abc import Collection

from reconciler.doctor.catalogue import RULES
from reconciler.doctor.facts import DEFAULT_FUTURE_TOLERANCE_MS, Profile
from reconciler.settings import Settings

PRODUCTION_NAMES = ("production", "prod")


def profile_for(
    environment: str | None, settings: Settings, *, cluster_production: bool | None = None
) -> Profile:
    """The profile of ``environment``: production by name unless ktr.yaml says otherwise,
    on the environment or (``cluster_production``) on the cluster checked."""
    declared = settings.environments.get(environment) if environment is not None else None
    production = environment in PRODUCTION_NAMES
    if declared is not None and declared.production is not None:
        production = declared.production
    if cluster_production is not None:
        production = cluster_production
    profile = Profile(name=environment, production=production)
    if declared is None:
        return profile
    downtime = declared.max_consumer_downtime_ms
    return Profile(
        name=environment,
        production=production,
        max_consumer_downtime_ms=downtime or profile.max_consumer_downtime_ms,
        downtime_declared=downtime is not None,
        future_tolerance_ms=declared.future_tolerance_ms or DEFAULT_FUTURE_TOLERANCE_MS,
        ignored=frozenset(declared.ignore),
    )


def rules_to_run(profile: Profile, without: Collection[str] = ()) -> list[str]:
    """The rule ids that apply to ``profile``, in catalogue order."""
    return [
        rule_id
        for rule_id, rule in RULES.items()
        if (profile.production or rule.everywhere)
        and rule_id not in profile.ignored
        and rule_id not in without
    ]
