"""What `decroche bench` and its fleet (devkit.bench_fleet) share: the callers' lines and the
percentile both report."""

from __future__ import annotations

LINES = (
    "Bonjour, j'ai une fuite d'eau sous l'évier de la cuisine.",
    "Je voudrais un devis pour changer mon chauffe-eau.",
    "Ma porte est claquée et mes clés sont à l'intérieur.",
    "Le radiateur de la chambre ne chauffe plus.",
)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)
