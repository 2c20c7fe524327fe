"""Resolve place names offline; print CSV query,venue,country,lat,lon,geonames_id,precision.

A name may carry a qualifier ("Arlington, Virginia"); --context TEXT supplies other places that
help choose among namesakes ("Arlington" with --context "talks in Washington"). Names the
gazetteer does not know print with empty cells (exit code 1); --online asks Nominatim for them.
"""

from __future__ import annotations

import csv
import sys

from geo.core.errors import UsageError

COLUMNS = ("query", "venue", "country", "lat", "lon", "geonames_id", "precision")


def add_arguments(p) -> None:
    p.add_argument("names", nargs="+", metavar="NAME", help="place names to resolve")
    p.add_argument("--context", default="", help="text around the names (other places in it help disambiguate)")
    p.add_argument(
        "--online", action="store_true", help="ask Nominatim for names the gazetteer lacks (network; cached)"
    )


def run(args) -> int:
    if not any(n.strip() for n in args.names):
        raise UsageError("geocode: give at least one non-empty NAME")
    from geo.places.gazetteer import get_gazetteer
    from geo.places.mentions import context_places
    from geo.places.resolve import resolve_name

    gaz = get_gazetteer()
    context = context_places(args.context, gaz) if args.context else []
    geocoder = None
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    status = 0
    for name in args.names:
        res = resolve_name(name, gaz, context=context)
        place = res.place
        if place is None and args.online:
            if geocoder is None:
                from geo.places.online import OnlineGeocoder

                geocoder = OnlineGeocoder()
            place = geocoder(name)
        if place is None:
            writer.writerow([name, "", "", "", "", "", ""])
            failed = geocoder is not None and any(n == name for n, _ in geocoder.failures)
            why = (
                "not found offline, and the online lookup failed"
                if failed
                else "not found" + ("" if args.online else " offline (try --online)")
            )
            print(f"note: {name!r}: {why}", file=sys.stderr)
            status = 1
            continue
        if res.ambiguous and res.runner_up is not None:
            r = res.runner_up
            print(
                f"note: {name!r}: close call, chose {place.name} ({place.country}) over {r.name} "
                f"({r.country}-{r.admin1}); add --context or a qualifier",
                file=sys.stderr,
            )
        gid = place.geonames_id if place.geonames_id is not None else ""
        writer.writerow([name, place.name, place.country, f"{place.lat:.5f}", f"{place.lon:.5f}", gid, place.precision])
    for n, why in getattr(geocoder, "failures", ()):
        print(f"warning: geocoder: {n!r}: {why}", file=sys.stderr)
    return status
